// The all-in-one after its entry (`start.ts`) has begun starting the embedded store: the rest
// of the launcher, loaded while that server starts. The only code of the launcher that touches
// the process: environment, stdout/stderr, signals, exit codes. Human lines (listeners,
// bootstrap key, errors) are plain `to11: …` lines; pino's JSON logs go to stdout too.
import type { EmbeddedPrestart } from '@to11/store/prestart';
import { pino } from 'pino';
import { type AllInOne, oneLine, startAllInOne } from './all-in-one.ts';
import { DEMO_BANNER, demoRequested, startDemo } from './demo/demo-mode.ts';
import type { DemoProvider } from './demo/demo-provider.ts';
import { loadStartConfig, type StartConfig } from './start-config.ts';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function exitWith(line: string, code: number): never {
  process.stderr.write(`${line}\n`);
  process.exit(code);
}

/** Runs the all-in-one; `prestart` is the embedded store's server `start.ts` began, if any. */
export async function runStart(prestart: EmbeddedPrestart | null): Promise<void> {
  // Demo mode (`pnpm demo`): a local canned provider stands in for OpenAI and Anthropic.
  let env: Readonly<Record<string, string | undefined>> = process.env;
  let demo: DemoProvider | null = null;
  if (demoRequested(process.env, process.argv.slice(2))) {
    const started = await startDemo(process.env);
    ({ env, provider: demo } = started);
    print(DEMO_BANNER);
  }

  let config: StartConfig;
  try {
    config = loadStartConfig(env, process.cwd());
  } catch (error) {
    exitWith(`to11: ${oneLine(error)}`, 1);
  }

  const logger = pino({ level: config.logLevel, base: { pid: process.pid } });

  // Signals that arrive while starting are held until the servers are up, then handled.
  let stopRequested: NodeJS.Signals | null = null;
  let running: AllInOne | null = null;

  function shutdown(app: AllInOne, signal: NodeJS.Signals): void {
    print(`to11: ${signal} received, shutting down (in-flight calls finish, spans are flushed)`);
    app
      .close()
      .then(() => demo?.close())
      .then(
        () => {
          print('to11: stopped');
          process.exit(0);
        },
        (error: unknown) => exitWith(`to11: shutdown failed: ${oneLine(error)}`, 1),
      );
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopRequested !== null) exitWith(`to11: ${signal} again, exiting without waiting`, 1);
      stopRequested = signal;
      if (running !== null) shutdown(running, signal);
    });
  }

  try {
    running = await startAllInOne(config, {
      env,
      logger,
      print,
      // Spans can no longer be stored: exit non-zero so a supervisor restarts the process.
      onStoreFatal: (error) => exitWith(`to11: ${oneLine(error)}`, 1),
      prestart,
    });
  } catch (error) {
    exitWith(`to11: ${oneLine(error)}`, 1);
  }
  // `pnpm start` exits at once (143) on a SIGTERM sent to pnpm while this process still drains;
  // the pid is where a process manager or `kill` sends it for a graceful stop and exit 0.
  print(`to11: running as pid ${process.pid}; stop with Ctrl-C or kill -TERM ${process.pid}`);
  // SIGHUP reloads to11.toml (the gateway's part), as the standalone gateway does.
  const app = running;
  process.on('SIGHUP', () => app.reload('SIGHUP'));
  if (stopRequested !== null) shutdown(running, stopRequested);
}
