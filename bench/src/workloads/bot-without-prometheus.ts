// Issue 10's promise measured: a bot that pushes OTLP only installs and starts without
// prom-client. Startup: a fresh process per sample, imports included; install size: the
// packages each choice adds on disk, walked from their manifests (what npm would install).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Workload } from '../harness';

const run = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('../child/bot-start.mjs', import.meta.url));

async function firstStart(which: 'prometheus' | 'otlp'): Promise<number> {
  const { stdout } = await run(process.execPath, [CHILD, which], { cwd: BENCH_DIR, timeout: 60_000 });
  return (JSON.parse(stdout) as { ms: number }).ms;
}

/** A package's directory, resolved from `from` (a directory). */
function packageDir(name: string, from: string): string | undefined {
  try {
    const require = createRequire(join(from, 'noop.js'));
    return realpathSync(dirname(require.resolve(`${name}/package.json`)));
  } catch {
    try {
      // Packages whose exports map hides package.json: walk up from their entry.
      const require = createRequire(join(from, 'noop.js'));
      let dir = dirname(require.resolve(name));
      while (!statSync(join(dir, 'package.json'), { throwIfNoEntry: false })) dir = dirname(dir);
      return realpathSync(dir);
    } catch {
      return undefined;
    }
  }
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** The packages `roots` bring in (dependencies and installed peers, transitively), and their size. */
export function closure(roots: readonly string[], from: string): { packages: number; bytes: number } {
  const seen = new Set<string>();
  const queue = roots.map((name) => ({ name, from }));
  let bytes = 0;
  while (queue.length > 0) {
    const { name, from: base } = queue.shift()!;
    const dir = packageDir(name, base);
    if (dir === undefined || seen.has(dir)) continue;
    seen.add(dir);
    bytes += bytesUnder(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
      for (const dep of Object.keys(manifest[field] ?? {}))
        if (!dep.startsWith('@argus/core') && !dep.startsWith('discord.js'))
          queue.push({ name: dep, from: dir });
  }
  return { packages: seen.size, bytes };
}

const MIB = 1024 * 1024;

export const botWithoutPrometheus: Workload = {
  name: 'bot-without-prometheus',
  title: 'A bot without prom-client: first start and install size',
  description:
    'A fresh Node.js process imports discord.js and @argus/discordjs, makes a Client (never logged in) and calls ' +
    'argus() with prometheus() or with otlp() only; time from process start. Install size: the packages each ' +
    'adapter adds (dependencies and peers, transitively; discord.js and @argus/core are shared and left out).',
  unit: 'ms',
  baseline: 'prometheus(), fresh process',
  rounds: 7,
  warmupRounds: 1,
  setup() {
    const prometheus = closure(['@argus/prometheus'], BENCH_DIR);
    const otlp = closure(['@argus/otlp'], BENCH_DIR);
    return {
      notes: [
        `install: prometheus() adds ${prometheus.packages} packages, ${(prometheus.bytes / MIB).toFixed(1)} MiB; ` +
          `otlp() adds ${otlp.packages} packages, ${(otlp.bytes / MIB).toFixed(1)} MiB (the OpenTelemetry SDK)`,
      ],
      variants: [
        { name: 'prometheus(), fresh process', sample: () => firstStart('prometheus') },
        { name: 'otlp() only, fresh process', sample: () => firstStart('otlp') },
      ],
    };
  },
};
