import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.ts';
import { formatLimits } from './cli-output.ts';
import { runCli } from './run-cli.ts';

const context = { env: { TO11_API_KEY: 'to11_test_envkeyenvkeyenvkeyenvkey' }, now: new Date(0) };
const api = { url: 'http://127.0.0.1:4318', apiKey: context.env.TO11_API_KEY };

describe('to11 limits', () => {
  it('parses show and set for a project or a key, none clearing a limit', () => {
    expect(parseCliArgs(['limits', 'show', '--project', 'proj_a'], context)).toEqual({
      status: 'ok',
      command: {
        name: 'limits show',
        api,
        json: false,
        subject: { kind: 'project', id: 'proj_a' },
      },
    });
    const set = parseCliArgs(
      [
        'limits',
        'set',
        '--key',
        'key_a',
        '--requests-per-minute',
        '60',
        '--usd-per-day',
        '2.5',
        '--tokens-per-minute',
        'none',
      ],
      context,
    );
    expect(set).toMatchObject({
      status: 'ok',
      command: {
        subject: { kind: 'key', id: 'key_a' },
        body: { requests_per_minute: 60, usd_per_day: 2.5, tokens_per_minute: null },
      },
    });
  });

  it('names what is wrong with the arguments', () => {
    const message = (argv: string[]) => {
      const parsed = parseCliArgs(argv, context);
      return parsed.status === 'error' ? parsed.message : 'ok';
    };
    expect(message(['limits', 'show'])).toBe(
      'limits show needs exactly one of --project PROJECT_ID or --key KEY_ID',
    );
    expect(message(['limits', 'show', '--project', 'p', '--key', 'k'])).toMatch(/exactly one of/);
    expect(message(['limits', 'set', '--project', 'p'])).toMatch(
      /^limits set needs at least one of --requests-per-minute/,
    );
    expect(message(['limits', 'set', '--project', 'p', '--requests-per-minute', '1.5'])).toBe(
      '--requests-per-minute must be a whole number above 0 or none, got "1.5"',
    );
    expect(message(['limits', 'set', '--project', 'p', '--usd-per-day', '0'])).toMatch(
      /must be a number above 0/,
    );
    expect(message(['limits', 'show', '--project', 'p', '--usd-per-day', '2'])).toBe(
      'limits show does not take --usd-per-day',
    );
  });

  it('sends PUT to the project path and prints the limits as a table', async () => {
    const sent: { method: string; url: string; body: unknown }[] = [];
    const answer = {
      subject: { kind: 'project', id: 'proj_a' },
      limits: {
        requests_per_minute: 60,
        tokens_per_minute: null,
        usd_per_day: null,
        usd_per_month: null,
      },
      usage: null,
    };
    const out: string[] = [];
    const code = await runCli(
      ['limits', 'set', '--project', 'proj_a', '--requests-per-minute', '60'],
      {
        env: context.env,
        cwd: '/',
        now: () => new Date(0),
        stdout: (text) => out.push(text),
        stderr: (text) => out.push(text),
        fetch: async (url, init) => {
          sent.push({
            method: init?.method ?? 'GET',
            url: String(url),
            body: JSON.parse(String(init?.body)),
          });
          return new Response(JSON.stringify(answer), { status: 200 });
        },
      },
    );
    expect(code).toBe(0);
    expect(sent).toEqual([
      {
        method: 'PUT',
        url: 'http://127.0.0.1:4318/api/v1/limits?projectId=proj_a',
        body: { requests_per_minute: 60 },
      },
    ]);
    expect(out.join('')).toBe(`${formatLimits(answer)}\n`);
    expect(out.join('')).toMatch(
      /^LIMIT\s+VALUE\s+USED\s+RESETS\nproject\.requests_per_minute\s+60\s+-\s+-/,
    );
  });
});
