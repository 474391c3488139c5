import { defineConfig } from 'vitest/config';

// Unit tests cover the logic modules (layout, message shapes, URL filters): plain Node, no DOM.
// The browser test lives in e2e/ (it needs the built product).
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
