/**
 * Guardrails and exact-cache benchmark (issue 17): CPU time per request of each guardrail
 * detector alone (blocklist of 20 entries; each PII detector with action `flag`), of the whole
 * pipeline (`redact` on a body with PII), and of the exact-cache key (canonical JSON + SHA-256),
 * beside two baselines the gateway pays for every request anyway: `JSON.parse` of the body
 * (read-request.ts) and the message-text walk alone (no detector). Same bodies, same process,
 * same run; median of the rounds.
 *
 *   pnpm exec tsx guardrails-cache.ts [requests=20000] [rounds=5]
 */

import { cacheKey } from '../apps/gateway/src/cache/cache-key.ts';
import { INPUT_ROOTS, rewriteTexts } from '../apps/gateway/src/guardrails/message-texts.ts';
import { scanBody } from '../apps/gateway/src/guardrails/pipeline.ts';
import { resolveGuardrails } from '../apps/gateway/src/guardrails/settings.ts';
import { PII_DETECTORS } from '../packages/config/src/guardrails-cache-schema.ts';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);

const PROSE =
  'Summarise the quarterly report for the board. Revenue grew in every region, churn fell, ' +
  'and the support backlog halved after the new triage rota. Keep it under 200 words. ';

/** A chat request of a few turns (~2 KB), with or without PII in the last message. */
function chatBody(pii: boolean): string {
  const last = pii
    ? `${PROSE}Send it to jane.roe@example.org, cc +1 415-555-0132, card 4111 1111 1111 1111.`
    : PROSE;
  return JSON.stringify({
    model: 'gpt-4o-mini',
    temperature: 0.2,
    messages: [
      { role: 'system', content: 'You are a careful analyst. Answer in plain English.' },
      { role: 'user', content: PROSE.repeat(3) },
      { role: 'assistant', content: PROSE.repeat(2) },
      { role: 'user', content: [{ type: 'text', text: last }] },
    ],
  });
}

const BLOCKLIST = Array.from({ length: 20 }, (_, i) => `internal codename ${i}`);
const BLOCKLIST_ONLY = resolveGuardrails({ guardrails: { blocklist: BLOCKLIST } });
const EVERYTHING = resolveGuardrails({ guardrails: { blocklist: BLOCKLIST, pii: 'redact' } });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median ns per request of `run` over pre-parsed bodies. */
function measure(
  run: (raw: string, json: Record<string, unknown>) => unknown,
  raw: string,
): number {
  const json = JSON.parse(raw) as Record<string, unknown>;
  const rounds: number[] = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < REQUESTS; i += 1) sink += run(raw, json) ? 1 : 0;
    const ns = Number(process.hrtime.bigint() - start) / REQUESTS;
    if (round > 0) rounds.push(ns); // the first round warms the JIT up
  }
  if (sink < 0) console.log(sink);
  return median(rounds);
}

const cases: { name: string; run: (raw: string, json: Record<string, unknown>) => unknown }[] = [
  { name: 'baseline: JSON.parse of the body', run: (raw) => JSON.parse(raw) },
  {
    name: 'baseline: text walk, no detector',
    run: (_raw, json) => rewriteTexts(json, INPUT_ROOTS, (t) => t),
  },
  {
    name: 'blocklist (20 entries)',
    run: (_raw, json) => scanBody(BLOCKLIST_ONLY, json, INPUT_ROOTS, 'input'),
  },
  ...PII_DETECTORS.map((detector) => {
    const settings = resolveGuardrails({ guardrails: { pii_actions: { [detector]: 'flag' } } });
    return {
      name: `pii ${detector}`,
      run: (_raw: string, json: Record<string, unknown>) =>
        scanBody(settings, json, INPUT_ROOTS, 'input'),
    };
  }),
  {
    name: 'whole pipeline (blocklist + all PII, redact)',
    run: (_raw, json) => scanBody(EVERYTHING, json, INPUT_ROOTS, 'input'),
  },
  {
    name: 'exact-cache key (canonical JSON + sha256)',
    run: (_raw, json) =>
      cacheKey({ projectId: 'prj_1', caller: 'chat_completions', stream: false, body: json }),
  },
];

console.log(
  `guardrails-cache: ${REQUESTS} requests per case, ${ROUNDS} rounds (median), ns per request`,
);
for (const pii of [false, true]) {
  const raw = chatBody(pii);
  console.log(`\nbody ${pii ? 'with' : 'without'} PII (${raw.length} bytes)`);
  const results = cases.map((c) => ({ name: c.name, ns: measure(c.run, raw) }));
  const baseline = results[0]?.ns ?? 1;
  for (const { name, ns } of results) {
    console.log(
      `  ${name.padEnd(46)} ${ns.toFixed(0).padStart(8)} ns  ${(ns / baseline).toFixed(2)}x parse`,
    );
  }
}
