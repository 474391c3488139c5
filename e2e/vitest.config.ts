import { defineConfig } from 'vitest/config';

// End-to-end tests start the built product as child processes: one file at a time (the
// machine has two cores), generous timeouts. The compose test has its own config.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['compose.test.ts', '**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
