import { defineConfig } from 'vitest/config';

// End-to-end suites start a real store (PGlite compiles its WASM per test file) and listening
// servers; on a loaded 2-core machine that takes longer than vitest's default hook timeout.
export default defineConfig({
  test: {
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
});
