// A realistic Argus registry for integration tests: the whole core catalogue with default
// labels, some traffic on every counter and histogram, shard gauges and the bot info metric.
import { defineCatalogue, HealthState, type MetricNames, MetricRegistry, type ShardState } from '@argus/core';
import { PrometheusAdapter } from '../src/index';

export interface RealisticOptions {
  processMetrics?: boolean;
  shards?: number;
  commands?: number;
}

export interface Realistic {
  registry: MetricRegistry;
  adapter: PrometheusAdapter;
  names: MetricNames;
  shards: ShardState[];
  health: HealthState;
}

export function realisticRegistry(options: RealisticOptions = {}): Realistic {
  const { processMetrics = false, shards: shardCount = 4, commands = 5 } = options;
  const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
  const adapter = new PrometheusAdapter({ processMetrics, guard: registry.guard });
  registry.attach(adapter);
  const health = new HealthState();
  health.enable('prometheus', true);
  health.enable('clickhouse', false);
  const shards: ShardState[] = Array.from({ length: shardCount }, (_, id) => ({
    id,
    latencySeconds: 0.04 + id / 1000,
    up: id !== 1,
  }));
  const { names } = defineCatalogue(registry, {
    namespace: 'discord',
    health,
    sources: {
      shards: () => shards,
      shardsConfigured: () => shardCount,
      guilds: () => 1234,
      cachedUsers: () => 56789,
      channels: () => 4321,
      emojis: () => 99,
      stickers: () => 7,
      appCommandsRegistered: () => commands,
      eventLoopLagSeconds: () => 0.012,
    },
  });
  registry.setInfo(names.botInfo, {
    discordjs_version: '14.28.1',
    argus_version: '0.1.0',
    node_version: process.version,
  });

  const interactions = registry.counter(names.interactions);
  const response = registry.histogram(names.interactionResponse);
  const appCommands = registry.counter(names.appCommands);
  const appDuration = registry.histogram(names.appCommandDuration);
  const errors = registry.counter(names.commandErrors);
  for (let c = 0; c < commands; c++) {
    const command = `command_${c}`;
    appCommands.labels(command, 'ok').inc(10 + c);
    appCommands.labels(command, 'error').inc(c % 3);
    errors.labels(command, 'DiscordAPIError').inc(c % 2);
    const duration = appDuration.labels(command);
    for (const seconds of [0.03, 0.2, 0.7, 1.5, 12]) duration.observe(seconds * (1 + c / 10));
    const latency = response.labels('application_command', command);
    for (const seconds of [0.08, 0.4, 2.9, 3.2]) latency.observe(seconds);
  }
  interactions.labels('application_command', 'ok').inc(42);
  interactions.labels('message_component', 'ok').inc(7);
  registry.counter(names.interactionsUnanswered).labels('application_command', 'command_0').inc();
  const gateway = registry.counter(names.gatewayEvents);
  for (const event of ['MESSAGE_CREATE', 'INTERACTION_CREATE', 'GUILD_CREATE', 'PRESENCE_UPDATE']) {
    gateway.labels(event).inc(100);
  }
  for (const shard of shards) {
    registry
      .counter(names.shardDisconnects)
      .labels(String(shard.id))
      .inc(shard.id % 2);
    registry.counter(names.shardReconnects).labels(String(shard.id)).inc();
  }
  registry.counter(names.logRecords).labels('rest', 'warn').inc(3);
  registry.counter(names.rateLimits).labels('user', 'POST', '/channels/:id/messages').inc(2);
  registry.counter(names.restResponses).labels('GET', '/gateway/bot', '2xx').inc(5);
  registry.counter(names.restInvalidRequests).labels('429').inc(2);
  registry.histogram(names.restDuration).labels('POST', '/interactions/:id/:token/callback').observe(0.12);
  registry.counter(names.timersEvicted).labels().inc(0);
  registry.counter(names.eventsDropped).labels('queue_full').inc(1);
  return { registry, adapter, names, shards, health };
}

/** Every label name used in an exposition's sample lines. */
export function exposedLabelNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || !line.includes('{')) continue;
    const body = line.slice(line.indexOf('{') + 1);
    for (const match of body.matchAll(/(?:^|,)([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g))
      names.add(match[1]!);
  }
  return names;
}
