import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

// @argus/tracing and @argus/otlp are tested on the OpenTelemetry JS SDK line the running Node
// supports: 3.x (the packages/*/otel3 importers, with their own API 1.10 peer) on Node 22.15+,
// else 2.x. A package both importers hold resolves to the first.
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
if (nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 15)) {
  const aliased = new Set<string>();
  for (const importer of ['packages/tracing/otel3', 'packages/otlp/otel3']) {
    const otel3 = `${root}${importer}/node_modules/@opentelemetry`;
    for (const name of readdirSync(otel3)) {
      if (aliased.has(name)) continue;
      aliased.add(name);
      alias.push({ find: new RegExp(`^@opentelemetry/${name}$`), replacement: `${otel3}/${name}` });
    }
  }
}

// The dashboard SPA brings its own project (Solid's compiler, a DOM) when it exists.
const dashboardConfig = 'apps/dashboard/vitest.config.ts';

// The version tsdown injects into @argus/core at build, injected the same way into the sources.
const { version } = JSON.parse(readFileSync(`${root}packages/core/package.json`, 'utf8')) as {
  version: string;
};

export default defineConfig({
  define: { __ARGUS_VERSION__: JSON.stringify(version) },
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
