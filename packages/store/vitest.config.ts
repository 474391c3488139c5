import { defineConfig } from 'vitest/config';

// PGlite's first open in a process compiles WASM and runs initdb (~4 s, more on a busy machine).
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 120_000 },
});
