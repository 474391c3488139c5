/** Invalid configuration: its message is one line naming the key and the reason, never a value that could be a secret. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
