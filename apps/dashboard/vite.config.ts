import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// A running bot (the demo: `pnpm demo` at the repository root) answers the API during development.
const target = process.env.ARGUS_DEV_TARGET ?? 'http://127.0.0.1:9191';

export default defineConfig({
  plugins: [solid()],
  // Relative asset URLs: the server mounts the app at its dashboardPath (`/`, `/dash`, ...).
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target, changeOrigin: true },
      '/metrics': { target, changeOrigin: true },
    },
  },
});
