import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineCatalogue, defineHistoryQueueGauge } from '../src/catalogue';
import { HealthState } from '../src/health';
import { MetricRegistry } from '../src/registry';
import {
  findBackendImports,
  findCachedGauges,
  findCacheIteration,
  findEnvReads,
  findForbiddenLabels,
  findForbiddenLabelsInText,
  findThrowingHooks,
  methodSource,
  readSources,
  repoRoot,
} from './invariant-checks';

/** Every Argus runtime package. discord-sim is a test tool, not part of a bot's runtime. */
const runtimePackages = ['core', 'prometheus', 'server', 'discordjs', 'otlp', 'tracing', 'clickhouse'].filter(
  (p) => existsSync(join(repoRoot, 'packages', p, 'src')),
);

function fullCatalogue(state: { n: number }) {
  const registry = new MetricRegistry({ defaultLabels: { cluster: 'test' } });
  const health = new HealthState();
  health.enable('server', state.n % 2 === 0);
  defineCatalogue(registry, {
    namespace: 'discord',
    health,
    sources: {
      shards: () => [
        { id: 0, latencySeconds: state.n / 1000, up: state.n % 2 === 0 },
        { id: 1, latencySeconds: state.n / 500, up: true },
      ],
      shardsConfigured: () => state.n,
      guilds: () => state.n,
      cachedUsers: () => state.n,
      channels: () => state.n,
      emojis: () => state.n,
      stickers: () => state.n,
      voiceConnections: () => state.n,
      appCommandsRegistered: () => state.n,
      eventLoopLagSeconds: () => state.n / 100,
    },
  });
  defineHistoryQueueGauge(registry, 'discord', () => state.n);
  return { registry, health };
}

describe('invariant 1: core imports no backend', () => {
  it('holds for @argus/core', () => {
    expect(findBackendImports(readSources(join(repoRoot, 'packages/core/src')))).toEqual([]);
  });

  it('catches a planted violation, and allows type-only imports', () => {
    const planted = [
      { path: 'a.ts', text: "import { Registry } from 'prom-client';" },
      { path: 'b.ts', text: "import { Client, type Guild } from 'discord.js';" },
      { path: 'c.ts', text: "const h = await import('hono');" },
      { path: 'd.ts', text: "export { metrics } from '@opentelemetry/api';" },
      { path: 'e.ts', text: "const ch = require('@clickhouse/client');" },
      { path: 'ok1.ts', text: "import type { Client } from 'discord.js';" },
      { path: 'ok2.ts', text: "import { type Client, type Guild } from 'discord.js';" },
      { path: 'ok3.ts', text: "// import { Registry } from 'prom-client';" },
    ];
    expect(findBackendImports(planted)).toEqual([
      'a.ts: prom-client',
      'b.ts: discord.js',
      'c.ts: hono',
      'd.ts: @opentelemetry/api',
      'e.ts: @clickhouse/client',
    ]);
  });
});

describe('invariant 2: no unbounded-cardinality label', () => {
  it('holds for the full catalogue', () => {
    const { registry } = fullCatalogue({ n: 1 });
    expect(findForbiddenLabels(registry.definitions())).toEqual([]);
  });

  it('catches a planted violation in definitions and in text', () => {
    expect(
      findForbiddenLabels([
        { kind: 'counter', name: 'x_total', help: 'h', labelNames: ['command', 'guild_id'] },
      ]),
    ).toEqual(['x_total{guild_id}']);
    expect(findForbiddenLabelsInText('x_total{user_id="1"} 1')).toEqual(['user_id']);
    expect(findForbiddenLabelsInText('{"labels":{"channel_id":"5"}}')).toEqual(['channel_id']);
    expect(findForbiddenLabelsInText('x_total{command="guild_id"} 1')).toEqual([]);
  });
});

describe('invariant 4: gauges are read at scrape time', () => {
  it('holds for every gauge of the catalogue except constants', () => {
    const state = { n: 2 };
    const { registry, health } = fullCatalogue(state);
    const cached = findCachedGauges(registry.definitions(), () => {
      state.n++;
      health.set('server', !health.isUp('server'));
    }, ['argus_up', 'discord_uptime_seconds']);
    expect(cached).toEqual([]);
  });

  it('no discord.js gauge source walks a cache at scrape time', () => {
    const source = readFileSync(join(repoRoot, 'packages/core/src/instrumentation/client-gauges.ts'), 'utf8');
    const readers = methodSource(source, 'constructor');
    expect(readers).toContain('client.guilds.cache.size');
    expect(findCacheIteration(readers)).toEqual([]);
  });

  it('catches planted cache walks', () => {
    expect(
      findCacheIteration(`
        guilds: () => client.guilds.cache.filter((g) => g.available).size,
        members: () => { let n = 0; for (const g of client.guilds.cache.values()) n += g.memberCount; return n; },
        emojis: () => client.emojis.cache.size,
        channels: () => [...client.channels.cache].length,
      `),
    ).toHaveLength(5);
  });

  it('catches a planted gauge that caches its value', () => {
    const registry = new MetricRegistry();
    const state = { n: 1 };
    const cachedAtDefinition = state.n;
    registry.define({ kind: 'gauge', name: 'live', help: 'h', collect: (emit) => emit(state.n) });
    registry.define({ kind: 'gauge', name: 'stale', help: 'h', collect: (emit) => emit(cachedAtDefinition) });
    expect(findCachedGauges(registry.definitions(), () => state.n++)).toEqual(['stale']);
  });
});

describe('invariant 5: fail open', () => {
  it('guarded hooks and gauge reads never throw', () => {
    const { registry } = fullCatalogue({ n: 1 });
    registry.define({
      kind: 'gauge',
      name: 'broken',
      help: 'h',
      collect: () => {
        throw new Error('x');
      },
    });
    const broken = registry.definitions().find((d) => d.name === 'broken');
    const hooks = {
      guardedSync: registry.guard.wrap('sync', () => {
        throw new Error('sync');
      }),
      guardedAsync: registry.guard.wrap('async', async () => {
        throw new Error('async');
      }),
      gaugeRead: () => broken?.kind === 'gauge' && broken.read(() => {}),
    };
    expect(findThrowingHooks(hooks)).toEqual([]);
  });

  it('catches a planted unguarded hook', () => {
    expect(
      findThrowingHooks({
        unguarded: () => {
          throw new Error('into the bot');
        },
      }),
    ).toEqual(['unguarded']);
  });
});

describe('invariant 6: one config funnel', () => {
  it('only the config module reads process.env in any runtime package', () => {
    const files = runtimePackages.flatMap((p) => readSources(join(repoRoot, 'packages', p, 'src')));
    expect(files.length).toBeGreaterThan(5);
    expect(findEnvReads(files, ['packages/core/src/config.ts'])).toEqual([]);
  });

  it('catches a planted read', () => {
    const planted = [
      { path: 'x.ts', text: 'const port = process.env.PORT;' },
      { path: 'y.ts', text: "const t = process['env'];" },
      { path: 'ok.ts', text: '// process.env is read in config only' },
    ];
    expect(findEnvReads(planted, [])).toEqual(['x.ts', 'y.ts']);
  });
});
