/** The `to11` CLI's environment variables (SPEC §9 "CLI"); `--url` / `--api-key` win over them. */
import { z } from 'zod';
import { setting } from './setting.ts';

/** Where the CLI finds the admin API when `--url` is not given. */
export const DEFAULT_CLI_URL = 'http://127.0.0.1:4318';

/** `TO11_URL` and `TO11_API_KEY` (validated with the flags, by the CLI's argument parser). */
export const cliEnvSchema = z.object({
  TO11_URL: setting(z.string(), {
    description: "`to11` CLI: the collector's HTTP URL (admin API)",
    default: DEFAULT_CLI_URL,
  }).optional(),
  TO11_API_KEY: setting(z.string(), {
    description: '`to11` CLI: API key with the `admin` scope',
  }).optional(),
});
