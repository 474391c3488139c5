/**
 * Demo mode of the all-in-one: `pnpm demo` (which passes `--demo`) or TO11_DEMO=1 (documented
 * with the CLI's variables in @to11/config).
 */
import { DEMO_ON_VALUES } from '@to11/config';
import { type DemoProvider, startDemoProvider } from './demo-provider.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The banner the all-in-one prints in demo mode, before anything else. */
export const DEMO_BANNER =
  'to11: demo provider: answers are canned, no provider key needed (OpenAI and Anthropic point at it)';

/** True for `--demo` on the command line or TO11_DEMO set to 1, true, yes or on. */
export function demoRequested(env: Env, argv: readonly string[]): boolean {
  if (argv.includes('--demo')) return true;
  return DEMO_ON_VALUES.includes((env.TO11_DEMO ?? '').trim().toLowerCase());
}

/**
 * Starts the demo provider and answers the environment the all-in-one then loads: `env` with
 * both built-in providers' base URLs pointed at it (a TO11_*_BASE_URL already set is replaced).
 */
export async function startDemo(env: Env): Promise<{ env: Env; provider: DemoProvider }> {
  const provider = await startDemoProvider();
  return {
    provider,
    env: {
      ...env,
      TO11_OPENAI_BASE_URL: provider.baseUrl,
      TO11_ANTHROPIC_BASE_URL: provider.baseUrl,
    },
  };
}
