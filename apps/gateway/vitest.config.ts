import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Opening PGlite (WASM compile + initdb) takes seconds on a busy 2-core machine.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    // Suites wait mostly on I/O (PGlite start, loopback HTTP): two files at a time.
    maxWorkers: 2,
  },
});
