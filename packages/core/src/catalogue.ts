import type { HealthState } from './health';
import { type MetricNames, metricNames } from './names';

export { type MetricNames, metricNames } from './names';

import type { Counter, Histogram, MetricRegistry } from './registry';

/** Command and handler durations (argus-dpy's buckets, so boards and rules carry over). */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
/** Receipt to initial response: Discord's 3 s deadline is a bucket boundary, so the SLO is exact. */
export const RESPONSE_BUCKETS: readonly number[] = Object.freeze([0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10]);
export const REST_BUCKETS: readonly number[] = Object.freeze([0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
/** OpenTelemetry's default boundaries, for user-defined timers. */
export const USER_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

export interface ShardState {
  id: number;
  /** Heartbeat round trip in seconds; NaN before the first acknowledgement (not exposed). */
  latencySeconds: number;
  up: boolean;
}

/**
 * Live readers behind the scrape-time gauges. Each must be O(1) in the number of guilds,
 * members and channels (invariant 4); a missing reader means no sample.
 */
export interface CatalogueSources {
  shards?(): Iterable<ShardState>;
  shardsConfigured?(): number;
  guilds?(): number;
  cachedUsers?(): number;
  channels?(): number;
  emojis?(): number;
  stickers?(): number;
  voiceConnections?(): number;
  appCommandsRegistered?(): number;
  eventLoopLagSeconds?(): number;
}

export interface CatalogueOptions {
  namespace: string;
  sources: CatalogueSources;
  health: HealthState;
  /** `performance.now()` when Argus started; uptime counts from here. */
  startedAt?: number;
}

/**
 * The analytics queue depth, part of the catalogue but defined only when per-guild analytics is
 * on, once the queue exists (a bot without analytics shows no empty family).
 */
export function defineHistoryQueueGauge(
  registry: MetricRegistry,
  namespace: string,
  read: () => number,
): void {
  registry.define({
    kind: 'gauge',
    name: metricNames(namespace).historyQueued,
    help: 'Per-guild analytics events waiting to be written (produced = written + dropped + queued).',
    collect: (emit) => emit(read()),
  });
}

/**
 * Typed handles on the catalogue's counters and histograms: whoever records gets these, and
 * never looks a metric up by its name.
 */
export interface Catalogue {
  readonly names: MetricNames;
  readonly interactions: Counter;
  readonly interactionsUnanswered: Counter;
  readonly interactionResponse: Histogram;
  readonly appCommands: Counter;
  readonly appCommandDuration: Histogram;
  readonly commands: Counter;
  readonly commandDuration: Histogram;
  readonly commandErrors: Counter;
  readonly gatewayEvents: Counter;
  readonly shardDisconnects: Counter;
  readonly shardReconnects: Counter;
  readonly logRecords: Counter;
  readonly rateLimits: Counter;
  readonly restResponses: Counter;
  readonly restInvalidRequests: Counter;
  readonly restDuration: Histogram;
  readonly timersEvicted: Counter;
  readonly eventsDropped: Counter;
  readonly eventsWritten: Counter;
}

/** Defines the whole Argus catalogue on a registry and returns typed handles on it. */
export function defineCatalogue(registry: MetricRegistry, options: CatalogueOptions): Catalogue {
  const n = metricNames(options.namespace);
  const { sources, health } = options;
  const startedAt = options.startedAt ?? performance.now();
  const scalar = (name: string, help: string, read: (() => number) | undefined) =>
    registry.define({
      kind: 'gauge',
      name,
      help,
      collect: (emit) => {
        if (read) emit(read());
      },
    });

  registry.define({
    kind: 'gauge',
    name: n.shardLatency,
    help: 'Gateway heartbeat round trip per shard, in seconds.',
    labelNames: ['shard'],
    collect: (emit) => {
      if (!sources.shards) return;
      for (const s of sources.shards()) emit(s.latencySeconds, { shard: String(s.id) });
    },
  });
  registry.define({
    kind: 'gauge',
    name: n.shardUp,
    help: '1 while the shard gateway connection is ready, else 0.',
    labelNames: ['shard'],
    collect: (emit) => {
      if (!sources.shards) return;
      for (const s of sources.shards()) emit(s.up ? 1 : 0, { shard: String(s.id) });
    },
  });
  registry.define({
    kind: 'gauge',
    name: n.shardsConnected,
    help: 'Shards whose gateway connection is ready.',
    collect: (emit) => {
      if (!sources.shards) return;
      let up = 0;
      for (const s of sources.shards()) if (s.up) up++;
      emit(up);
    },
  });
  scalar(n.shardsConfigured, 'Shards this process is configured to run.', sources.shardsConfigured);
  scalar(n.guilds, 'Guilds the bot is in.', sources.guilds);
  scalar(n.cachedUsers, 'Users in the cache (meaningful with the members intent).', sources.cachedUsers);
  scalar(n.channels, 'Channels in the cache.', sources.channels);
  scalar(n.emojis, 'Custom emojis in the cache.', sources.emojis);
  scalar(n.stickers, 'Stickers in the cache.', sources.stickers);
  scalar(n.voiceConnections, 'Active voice connections (with @discordjs/voice).', sources.voiceConnections);
  scalar(
    n.appCommandsRegistered,
    'Application commands registered for the bot.',
    sources.appCommandsRegistered,
  );
  scalar(n.uptime, 'Seconds since Argus started.', () => (performance.now() - startedAt) / 1000);
  scalar(
    n.eventLoopLag,
    'Event-loop delay p99 over the recent window, in seconds; high means the bot is alive but blocked.',
    sources.eventLoopLagSeconds,
  );
  scalar(n.up, '1 while Argus is alive.', () => 1);
  registry.define({
    kind: 'gauge',
    name: n.subsystemUp,
    help: '1 if the named Argus subsystem is healthy, else 0 (only enabled subsystems are reported).',
    labelNames: ['subsystem'],
    collect: (emit) => {
      for (const [subsystem, up] of health.entries()) emit(up ? 1 : 0, { subsystem });
    },
  });

  registry.define({
    kind: 'info',
    name: n.botInfo,
    help: 'Versions of discord.js, Argus and Node.js running this bot.',
    labelNames: ['discordjs_version', 'argus_version', 'node_version'],
  });

  const counter = (name: string, help: string, labelNames: string[]) =>
    registry.define({ kind: 'counter', name, help, labelNames });
  const histogram = (name: string, help: string, labelNames: string[], buckets: readonly number[]) =>
    registry.define({ kind: 'histogram', name, help, labelNames, buckets });

  counter(n.interactions, 'Interactions received, by type.', ['type', 'status']);
  counter(
    n.interactionsUnanswered,
    "Interactions with no initial response within Discord's 3 second deadline.",
    ['type', 'command'],
  );
  histogram(
    n.interactionResponse,
    'Seconds from interaction receipt to its initial response (reply, defer, update, modal or autocomplete).',
    ['type', 'command'],
    RESPONSE_BUCKETS,
  );
  counter(n.appCommands, 'Application command invocations by outcome.', ['command', 'status']);
  histogram(
    n.appCommandDuration,
    'Application command handler duration in seconds (receipt to completion).',
    ['command'],
    DURATION_BUCKETS,
  );
  counter(n.commands, 'Prefix command invocations by outcome.', ['command', 'status']);
  histogram(n.commandDuration, 'Prefix command handler duration in seconds.', ['command'], DURATION_BUCKETS);
  counter(n.commandErrors, 'Command errors by error type.', ['command', 'error_type']);
  counter(n.gatewayEvents, 'Gateway dispatch events by type.', ['event']);
  counter(n.shardDisconnects, 'Shard disconnects.', ['shard']);
  counter(n.shardReconnects, 'Shard reconnects and resumes.', ['shard']);
  counter(n.logRecords, 'discord.js debug, warn and error events by source and level.', ['logger', 'level']);
  counter(n.rateLimits, 'REST rate limits hit, by scope, method and route template.', [
    'scope',
    'method',
    'route',
  ]);
  counter(n.restResponses, 'REST responses by method, route template and status class.', [
    'method',
    'route',
    'status_class',
  ]);
  counter(
    n.restInvalidRequests,
    'REST responses with status 401, 403 or 429 (Discord bans an IP at 10,000 in 10 minutes).',
    ['status'],
  );
  histogram(
    n.restDuration,
    'REST request duration in seconds, by method and route template.',
    ['method', 'route'],
    REST_BUCKETS,
  );
  counter(n.timersEvicted, 'In-flight timers evicted at the cap (latency under-counted past timerCap).', []);
  counter(
    n.eventsDropped,
    'Per-guild analytics events dropped, by reason (overflow: queue full; shutdown: unflushed at close; invalid: refused by the store).',
    ['reason'],
  );
  counter(n.eventsWritten, 'Per-guild analytics events stored in ClickHouse.', []);

  const c = (name: string) => registry.counter(name);
  const h = (name: string) => registry.histogram(name);
  return Object.freeze({
    names: n,
    interactions: c(n.interactions),
    interactionsUnanswered: c(n.interactionsUnanswered),
    interactionResponse: h(n.interactionResponse),
    appCommands: c(n.appCommands),
    appCommandDuration: h(n.appCommandDuration),
    commands: c(n.commands),
    commandDuration: h(n.commandDuration),
    commandErrors: c(n.commandErrors),
    gatewayEvents: c(n.gatewayEvents),
    shardDisconnects: c(n.shardDisconnects),
    shardReconnects: c(n.shardReconnects),
    logRecords: c(n.logRecords),
    rateLimits: c(n.rateLimits),
    restResponses: c(n.restResponses),
    restInvalidRequests: c(n.restInvalidRequests),
    restDuration: h(n.restDuration),
    timersEvicted: c(n.timersEvicted),
    eventsDropped: c(n.eventsDropped),
    eventsWritten: c(n.eventsWritten),
  });
}
