/** Reading and validating a `to11.toml` (`TO11_CONFIG`). */
import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { type ConfigResult, issuesFromZod } from './config-error.ts';
import { type ConfigFile, configFileSchema } from './toml-schema.ts';

/** `invalid TOML: <reason>`, prefixed with `file:line:column` when smol-toml knows them. */
function syntaxMessage(error: unknown, file: string): string {
  const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
  const reason = first.replace(/^Invalid TOML document:\s*/, '') || 'syntax error';
  const where = error instanceof TomlError ? `${file}:${error.line}:${error.column}` : file;
  return `${where}: invalid TOML: ${reason}`;
}

/** Parses and validates the text of a to11.toml; `file` names it in every issue. */
export function parseConfigFile(text: string, file: string): ConfigResult<ConfigFile> {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    return { ok: false, issues: [{ key: 'TO11_CONFIG', message: syntaxMessage(error, file) }] };
  }
  const parsed = configFileSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: issuesFromZod(parsed.error, file) };
}

/** Reads `path` and validates it with {@link parseConfigFile}. */
export function readConfigFile(path: string): ConfigResult<ConfigFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return {
      ok: false,
      issues: [{ key: 'TO11_CONFIG', message: `cannot read ${path} (${reason})` }],
    };
  }
  return parseConfigFile(text, path);
}
