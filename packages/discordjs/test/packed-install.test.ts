// The way a user installs: every package packed with `pnpm pack` (from what `pnpm turbo run
// build` produced), installed with npm into projects outside the workspace, in three
// combinations, each running a bot on the simulator. A combination must get what it asked for
// and nothing it did not: no prom-client anywhere in an OTLP-only bot's node_modules.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packages = join(import.meta.dirname, '..', '..');
const bot = join(import.meta.dirname, 'fixtures', 'packed-bot.mjs');
// discord.js as the workspace tests it; everything else comes from the tarballs.
const DISCORD_JS = 'discord.js@14.28.1';

const COMBINATIONS = {
  prometheus: ['core', 'server', 'alerts', 'prometheus', 'discord-sim', 'discordjs'],
  otlp: ['core', 'server', 'alerts', 'otlp', 'discord-sim', 'discordjs'],
  everything: [
    'core',
    'server',
    'alerts',
    'prometheus',
    'otlp',
    'tracing',
    'clickhouse',
    'discord-sim',
    'discordjs',
  ],
} as const;
type Combination = keyof typeof COMBINATIONS;

let root: string;
const projects = {} as Record<Combination, string>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'argus-packed-'));
  const packs = join(root, 'packs');
  mkdirSync(packs);
  const all = new Set(Object.values(COMBINATIONS).flat());
  for (const pkg of all)
    await run('pnpm', ['pack', '--pack-destination', packs], { cwd: join(packages, pkg) });
  const tarballs = readdirSync(packs);
  const tarball = (pkg: string) => join(packs, tarballs.find((file) => file === `argus-${pkg}-0.1.0.tgz`)!);
  // The three installs in parallel: they wait on the registry more than on the CPU.
  await Promise.all(
    (Object.keys(COMBINATIONS) as Combination[]).map(async (name) => {
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: `bot-${name}`, private: true, type: 'module' }),
      );
      await run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--loglevel=error',
          ...COMBINATIONS[name].map(tarball),
          DISCORD_JS,
        ],
        { cwd: dir, timeout: 90_000 },
      );
      projects[name] = dir;
    }),
  );
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every package name installed anywhere under `dir`/node_modules (nested ones too). */
function installed(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (modules: string) => {
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const paths = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map(
            (sub) => [`${entry}/${sub}`, join(modules, entry, sub)] as const,
          )
        : [[entry, join(modules, entry)] as const];
      for (const [name, path] of paths) {
        names.add(name);
        walk(join(path, 'node_modules'));
      }
    }
  };
  walk(join(dir, 'node_modules'));
  return names;
}

async function runBot(name: Combination, combination: string = name): Promise<Record<string, unknown>> {
  const script = join(projects[name], 'bot.mjs');
  copyFileSync(bot, script);
  // As a user runs it: `pnpm exec` puts the workspace's packages on NODE_PATH, which would let the
  // bot find packages its project never installed.
  const { NODE_PATH: _, ...env } = process.env;
  const { stdout } = await run(process.execPath, [script, combination], {
    cwd: projects[name],
    env,
    timeout: 45_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('packed and installed with npm', () => {
  it('Prometheus only: argus(client) serves /metrics and the dashboard, and installs no OpenTelemetry SDK', async () => {
    const names = installed(projects.prometheus);
    expect(names.has('prom-client')).toBe(true);
    // prom-client itself depends on @opentelemetry/api (for exemplars); the SDK and exporters stay out.
    for (const unwanted of [
      '@argus/otlp',
      '@argus/tracing',
      '@argus/clickhouse',
      '@opentelemetry/sdk-metrics',
    ])
      expect(names.has(unwanted), unwanted).toBe(false);
    const seen = await runBot('prometheus');
    expect(seen).toMatchObject({
      metricsStatus: 200,
      metricsHasInteraction: true,
      interactions: 1,
      readyz: 200,
      streamHasInteractions: true,
      otlpExports: 0,
      prometheusBackend: true,
    });
  });

  it('OTLP only: no prom-client anywhere, OTLP pushed and the live dashboard fed from core', async () => {
    const names = installed(projects.otlp);
    for (const unwanted of ['prom-client', '@argus/prometheus', '@argus/tracing', '@argus/clickhouse'])
      expect(names.has(unwanted), unwanted).toBe(false);
    for (const mode of ['otlp', 'otlp-env']) {
      const seen = await runBot('otlp', mode);
      expect(seen, mode).toMatchObject({
        metricsStatus: 404,
        interactions: 1,
        readyz: 200,
        streamHasInteractions: true,
        otlpPaths: ['/v1/metrics'],
        prometheusBackend: false,
      });
      expect(seen.otlpExports as number, mode).toBeGreaterThan(0);
    }
    // With no OTLP endpoint either, argus(client) names what to install.
    expect(await runBot('otlp', 'default-without-prometheus')).toEqual({
      error: { name: 'MissingPackageError', pkg: '@argus/prometheus' },
    });
  });

  it('everything composed in code: Prometheus, OTLP, tracing and analytics (ClickHouse down) together', async () => {
    const names = installed(projects.everything);
    for (const wanted of [
      'prom-client',
      '@argus/otlp',
      '@argus/tracing',
      '@argus/clickhouse',
      '@opentelemetry/api',
    ])
      expect(names.has(wanted), wanted).toBe(true);
    const seen = await runBot('everything');
    expect(seen).toMatchObject({
      metricsStatus: 200,
      metricsHasInteraction: true,
      interactions: 1,
      readyz: 200,
      streamHasInteractions: true,
      otlpPaths: ['/v1/metrics'],
      prometheusBackend: true,
    });
    expect(seen.otlpExports as number).toBeGreaterThan(0);
  });
});
