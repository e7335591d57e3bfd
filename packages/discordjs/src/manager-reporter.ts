import {
  type AnalyticsSource,
  type ArgusConfig,
  type ArgusEvent,
  BatchingSink,
  type FailOpenGuard,
} from '@argus/core';
import type { Client } from 'discord.js';
import { type History, type HistoryHooks, isEmbeddedDsn } from './history';
import { isInstalled, MissingPackageError } from './optional';

/** The package that carries a sharded bot's reports to its manager; an optional peer. */
export const SHARDING_PACKAGE = '@argus/sharding';

interface ShardingModule {
  sendEventsToManager(cluster: string, events: readonly ArgusEvent[]): Promise<void>;
  startManagerReporter(options: {
    cluster: string;
    namespace: string;
    intervalMs: number;
    render: () => Promise<string>;
    ready: () => boolean;
    onError: (hook: string, error: unknown) => void;
  }): { stop(): void };
}

/** Checked at start, so a sharded bot without the package learns it from one clear error. */
export function checkShardingPackage(config: ArgusConfig): void {
  if (
    config.managedChild &&
    (config.reportToManager || forwardsHistory(config)) &&
    !isInstalled(SHARDING_PACKAGE)
  )
    throw new MissingPackageError('reportToManager', 'ARGUS_REPORT_TO_MANAGER', SHARDING_PACKAGE);
}

/**
 * Under a sharding manager, reports this child's metrics to the manager over its IPC channel,
 * from @argus/sharding loaded lazily. Returns what stops it; a failure to load is counted.
 */
export function reportToManager(
  config: ArgusConfig,
  client: Client,
  render: () => Promise<string>,
  guard: FailOpenGuard,
): () => void {
  let stopped = false;
  let stop = () => {};
  void guard.run('sharding:load', async () => {
    // A variable specifier keeps the optional package out of the build and the type check.
    const specifier = SHARDING_PACKAGE;
    const sharding = (await import(specifier)) as ShardingModule;
    if (stopped) return;
    const reporter = sharding.startManagerReporter({
      cluster: config.clusterId,
      namespace: config.namespace,
      intervalMs: config.reportIntervalMs,
      render,
      ready: () => client.isReady(),
      onError: (hook, error) => guard.report(hook, error),
    });
    stop = () => reporter.stop();
  });
  return () => {
    stopped = true;
    stop();
  };
}

/**
 * A child whose analytics DSN names the embedded engine forwards its per-guild events to the
 * manager, which owns the one engine (config refuses this without reporting to the manager).
 */
export function forwardsHistory(config: ArgusConfig): boolean {
  return (
    config.managedChild !== undefined &&
    config.enablePerGuild &&
    config.reportToManager &&
    isEmbeddedDsn(config.clickhouseDsn ?? '')
  );
}

/** The child's side of forwarded analytics: the same bounded, counted queue, drained over IPC. */
export function forwardedHistory(config: ArgusConfig, hooks: HistoryHooks): History {
  let loading: Promise<ShardingModule> | undefined;
  const load = () => {
    // A variable specifier keeps the optional package out of the build and the type check.
    const specifier = SHARDING_PACKAGE;
    loading ??= import(specifier) as Promise<ShardingModule>;
    return loading;
  };
  hooks.health.enable('sink', true);
  const batching = new BatchingSink<ArgusEvent>({
    ...hooks.retry,
    capacity: config.historyQueueCapacity,
    batchSize: config.historyBatchSize,
    maxBatchSize: Math.min(config.historyQueueCapacity, config.historyBatchSize * 10),
    flushIntervalMs: config.historyFlushInterval * 1000,
    write: async (batch) => (await load()).sendEventsToManager(config.clusterId, batch),
    onDrop: hooks.onDrop,
    onWritten: hooks.onWritten,
    onHealth: (up) => hooks.health.set('sink', up),
    onError: (error) => hooks.guard.report('history:forward', error),
  });
  hooks.logger.info('per-guild analytics: events are forwarded to the sharding manager, which stores them');
  const servedByManager = async (): Promise<never> => {
    throw new Error('per-guild analytics of a sharded bot is served by its manager');
  };
  const analytics: AnalyticsSource = {
    interactionVolume: servedByManager,
    topCommands: servedByManager,
    commandStats: servedByManager,
    overall: servedByManager,
    responseShare: servedByManager,
    topGuilds: servedByManager,
  };
  return {
    sink: batching,
    analytics,
    stats: () => batching.stats(),
    close: (deadlineMs) => batching.close(deadlineMs),
  };
}
