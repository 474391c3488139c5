/**
 * Fuzz run over every parser that reads hostile input (issue "reliability and security"):
 * W3C traceparent / tracestate, OTLP/JSON and OTLP protobuf decoding, the collector's gzip body
 * reader (zip bombs), the gateway's SSE relay readers, its OpenAI / Anthropic request and
 * response readers, the to11.toml loader, x-to11-* header handling (CR/LF injection) and the
 * model → upstream URL resolution (a `model` naming another provider's URL).
 *
 * Inputs come from the same fast-check arbitraries as the property tests (seeded, so a run is
 * repeatable), plus targeted hostile cases. Each target runs in its own child process, so a
 * hang (no progress for `--hang-ms`) or a crash is caught and reported rather than stopping the
 * run. A case that throws or breaks an invariant is a finding (fast-check shrinks it).
 *
 *   cd bench && pnpm exec tsx fuzz.ts [--cases 1000000] [--seed 1] [--only sse,toml] [--hang-ms 30000]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FUZZ_TARGETS, type FuzzReport, runTarget } from './fuzz-targets.ts';

const HERE = fileURLToPath(import.meta.url);

interface Progress {
  type: 'progress' | 'done';
  report: FuzzReport;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      'hang-ms': { type: 'string', default: '30000' },
      child: { type: 'string' },
      'child-cases': { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  if (values.child !== undefined) {
    await runChild(values.child, Number(values['child-cases']), seed);
    return;
  }
  const total = Number(values.cases);
  const only = values.only?.split(',');
  const targets = FUZZ_TARGETS.filter((target) => !only || only.includes(target.name));
  const weights = targets.reduce((sum, target) => sum + target.weight, 0);
  const hangMs = Number(values['hang-ms']);
  console.log(`fuzz: ${total} cases over ${targets.length} targets, seed ${seed}`);
  const reports: FuzzReport[] = [];
  const started = performance.now();
  for (const target of targets) {
    const cases = Math.max(1, Math.round((total * target.weight) / weights));
    reports.push(await runInChild(target.name, cases, seed, hangMs));
    const last = reports.at(-1) as FuzzReport;
    console.log(formatReport(last));
  }
  const seconds = (performance.now() - started) / 1000;
  const run = reports.reduce((sum, report) => sum + report.cases, 0);
  const findings = reports.flatMap((report) => report.findings);
  console.log(
    `total: ${run} cases in ${seconds.toFixed(0)} s, ${findings.length} finding(s), slowest case ${Math.max(...reports.map((r) => r.maxCaseMs)).toFixed(1)} ms`,
  );
  for (const finding of findings) console.log(`FINDING ${finding}`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}

function formatReport(report: FuzzReport): string {
  const rate = report.cases / Math.max(report.seconds, 0.001);
  return `${report.target.padEnd(16)} ${String(report.cases).padStart(8)} cases  ${rate.toFixed(0).padStart(7)} cases/s  slowest ${report.maxCaseMs.toFixed(1).padStart(7)} ms  findings ${report.findings.length}`;
}

/** Runs one target in a child process; a silent child past `hangMs` is a hang finding. */
function runInChild(name: string, cases: number, seed: number, hangMs: number) {
  return new Promise<FuzzReport>((resolve) => {
    let last: FuzzReport = {
      target: name,
      cases: 0,
      seconds: 0,
      maxCaseMs: 0,
      findings: [],
    };
    const child = fork(
      HERE,
      ['--child', name, '--child-cases', String(cases), '--seed', String(seed)],
      {
        execArgv: [...process.execArgv, '--max-old-space-size=1024'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    let done = false;
    let watchdog = setTimeout(onHang, hangMs);
    function onHang(): void {
      last.findings.push(`${name}: no progress for ${hangMs} ms after ${last.cases} cases (hang)`);
      child.kill('SIGKILL');
    }
    child.on('message', (message: Progress) => {
      last = message.report;
      clearTimeout(watchdog);
      if (message.type === 'done') done = true;
      else watchdog = setTimeout(onHang, hangMs);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (!done) {
        last.findings.push(`${name}: child exited (code ${code}, signal ${signal}) mid-run`);
      }
      resolve(last);
    });
  });
}

async function runChild(name: string, cases: number, seed: number): Promise<void> {
  const send = (message: Progress) =>
    new Promise<void>((resolve) => process.send?.(message, () => resolve()));
  const report = await runTarget(name, cases, seed, (progress) =>
    send({ type: 'progress', report: progress }),
  );
  await send({ type: 'done', report });
  process.disconnect?.();
}

await main();
