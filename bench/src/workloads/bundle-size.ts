// What a browser downloads to open the live dashboard: the built SPA (apps/dashboard/dist, which
// @argus/server's build copies into its dist/dashboard), gzipped file by file. The figures are
// sizes, identical every round, so one round suffices; there is no baseline to run against.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { goals, type Workload } from '../harness';

/** The SPA's build output. */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../apps/dashboard/dist/', import.meta.url));
/** The copy @argus/server ships (its `resolveDashboardAssets()` serves this one). */
const SERVER_COPY = fileURLToPath(new URL('../../../packages/server/dist/dashboard/', import.meta.url));

export type AssetKind = 'js' | 'css' | 'html' | 'font' | 'other';

const KINDS: Record<string, AssetKind> = {
  '.js': 'js',
  '.mjs': 'js',
  '.css': 'css',
  '.html': 'html',
  '.woff2': 'font',
  '.woff': 'font',
  '.ttf': 'font',
  '.otf': 'font',
  '.eot': 'font',
};

export interface AssetSize {
  /** Relative to the dist directory, with forward slashes. */
  path: string;
  kind: AssetKind;
  raw: number;
  /** gzip level 9. */
  best: number;
  /** gzip at zlib's default level (6), what most servers and CDNs use. */
  standard: number;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/**
 * Every file of a built SPA except source maps (browsers fetch them only with devtools open),
 * with its raw and gzipped sizes. Throws, saying how to build it, when `dir` holds no build.
 */
export function measureDist(dir: string): AssetSize[] {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // Reported below.
  }
  const hint = 'build it first: `pnpm turbo run build` (or `pnpm --filter @argus/dashboard build`)';
  if (!isDir) throw new Error(`${dir} does not exist: the dashboard is not built; ${hint}`);
  const files = filesUnder(dir).filter((path) => !path.endsWith('.map'));
  const sizes = files.map((path): AssetSize => {
    const data = readFileSync(path);
    return {
      path: relative(dir, path).split('\\').join('/'),
      kind: KINDS[extname(path).toLowerCase()] ?? 'other',
      raw: data.length,
      best: gzipSync(data, { level: constants.Z_BEST_COMPRESSION }).length,
      standard: gzipSync(data, { level: constants.Z_DEFAULT_COMPRESSION }).length,
    };
  });
  if (!sizes.some((s) => s.path === 'index.html')) {
    throw new Error(`${dir} has no index.html: the dashboard build is incomplete; ${hint}`);
  }
  if (!sizes.some((s) => s.kind === 'js')) {
    throw new Error(`${dir} has no JavaScript: the dashboard build is incomplete; ${hint}`);
  }
  return sizes;
}

function sum(
  sizes: readonly AssetSize[],
  field: 'raw' | 'best' | 'standard',
  keep: (s: AssetSize) => boolean,
) {
  let bytes = 0;
  for (const s of sizes) if (keep(s)) bytes += s[field];
  return bytes / 1024;
}

/** Whether two directories hold the same files with the same bytes. */
function sameTree(a: string, b: string): boolean {
  const digest = (dir: string) => {
    const hash = createHash('sha256');
    for (const path of filesUnder(dir)) hash.update(relative(dir, path)).update(readFileSync(path));
    return hash.digest('hex');
  };
  try {
    return digest(a) === digest(b);
  } catch {
    return false;
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export const bundleSize: Workload = {
  name: 'bundle-size',
  title: 'Dashboard SPA size, gzipped',
  description:
    'The built SPA in apps/dashboard/dist, each JS, CSS and HTML file gzipped with zlib (level 9 unless stated, as ' +
    'a precompressing build or CDN would; the server itself sends them uncompressed). Fonts are counted apart: ' +
    'browsers fetch them as needed and woff2 is compressed already. Source maps are left out.',
  unit: 'KiB',
  baseline: 'total without fonts',
  // Sizes: the same every round.
  rounds: 1,
  warmupRounds: 0,
  setup() {
    const sizes = measureDist(DASHBOARD_DIST);
    const noFont = (s: AssetSize) => s.kind !== 'font';
    const ofKind = (kind: AssetKind) => (s: AssetSize) => s.kind === kind;
    const fonts = sizes.filter(ofKind('font'));
    const others = sizes.filter(ofKind('other'));
    const copy = (() => {
      try {
        return statSync(SERVER_COPY).isDirectory();
      } catch {
        return false;
      }
    })();
    const notes = [
      ...sizes.map(
        (s) => `${s.path} (${s.kind}): ${kib(s.raw)} raw, ${kib(s.best)} gzip -9, ${kib(s.standard)} gzip -6`,
      ),
      `raw total without fonts ${sum(sizes, 'raw', noFont).toFixed(1)} KiB; ` +
        `${fonts.length} font file(s), ${sum(sizes, 'raw', ofKind('font')).toFixed(1)} KiB raw` +
        (others.length > 0
          ? `; "other" files (counted in the total): ${others.map((s) => s.path).join(', ')}`
          : ''),
      copy
        ? `packages/server/dist/dashboard ${sameTree(DASHBOARD_DIST, SERVER_COPY) ? 'matches' : 'DIFFERS FROM (stale: rebuild @argus/server)'} apps/dashboard/dist`
        : 'packages/server/dist/dashboard is missing: @argus/server was built without the SPA',
      'ratios are shares of "total without fonts" (fonts: their size relative to it)',
    ];
    const fixed = (kiB: number) => () => kiB;
    return {
      notes,
      variants: [
        {
          name: 'total without fonts',
          goal: goals.below(120, 'KiB'),
          sample: fixed(sum(sizes, 'best', noFont)),
        },
        { name: 'total without fonts, gzip -6', sample: fixed(sum(sizes, 'standard', noFont)) },
        { name: 'JS', sample: fixed(sum(sizes, 'best', ofKind('js'))) },
        { name: 'CSS', sample: fixed(sum(sizes, 'best', ofKind('css'))) },
        { name: 'HTML', sample: fixed(sum(sizes, 'best', ofKind('html'))) },
        ...(others.length > 0
          ? [{ name: 'other files', sample: fixed(sum(sizes, 'best', ofKind('other'))) }]
          : []),
        { name: 'fonts', sample: fixed(sum(sizes, 'best', ofKind('font'))) },
      ],
    };
  },
};
