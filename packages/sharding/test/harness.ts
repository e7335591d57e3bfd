import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DiscordSim } from '@argus/discord-sim';
import { build } from 'tsdown';
import type { FleetView } from '../src/index';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
/**
 * Inside the package's node_modules so discord.js and discord-hybrid-sharding resolve as they do
 * for a bot; @argus/* are bundled from their sources, and @argus/sharding (which argus() loads
 * lazily by name) gets its own bundle in the folder's node_modules. One folder per test file, as
 * files run in parallel.
 */
const outDirOf = (name: string) => `${pkgDir}node_modules/.cache/sharding-test-${name}`;

const RUNTIME_PACKAGES = new Set(['chdb', '@clickhouse/client', 'prom-client']);
/**
 * Dependencies of bundled @argus/* packages that the sharding package does not have itself: loaded
 * from where their @argus/* package has them, as npm would install them for a bot.
 */
const DEPENDENCIES_OF = { '@discordjs/rest': 'alerts' } as const;

/** Bundles @argus/* from sources, the way vitest's aliases do. */
const fromSources = {
  name: 'argus-sources',
  resolveId(id: string) {
    // Native or CommonJS packages stay outside the bundle, loaded from node_modules as a bot does.
    if (RUNTIME_PACKAGES.has(id)) return { id, external: true };
    const owner = DEPENDENCIES_OF[id as keyof typeof DEPENDENCIES_OF];
    if (owner)
      return {
        id: pathToFileURL(createRequire(`${repoDir}packages/${owner}/package.json`).resolve(id)).href,
        external: true,
      };
    const m = /^@argus\/([\w-]+)(?:\/([\w-]+))?$/.exec(id);
    if (!m) return null;
    return `${repoDir}packages/${m[1]}/src/${m[2] ?? 'index'}.ts`;
  },
};

const { version } = (await import('../../core/package.json', { with: { type: 'json' } })).default as {
  version: string;
};

async function bundle(entry: Record<string, string>, dir: string, format: ('esm' | 'cjs')[] = ['esm']) {
  await build({
    config: false,
    cwd: pkgDir,
    entry,
    format,
    outDir: dir,
    dts: false,
    clean: false,
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    define: { __ARGUS_VERSION__: JSON.stringify(version) },
    plugins: [fromSources],
    deps: {
      neverBundle: [
        'discord.js',
        'discord-hybrid-sharding',
        // @discordjs/rest is resolved by the plugin above, from the package that depends on it.
        /^@discordjs\/(?!rest$)/,
        'zlib-sync',
        'bufferutil',
        'utf-8-validate',
        'prom-client',
      ],
      alwaysBundle: [/^@argus\//, 'hono', /^@hono\//],
    },
  });
}

/** Builds the manager and bot fixtures once per test file; returns their folder. */
export async function buildFixtures(name: string): Promise<string> {
  const outDir = outDirOf(name);
  await rm(outDir, { recursive: true, force: true });
  await bundle({ bot: 'test/fixtures/bot.ts', manager: 'test/fixtures/manager.ts' }, outDir);
  const selfDir = `${outDir}/node_modules/@argus/sharding`;
  await mkdir(selfDir, { recursive: true });
  await bundle({ index: 'src/index.ts' }, selfDir);
  await writeFile(
    `${selfDir}/package.json`,
    JSON.stringify({ name: '@argus/sharding', type: 'module', exports: './index.mjs' }),
  );
  // The manager loads @argus/clickhouse by name for forwarded analytics, as a bot would from its node_modules.
  const clickhouseDir = `${outDir}/node_modules/@argus/clickhouse`;
  await mkdir(clickhouseDir, { recursive: true });
  await bundle({ index: '../clickhouse/src/index.ts' }, clickhouseDir);
  await writeFile(
    `${clickhouseDir}/package.json`,
    JSON.stringify({ name: '@argus/clickhouse', type: 'module', exports: './index.mjs' }),
  );
  // argus(client) alone serves Prometheus through @argus/prometheus, loaded by name with require()
  // (as from a bot's node_modules): ESM and CommonJS, like the published package.
  const prometheusDir = `${outDir}/node_modules/@argus/prometheus`;
  await mkdir(prometheusDir, { recursive: true });
  await bundle({ index: '../prometheus/src/index.ts' }, prometheusDir, ['esm', 'cjs']);
  await writeFile(
    `${prometheusDir}/package.json`,
    JSON.stringify({
      name: '@argus/prometheus',
      type: 'module',
      exports: { import: './index.mjs', require: './index.cjs' },
    }),
  );
  return outDir;
}

/** Removes what `buildFixtures` wrote. */
export async function removeFixtures(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
}

export interface Plan {
  manager: 'discordjs' | 'hybrid';
  mode: 'process' | 'worker';
  totalShards: number;
  clusters?: number;
  deadlineMs: number;
  /** Whether the manager respawns a child that exits. Default true. */
  respawn?: boolean;
  /** argusManager's dashboardInterval, in seconds. */
  dashboardInterval?: number;
  /** argusManager's analytics option, for children that forward per-guild events. */
  analytics?: { clickhouseDsn: string; token: string; flushIntervalMs: number };
}

/** Variables a manager writes into its environment; none may leak from the test runner into the next. */
const MANAGER_VARIABLES =
  /^(SHARDING_MANAGER|SHARDING_MANAGER_MODE|SHARDS|SHARD_COUNT|CLUSTER|CLUSTER_COUNT|CLUSTER_MANAGER|CLUSTER_MANAGER_MODE|SHARD_LIST|TOTAL_SHARDS|DISCORD_TOKEN|ARGUS_.*)$/;

export interface RunningFleet {
  readonly url: string;
  readonly manager: ChildProcess;
  metrics(): Promise<string>;
  /** The manager's (and its children's) last lines on stderr, for a failing test's message. */
  logs(): string;
  /** GET a path of the manager's server. */
  get(path: string, token?: string): Promise<Response>;
  fleet(): Promise<FleetView>;
  kill(index: number): void;
  stop(): Promise<void>;
}

/** Starts a manager process (which spawns its children) against the simulator. */
export async function startFleet(
  outDir: string,
  sim: DiscordSim,
  plan: Plan,
  reportIntervalMs: number,
  extra: { env?: Record<string, string>; cwd?: string } = {},
): Promise<RunningFleet> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !MANAGER_VARIABLES.test(k)) env[k] = v;
  Object.assign(env, {
    SIM_API: sim.apiUrl,
    SIM_TOKEN: sim.token,
    FIXTURE_MANAGER: plan.manager,
    ARGUS_REPORT_INTERVAL_MS: String(reportIntervalMs),
    ARGUS_LOG_FORMAT: 'json',
    ...extra.env,
  });
  const manager = spawn(process.execPath, [`${outDir}/manager.mjs`, JSON.stringify(plan)], {
    env,
    ...(extra.cwd ? { cwd: extra.cwd } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  manager.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 200) stderr.shift();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: manager.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    manager.once('exit', (code) => reject(new Error(`manager exited with ${code}:\n${stderr.join('')}`)));
  });
  const get = (path: string, token?: string) =>
    fetch(`${url}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  return {
    url,
    manager,
    get,
    logs: () => stderr.join(''),
    metrics: async () => (await get('/metrics')).text(),
    fleet: async () => (await (await get('/api/fleet')).json()) as FleetView,
    kill: (index) => manager.stdin!.write(`kill ${index}\n`),
    async stop() {
      const pids =
        manager.exitCode === null
          ? (
              (await get('/api/fleet')
                .then((r) => r.json())
                .catch(() => ({ clusters: [] }))) as FleetView
            ).clusters.map((c) => c.pid)
          : [];
      if (manager.exitCode === null) {
        const exited = new Promise((r) => manager.once('exit', r));
        manager.stdin!.end();
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
        if (manager.exitCode === null) manager.kill('SIGKILL');
      }
      // Whatever child the manager could not end (a stopped one, say) goes now.
      for (const pid of pids) {
        if (pid === null || pid === process.pid) continue;
        try {
          process.kill(pid, 'SIGCONT');
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
  };
}

/** The value of every sample of `family` whose labels include all of `labels`. */
export function samples(text: string, family: string, labels: Record<string, string> = {}): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`) && !line.startsWith(`${family} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    out.push(Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
