/** The `to11` CLI's environment variables (SPEC §9 "CLI"); `--url` / `--api-key` win over them. */
import { z } from 'zod';
import { setting } from './setting.ts';

/** Where the CLI finds the admin API when `--url` is not given. */
export const DEFAULT_CLI_URL = 'http://127.0.0.1:4318';

/** Values of `TO11_DEMO` that turn demo mode on (compared trimmed, lower case). */
export const DEMO_ON_VALUES: readonly string[] = ['1', 'true', 'yes', 'on'];

/**
 * `TO11_URL` and `TO11_API_KEY` (validated with the flags, by the CLI's argument parser), and the
 * all-in-one's `TO11_DEMO` (read by `apps/cli/src/demo/demo-mode.ts`).
 */
export const cliEnvSchema = z.object({
  TO11_URL: setting(z.string(), {
    description: "`to11` CLI: the collector's HTTP URL (admin API)",
    default: DEFAULT_CLI_URL,
  }).optional(),
  TO11_API_KEY: setting(z.string(), {
    description: '`to11` CLI: API key with the `admin` scope',
  }).optional(),
  TO11_DEMO: setting(z.string(), {
    description:
      'All-in-one: `1` (or `true`, `yes`, `on`) starts the built-in demo provider (canned OpenAI and Anthropic answers, no provider key); `pnpm demo` does the same',
    default: 'off',
  }).optional(),
});
