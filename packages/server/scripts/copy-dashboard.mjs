// Copies the built dashboard SPA (apps/dashboard/dist) into dist/dashboard, where
// resolveDashboardAssets() finds it at run time. Runs after tsdown (which empties dist/).
//
// The SPA is optional for this package: when it has not been built, the server still builds and
// its dashboard path answers 503 "dashboard assets are not built". Set ARGUS_REQUIRE_DASHBOARD=1
// (release and CI builds) to make a missing SPA an error instead.

import { copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Arguments (for tests): [source] [target]. Defaults: the SPA's dist and this package's dist.
const source = resolve(process.argv[2] ?? resolve(pkg, '../../apps/dashboard/dist'));
const target = resolve(process.argv[3] ?? join(pkg, 'dist', 'dashboard'));
const required = process.env.ARGUS_REQUIRE_DASHBOARD === '1';
const shown = (path) => relative(process.cwd(), path) || '.';

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

rmSync(target, { recursive: true, force: true });

if (!isFile(join(source, 'index.html'))) {
  const why = existsSync(source) ? `${shown(source)} has no index.html` : `${shown(source)} does not exist`;
  if (required) {
    console.error(
      `copy-dashboard: ARGUS_REQUIRE_DASHBOARD=1 but the dashboard is not built (${why}). ` +
        'Build it first: pnpm --filter @argus/dashboard build',
    );
    process.exit(1);
  }
  console.log(`copy-dashboard: no dashboard build (${why}); the server package ships without the SPA.`);
  process.exit(0);
}

if (!existsSync(dirname(target))) {
  console.error(`copy-dashboard: ${shown(dirname(target))} is missing; run tsdown first`);
  process.exit(1);
}

// Copy links as what they point to, so nothing in the package points outside it. A walk of our
// own: cpSync's `dereference` keeps nested links as links on Node 22 and 24.
function copyTree(from, to, seen = new Set()) {
  const real = realpathSync(from);
  if (seen.has(real)) return; // a directory link back up the tree
  seen.add(real);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const info = statSync(src);
    if (info.isDirectory()) copyTree(src, join(to, name), seen);
    else if (info.isFile()) copyFileSync(src, join(to, name));
  }
}
copyTree(source, target);
console.log(`copy-dashboard: copied ${shown(source)} to ${shown(target)}`);
