// Bundles an app's entry points into dist/ with esbuild. Workspace packages (@to11/*) export
// TypeScript source, so they are bundled in; every npm dependency stays external and is
// resolved from node_modules at run time (PGlite needs its WASM files next to its JS).
// The store's migrations are copied to dist/drizzle, where the bundled store looks for them.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);
if (entryPoints.length === 0) {
  console.error('usage: node scripts/bundle.mjs <entry.ts>...');
  process.exit(1);
}

const root = resolve(import.meta.dirname, '..');
const external = new Set();
for (const dir of ['.', 'packages/trace-core', 'packages/store', 'apps/gateway', 'apps/collector', 'apps/cli']) {
  const pkg = JSON.parse(readFileSync(resolve(root, dir, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    if (!name.startsWith('@to11/')) external.add(name);
  }
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: [...external].flatMap((name) => [name, `${name}/*`]),
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
cpSync(resolve(root, 'packages/store/drizzle'), 'dist/drizzle', { recursive: true });
