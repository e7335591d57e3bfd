import { fileURLToPath } from 'node:url';
import solid from 'vite-plugin-solid';
import { defineProject } from 'vitest/config';

// Run from the repository root as the `dashboard` project: `pnpm exec vitest run --project dashboard`.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineProject({
  root,
  plugins: [solid()],
  resolve: {
    conditions: ['development', 'browser'],
    // Like the root config: tests read core's sources, never a stale build of them.
    alias: [
      {
        find: /^@argus\/core\/(names|wire)$/,
        replacement: fileURLToPath(new URL('../../packages/core/src/$1.ts', import.meta.url)),
      },
    ],
  },
  test: {
    name: 'dashboard',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
