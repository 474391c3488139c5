import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.ts';

const now = new Date('2025-01-01T00:00:00.000Z');
const env = { TO11_API_KEY: 'to11_test_envkeyenvkeyenvkeyenvkey' };

describe('parseCliArgs: traces', () => {
  it('turns traces list flags into the read API query, models repeated', () => {
    const parsed = parseCliArgs(
      [
        'traces',
        'list',
        '--since',
        '1h',
        '--model',
        'a',
        '--model',
        'b',
        '--status',
        'ok',
        '--json',
      ],
      { env, now },
    );
    expect(parsed.status === 'ok' && parsed.command.name === 'traces list').toBe(true);
    if (parsed.status !== 'ok' || parsed.command.name !== 'traces list') return;
    expect(parsed.command.json).toBe(true);
    expect(parsed.command.query.toString()).toBe(
      `since=${now.getTime() - 3_600_000}&status=ok&model=a&model=b`,
    );
  });

  it('takes one 32-hex trace id for traces show, lower-cased', () => {
    const id = 'AB'.repeat(16);
    const parsed = parseCliArgs(['traces', 'show', id], { env, now });
    expect(parsed).toMatchObject({
      status: 'ok',
      command: { name: 'traces show', traceId: id.toLowerCase() },
    });
  });

  it('says plainly what is wrong with a traces command line', () => {
    const message = (argv: string[]) => {
      const parsed = parseCliArgs(argv, { env, now });
      return parsed.status === 'error' ? parsed.message : 'ok';
    };
    expect(message(['traces'])).toBe('traces needs a subcommand: list, show (see to11 --help)');
    expect(message(['traces', 'show'])).toBe('traces show: missing the trace id');
    expect(message(['traces', 'show', 'abc'])).toBe(
      'traces show: the trace id must be 32 hex characters, got "abc"',
    );
    expect(message(['traces', 'show', 'a'.repeat(32), '--model', 'x'])).toBe(
      'traces show does not take --model',
    );
    expect(message(['traces', 'list', '--status', 'bad'])).toBe(
      '--status must be ok or error, got "bad"',
    );
    expect(message(['keys', 'list', '--since', '1h'])).toBe('keys list does not take --since');
  });
});
