// The zero-code path: the adapters `argus(client)` picks from the resolved config (ARGUS_*
// variables) when the bot composes none in code. Prometheus is the default and is loaded
// synchronously (argus() serves /metrics from its first call); OTLP, tracing and ClickHouse load
// in the background, as before. A missing package fails at start, named.
import { createRequire } from 'node:module';
import { type ArgusAdapter, type ArgusConfig, defineHistoryQueueGauge, PerGuildRecorder } from '@argus/core';
import { checkHistoryPackages, createHistory, type HistoryRetry } from './history';
import { forwardedHistory, forwardsHistory } from './manager-reporter';
import { isInstalled, MissingPackageError } from './optional';
import { checkOtlpPackage, startOtlpPush } from './otlp-push';
import { checkTracingPackages, createTracing } from './tracing';

type PrometheusModule = typeof import('@argus/prometheus');

const localRequire = createRequire(import.meta.url);

/** Which of @argus/prometheus and its prom-client peer cannot be loaded from here, if any. */
export function missingPrometheusPackage(): string | undefined {
  if (!isInstalled('@argus/prometheus')) return '@argus/prometheus';
  try {
    return isInstalled('prom-client', createRequire(localRequire.resolve('@argus/prometheus')))
      ? undefined
      : 'prom-client';
  } catch {
    return 'prom-client';
  }
}

/** @argus/prometheus, loaded synchronously (its CommonJS build). */
function loadPrometheus(): PrometheusModule {
  return localRequire('@argus/prometheus') as PrometheusModule;
}

export interface EnvironmentAdapters {
  metrics: ArgusAdapter[];
  tracing: ArgusAdapter | undefined;
  analytics: ArgusAdapter | undefined;
}

/**
 * The adapters the config asks for, for each slot the bot left empty. Checks every package they
 * need now, so a missing one fails argus() at start like a bad option.
 */
export function environmentAdapters(
  config: ArgusConfig,
  given: { metrics: readonly ArgusAdapter[] | undefined; tracing: boolean; analytics: boolean },
  historyRetry: HistoryRetry | undefined,
  /** Tests replace it: in the workspace every package is installed. */
  missingPrometheus: () => string | undefined = missingPrometheusPackage,
): EnvironmentAdapters {
  const prometheusInstalled = () => missingPrometheus() === undefined;
  const refusePushgateway = (): never => {
    throw new MissingPackageError(
      'pushgatewayUrl',
      'ARGUS_PUSHGATEWAY_URL',
      missingPrometheus() ?? '@argus/prometheus',
    );
  };
  const metrics: ArgusAdapter[] = [];
  if (given.metrics) {
    // Metrics composed in code: OTLP and Pushgateway push configured by variables join them,
    // unless the code already has that kind.
    const has = (kind: string) => given.metrics!.some((adapter) => adapter.kind === kind);
    if (config.otlpEndpoint !== undefined && !has('otlp')) {
      checkOtlpPackage();
      metrics.push(lazyOtlp(config));
    }
    if (config.pushgatewayUrl !== undefined && !has('pushgateway')) {
      if (!has('prometheus'))
        throw new TypeError(
          'Argus option pushgatewayUrl (env ARGUS_PUSHGATEWAY_URL) pushes the Prometheus exposition: add prometheus() to metrics',
        );
      metrics.push(pushgatewayFromConfig(loadPrometheus(), config));
    }
  } else {
    if (config.otlpEndpoint !== undefined) checkOtlpPackage();
    // Prometheus is the default; a bot that installed only @argus/otlp and set an endpoint runs without it.
    const withPrometheus = prometheusInstalled() || config.otlpEndpoint === undefined;
    if (withPrometheus) {
      if (!prometheusInstalled())
        throw new MissingPackageError(
          'metrics',
          'ARGUS_OTLP_ENDPOINT',
          missingPrometheus() ?? '@argus/prometheus',
          'Argus serves Prometheus metrics by default and needs @argus/prometheus and prom-client for it: install them (`npm install @argus/prometheus prom-client`), or push OTLP instead (ARGUS_OTLP_ENDPOINT with @argus/otlp, or argus(client, { metrics: [otlp({ url })] }))',
        );
      const module = loadPrometheus();
      metrics.push(module.prometheus());
      if (config.pushgatewayUrl !== undefined) metrics.push(pushgatewayFromConfig(module, config));
    } else if (config.pushgatewayUrl !== undefined) {
      refusePushgateway();
    }
    if (config.otlpEndpoint !== undefined) metrics.push(lazyOtlp(config));
  }
  let tracing: ArgusAdapter | undefined;
  if (!given.tracing && config.enableTracing) {
    checkTracingPackages();
    tracing = lazyTracing(config);
  }
  let analytics: ArgusAdapter | undefined;
  if (!given.analytics && config.enablePerGuild) {
    if (!forwardsHistory(config)) checkHistoryPackages(config);
    analytics = lazyClickHouse(config, historyRetry);
  }
  return { metrics, tracing, analytics };
}

function pushgatewayFromConfig(module: PrometheusModule, config: ArgusConfig): ArgusAdapter {
  return module.pushgateway({
    url: config.pushgatewayUrl!,
    job: config.pushgatewayJob,
    intervalMs: config.pushgatewayInterval * 1000,
    ...(config.pushgatewayInstance !== undefined ? { instance: config.pushgatewayInstance } : {}),
    ...(config.pushgatewayUsername !== undefined
      ? { username: config.pushgatewayUsername, password: config.pushgatewayPassword ?? '' }
      : {}),
    ...(config.pushgatewayBearerToken !== undefined ? { bearerToken: config.pushgatewayBearerToken } : {}),
  });
}

/** OTLP push from the config; @argus/otlp loads in the background. */
function lazyOtlp(config: ArgusConfig): ArgusAdapter {
  return {
    kind: 'otlp',
    role: 'metrics',
    start: (context) => {
      const push = startOtlpPush(config, context);
      return { close: (deadlineMs) => push.close(deadlineMs) };
    },
  };
}

/** Tracing from the config; @argus/tracing loads in the background behind a forwarding subscriber. */
function lazyTracing(config: ArgusConfig): ArgusAdapter {
  return {
    kind: 'tracing',
    role: 'tracing',
    start: ({ registry, guard, logger }) => {
      const handle = createTracing(config, { registry, guard, logger });
      return {
        subscribers: [handle.subscriber],
        traceIdOf: (subject) => handle.traceIdOf(subject),
        notableTraces: () => handle.recentNotable(),
        close: () => handle.shutdown(),
      };
    },
  };
}

/** Per-guild analytics from the config: @argus/clickhouse loads in the background. */
function lazyClickHouse(config: ArgusConfig, retry: HistoryRetry | undefined): ArgusAdapter {
  return {
    kind: 'clickhouse',
    role: 'analytics',
    start: ({ catalogue, registry, health, guard, logger }) => {
      const dropped = catalogue.eventsDropped;
      const written = catalogue.eventsWritten.labels();
      // In a sharded bot on the embedded engine, the manager owns the store: events go there.
      const history = (forwardsHistory(config) ? forwardedHistory : createHistory)(config, {
        health,
        guard,
        logger,
        onDrop: (reason, count) => dropped.labels(reason).inc(count),
        onWritten: (count) => written.inc(count),
        ...(retry ? { retry } : {}),
      });
      defineHistoryQueueGauge(registry, config.namespace, () => history.stats().queued);
      if (config.dashboardAuthToken === undefined && !forwardsHistory(config))
        logger.warn(
          'per-guild analytics is recording, but /api/analytics/* answers 403 until a dashboard token is set (ARGUS_DASHBOARD_AUTH_TOKEN)',
        );
      return {
        subscribers: [new PerGuildRecorder(history.sink, config.clusterId)],
        analytics: history.analytics,
        close: async (deadlineMs) => {
          await history.close(deadlineMs);
        },
      };
    },
  };
}
