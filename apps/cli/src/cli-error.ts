/**
 * An expected failure of a CLI command: bad arguments, an unreachable server, an error answer.
 * Its message is the one line printed on stderr after `to11: `; it never holds a secret.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
