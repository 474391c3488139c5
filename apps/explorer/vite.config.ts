import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev` serves the explorer with hot reload and sends the API to a running collector
// (the all-in-one or `node apps/collector/dist/main.js`); TO11_URL points elsewhere.
const collector = process.env.TO11_URL ?? 'http://127.0.0.1:4318';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: true },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: collector, changeOrigin: true } },
  },
});
