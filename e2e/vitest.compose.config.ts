import { defineConfig } from 'vitest/config';

// `pnpm --filter @to11/e2e test:compose`: builds the images and runs infra/docker-compose.yml.
export default defineConfig({
  test: {
    include: ['compose.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
