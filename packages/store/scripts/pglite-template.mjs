// Writes <migrationsFolder>/pglite-template.tgz: a PGlite data directory after initdb and every
// migration of the folder, dumped as a tarball. The store starts a new embedded data directory
// from it (pglite-open.ts), so a first start runs neither initdb nor the migrations. Made once
// per PGlite version and migration set: the tarball is cached under node_modules/.cache.
//   node packages/store/scripts/pglite-template.mjs <migrationsFolder>
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

const folder = resolve(process.argv[2] ?? '');
if (!existsSync(join(folder, 'meta', '_journal.json'))) {
  console.error(
    `usage: node pglite-template.mjs <migrations folder with meta/_journal.json>; got ${folder}`,
  );
  process.exit(1);
}
const storeDir = resolve(import.meta.dirname, '..');
const require = createRequire(join(storeDir, 'package.json'));
const pgliteVersion = JSON.parse(
  readFileSync(
    join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'),
    'utf8',
  ),
).version;

const hash = createHash('sha256').update(`pglite ${pgliteVersion}\n`);
for (const name of [
  'meta/_journal.json',
  ...readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort(),
]) {
  hash.update(`${name}\n`).update(readFileSync(join(folder, name)));
}
const cacheDir = join(storeDir, 'node_modules', '.cache', 'pglite-template');
const cached = join(cacheDir, `${hash.digest('hex').slice(0, 16)}.tgz`);
const out = join(folder, 'pglite-template.tgz');

if (!existsSync(cached)) {
  const client = await PGlite.create();
  await migrate(drizzle({ client }), { migrationsFolder: folder });
  const dump = await client.dumpDataDir('gzip');
  await client.close();
  mkdirSync(cacheDir, { recursive: true });
  // Builds of several apps run this at once (turbo): each writes its own temporary file, and the
  // renames, atomic, leave one complete template whoever wins.
  const temporary = `${cached}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  renameSync(temporary, cached);
}
const temporaryOut = `${out}.${process.pid}.tmp`;
copyFileSync(cached, temporaryOut);
renameSync(temporaryOut, out);
