/** `TO11_LOG_LEVEL`, the same levels for every process. */
import { z } from 'zod';
import { setting } from './setting.ts';

/** pino's levels; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `TO11_LOG_LEVEL`, default `info`. */
export const loggingEnvSchema = z.object({
  TO11_LOG_LEVEL: setting(z.enum(LOG_LEVELS), {
    description: `Log level: ${LOG_LEVELS.map((level) => `\`${level}\``).join(', ')}`,
    default: 'info',
  }).default('info'),
});
