import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name; point those names at the sources so a test run
// never depends on a stale build.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias: { find: RegExp; replacement: string }[] = [];
for (const dir of readdirSync(`${root}packages`)) {
  const src = `${root}packages/${dir}/src`;
  if (!existsSync(`${src}/index.ts`)) continue;
  // Exact names only: `@argus/core/names` must not become `…/index.ts/names`.
  alias.push({ find: new RegExp(`^@argus/${dir}$`), replacement: `${src}/index.ts` });
  alias.push({ find: new RegExp(`^@argus/${dir}/([\\w-]+)$`), replacement: `${src}/$1.ts` });
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
            'deploy/{src,test}/**/*.test.ts',
          ],
          exclude: ['apps/dashboard/**', '**/node_modules/**'],
        },
      },
      ...(existsSync(`${root}${dashboardConfig}`) ? [dashboardConfig] : []),
    ],
  },
});
