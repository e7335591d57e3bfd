import type { ArgusConfig, FailOpenGuard } from '@argus/core';
import type { PrometheusAdapter } from '@argus/prometheus';
import type { Client } from 'discord.js';
import { isInstalled, MissingPackageError } from './optional';

/** The package that carries a sharded bot's reports to its manager; an optional peer. */
export const SHARDING_PACKAGE = '@argus/sharding';

interface ShardingModule {
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
  if (config.managedChild && config.reportToManager && !isInstalled(SHARDING_PACKAGE))
    throw new MissingPackageError('reportToManager', 'ARGUS_REPORT_TO_MANAGER', SHARDING_PACKAGE);
}

/**
 * Under a sharding manager, reports this child's metrics to the manager over its IPC channel,
 * from @argus/sharding loaded lazily. Returns what stops it; a failure to load is counted.
 */
export function reportToManager(
  config: ArgusConfig,
  client: Client,
  prometheus: PrometheusAdapter,
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
      render: () => prometheus.render('text'),
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
