/**
 * The build-time data directory template (`scripts/pglite-template.mjs`: initdb and every
 * migration, dumped by PGlite as a gzipped ustar file), unpacked with Node's own zlib and file
 * system before PGlite opens the directory. PGlite's `loadDataDir` would unpack it through the
 * WASM file system instead: ~1 s more and ~100 MB of memory that stays resident.
 */
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The template's file name, next to the migrations (`dist/drizzle/` in an app bundle). */
export const TEMPLATE_FILE = 'pglite-template.tgz';

/** The file whose presence marks a data directory as initialised; written last. */
export const PG_VERSION_FILE = 'PG_VERSION';

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** The owner given to every unpacked directory and file. */
export interface UnpackOwner {
  uid: number;
  gid: number;
}

/**
 * Writes every directory and regular file of the gzipped tar `tgz` under `dir`. `PG_VERSION`
 * is written last, so an unpack cut short (kill -9) leaves a directory that the next start
 * unpacks again instead of a half-made database. With `owner` (a process running as root),
 * `dir` and everything written is given to that user as it is written.
 */
export function unpackTemplate(tgz: Buffer, dir: string, owner?: UnpackOwner): void {
  const tar = gunzipSync(tgz);
  const own = (path: string) => {
    if (owner !== undefined) chownSync(path, owner.uid, owner.gid);
  };
  // Directories known to exist: a file's parent is made (and owned) once, not per file.
  const made = new Set<string>();
  const makeDir = (path: string) => {
    if (made.has(path)) return;
    const parent = dirname(path);
    if (parent !== path && !made.has(parent)) makeDir(parent);
    const first = mkdirSync(path, { recursive: true, mode: 0o700 });
    if (first !== undefined || path === dir) own(path);
    made.add(path);
  };
  made.add(dirname(dir));
  makeDir(dir);
  let last: { path: string; body: Buffer } | null = null;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = field(header, 0, 100);
    if (name === '') break; // the two zero blocks at the end
    const prefix = field(header, 345, 155);
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const relative = normalize(`${prefix === '' ? '' : `${prefix}/`}${name}`).replace(
      /^[/\\]+/,
      '',
    );
    if (relative === '..' || relative.startsWith(`..${sep}`)) {
      throw new Error(`the data directory template has an entry outside the directory: ${name}`);
    }
    const path = join(dir, relative);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === '5') makeDir(path);
    else if (type === '0' || type === '\0') {
      if (relative === PG_VERSION_FILE) last = { path, body };
      else {
        makeDir(dirname(path));
        writeFileSync(path, body, { mode: 0o600 });
        own(path);
      }
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  if (last === null) throw new Error(`the data directory template has no ${PG_VERSION_FILE}`);
  writeFileSync(last.path, last.body, { mode: 0o600 });
  own(last.path);
}
