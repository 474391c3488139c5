import { defineConfig } from 'vitest/config';

// Each example runs as a child process against the built all-in-one (see examples.test.ts).
export default defineConfig({
  test: {
    include: ['*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
