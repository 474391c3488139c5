/** A `to11.toml` written to a fresh temporary directory, for gateways started by a test. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `lines` as a to11.toml and returns its path. */
export function writeToml(...lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-gw-')), 'to11.toml');
  writeFileSync(path, lines.join('\n'));
  return path;
}
