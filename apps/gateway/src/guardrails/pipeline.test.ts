import { describe, expect, it } from 'vitest';
import { INPUT_ROOTS, OUTPUT_ROOTS } from './message-texts.ts';
import { findMatches, luhnValid, PII_PATTERNS } from './pii-patterns.ts';
import { scanBody } from './pipeline.ts';
import { type GuardrailSettings, resolveGuardrails } from './settings.ts';

function settings(file: Parameters<typeof resolveGuardrails>[0]['guardrails']): GuardrailSettings {
  return resolveGuardrails({ guardrails: file });
}

function found(name: string, text: string): string[] {
  const pattern = PII_PATTERNS.find((candidate) => candidate.name === name);
  if (!pattern) throw new Error(name);
  return findMatches(pattern, text).map(([start, end]) => text.slice(start, end));
}

describe('PII patterns', () => {
  it('find each kind, confirming cards with Luhn and IPs with node:net', () => {
    expect(found('email', 'mail jane.doe+x@example.co.uk now')).toEqual([
      'jane.doe+x@example.co.uk',
    ]);
    expect(found('ssn', 'ssn 123-45-6789, not 000-12-3456')).toEqual(['123-45-6789']);
    expect(found('credit_card', 'card 4111 1111 1111 1111 or 4111 1111 1111 1112')).toEqual([
      '4111 1111 1111 1111',
    ]);
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(found('ip_address', 'from 10.0.0.1 and 2001:db8::1, not 999.1.1.1 or 12:30:45')).toEqual(
      ['10.0.0.1', '2001:db8::1'],
    );
    expect(found('phone', 'call +1 415-555-0132 or (415) 555-0199, not 12345')).toEqual([
      '+1 415-555-0132',
      '(415) 555-0199',
    ]);
  });
});

describe('the detector pipeline', () => {
  const chat = {
    model: 'm',
    messages: [
      { role: 'system', content: 'be nice' },
      { role: 'user', content: [{ type: 'text', text: 'I am bob@example.com, ssn 123-45-6789' }] },
    ],
  };

  it('blocks on a blocklist entry, case-insensitively, before any PII detector', () => {
    const result = scanBody(
      settings({ blocklist: ['Project Aurora'], pii: 'redact' }),
      { messages: [{ role: 'user', content: 'tell me about PROJECT aurora, bob@example.com' }] },
      INPUT_ROOTS,
      'input',
    );
    expect(result.block).toEqual({
      detector: 'blocklist',
      reason: 'the input contains blocklist entry #1',
    });
    expect(result.decisions.map((d) => d.detector)).toEqual(['blocklist']);
  });

  it('redacts with per-detector overrides and leaves the original body untouched', () => {
    const s = settings({ pii: 'flag', pii_actions: { email: 'redact' } });
    const result = scanBody(s, chat, INPUT_ROOTS, 'input');
    expect(result.block).toBeUndefined();
    expect(JSON.stringify(result.body)).toContain('I am [REDACTED_EMAIL], ssn 123-45-6789');
    expect(JSON.stringify(chat)).toContain('bob@example.com');
    expect(result.decisions).toEqual([
      { direction: 'input', detector: 'ssn', action: 'flag', matches: 1 },
      { direction: 'input', detector: 'email', action: 'redact', matches: 1 },
    ]);
  });

  it('blocks on the first blocking PII detector and never names the matched text', () => {
    const result = scanBody(settings({ pii: 'block' }), chat, INPUT_ROOTS, 'input');
    expect(result.block).toEqual({
      detector: 'ssn',
      reason: 'the input contains a US social security number',
    });
    expect(JSON.stringify(result.block)).not.toContain('123-45-6789');
  });

  it('reads Anthropic system blocks, Responses input items and answers', () => {
    const s = settings({ pii: 'redact' });
    const anthropic = scanBody(
      s,
      {
        system: [{ type: 'text', text: 'ops at 10.1.2.3' }],
        messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x@y.io' }] }],
      },
      INPUT_ROOTS,
      'input',
    );
    expect(JSON.stringify(anthropic.body)).toBe(
      '{"system":[{"type":"text","text":"ops at [REDACTED_IP_ADDRESS]"}],"messages":[{"role":"user","content":[{"type":"tool_result","content":"[REDACTED_EMAIL]"}]}]}',
    );
    const responses = scanBody(
      s,
      { input: [{ role: 'user', content: [{ type: 'input_text', text: 'a@b.cd' }] }] },
      INPUT_ROOTS,
      'input',
    );
    expect(JSON.stringify(responses.body)).toContain('[REDACTED_EMAIL]');
    const answer = scanBody(
      s,
      { id: 'x', choices: [{ message: { role: 'assistant', content: 'mail a@b.cd' } }] },
      OUTPUT_ROOTS,
      'output',
    );
    expect(JSON.stringify(answer.body)).toContain('mail [REDACTED_EMAIL]');
  });

  it('is off unless a blocklist or a PII action is set', () => {
    expect(settings({}).enabled).toBe(false);
    expect(settings({ pii: 'off', pii_actions: { phone: 'flag' } }).enabled).toBe(true);
    expect(settings({ blocklist: ['x'] }).enabled).toBe(true);
  });
});
