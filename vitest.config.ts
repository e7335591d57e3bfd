import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name; point those names at the sources so a test run
// never depends on a stale build.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias: Record<string, string> = {};
for (const dir of readdirSync(`${root}packages`)) {
  const entry = `${root}packages/${dir}/src/index.ts`;
  if (existsSync(entry)) alias[`@argus/${dir}`] = entry;
}

// The dashboard SPA brings its own project (Solid's compiler, a DOM) when it exists.
const dashboardConfig = 'apps/dashboard/vitest.config.ts';

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'bench/src/**/*.test.ts',
          ],
          exclude: ['apps/dashboard/**', '**/node_modules/**'],
        },
      },
      ...(existsSync(`${root}${dashboardConfig}`) ? [dashboardConfig] : []),
    ],
  },
});
