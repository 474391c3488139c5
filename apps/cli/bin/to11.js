#!/usr/bin/env node
// The `to11` command (root package.json "bin"). Runs the bundle dist/to11.js when it is at least
// as new as every file in src/, else the TypeScript source through tsx's ESM API, so `pnpm to11`
// works before the first build and never runs a stale bundle after an edit.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/to11.js', import.meta.url));
const sources = fileURLToPath(new URL('../src/', import.meta.url));

function modifiedAt(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newestSource() {
  try {
    const files = readdirSync(sources, { recursive: true });
    return Math.max(0, ...files.map((file) => modifiedAt(join(sources, String(file)))));
  } catch {
    return 0; // no sources next to the bundle (an installed build): the bundle is all there is
  }
}

if (modifiedAt(bundle) >= newestSource()) {
  await import(new URL('../dist/to11.js', import.meta.url).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('../src/to11.ts', import.meta.url);
}
