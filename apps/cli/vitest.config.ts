import { defineConfig } from 'vitest/config';

// The end-to-end suites start the built all-in-one (PGlite initdb takes seconds on 2 cores).
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 120_000 },
});
