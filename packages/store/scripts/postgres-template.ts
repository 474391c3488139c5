// Writes <migrationsFolder>/postgres-template.tgz: an embedded Postgres cluster after initdb and
// every migration of the folder, as a gzipped ustar. The store starts a new embedded data
// directory from it (postgres-child.ts), so a first start runs neither initdb nor the
// migrations. Made once per binaries version and migration set: cached under
// node_modules/.cache. Without the binaries (a platform they do not exist for) it writes nothing.
//   node --import tsx packages/store/scripts/postgres-template.ts <migrationsFolder>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openPostgres } from '../src/engine-postgres.ts';
import { findPostgresBinaries } from '../src/postgres-binaries.ts';
import { SOCKET_PORT, startPostgresChild } from '../src/postgres-child.ts';

const folder = resolve(process.argv[2] ?? '');
if (!existsSync(join(folder, 'meta', '_journal.json'))) {
  console.error(
    `usage: postgres-template.ts <migrations folder with meta/_journal.json>; got ${folder}`,
  );
  process.exit(1);
}
const binaries = findPostgresBinaries();
const out = join(folder, 'postgres-template.tgz');
if ('missing' in binaries) {
  rmSync(out, { force: true });
  process.exit(0);
}
const binariesPackage = join(binaries.postgres, '..', '..', '..', 'package.json');
const version = JSON.parse(readFileSync(binariesPackage, 'utf8')).version as string;
// Bump with any change to how postgres-child.ts makes a cluster (initdb flags).
const CLUSTER_FORMAT = 4;
const hash = createHash('sha256').update(`postgres ${version} format ${CLUSTER_FORMAT}\n`);
for (const name of [
  'meta/_journal.json',
  ...readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort(),
]) {
  hash.update(`${name}\n`).update(readFileSync(join(folder, name)));
}
const storeDir = resolve(import.meta.dirname, '..');
const cacheDir = join(storeDir, 'node_modules', '.cache', 'postgres-template');
const cached = join(cacheDir, `${hash.digest('hex').slice(0, 16)}.tgz`);

if (!existsSync(cached)) {
  const dir = mkdtempSync(join(tmpdir(), 'to11-pgtpl-'));
  // As root the server runs as another user, who must be able to pass through.
  chmodSync(dir, 0o711);
  const pgdata = join(dir, 'postgres');
  try {
    const child = await startPostgresChild(binaries, pgdata);
    try {
      const path = join(child.socketDir, `.s.PGSQL.${SOCKET_PORT}`);
      const db = await openPostgres('postgres://postgres@localhost/postgres', folder, 1, { path });
      await db.close();
    } finally {
      await child.stop();
    }
    // After the shutdown checkpoint pg_wal holds the segment with that checkpoint (the lowest
    // name) and recycled ones named after it, empty of anything needed: leave those out.
    const wal = join(pgdata, 'pg_wal');
    const segments = readdirSync(wal)
      .filter((name) => /^[0-9A-F]{24}$/.test(name))
      .sort();
    for (const name of segments.slice(1)) rmSync(join(wal, name));
    // The free space map and visibility map forks (`<relfilenode>_fsm`, `_vm`) are optional:
    // Postgres treats a missing one as empty (no free space known, no page all-visible, the
    // safe answer) and makes it when it first needs it, as for any new table. A first start
    // creates ~1,000 files, and under file-system churn each new inode is expensive (ext4's
    // inode allocator): 232 fewer.
    for (const sub of [
      'global',
      ...readdirSync(join(pgdata, 'base')).map((db) => join('base', db)),
    ]) {
      for (const name of readdirSync(join(pgdata, sub))) {
        if (/^\d+_(fsm|vm)$/.test(name)) rmSync(join(pgdata, sub, name));
      }
    }
    mkdirSync(cacheDir, { recursive: true });
    execFileSync('tar', [
      '--format=ustar',
      '-czf',
      `${cached}.${process.pid}.tmp`,
      '-C',
      pgdata,
      '.',
    ]);
    renameSync(`${cached}.${process.pid}.tmp`, cached);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
copyFileSync(cached, out);
