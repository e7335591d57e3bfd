import { checkAlertingConfig, startInBotAlerting } from '@argus/alerts';
import {
  type AdapterContext,
  type AdapterRuntime,
  type ArgusAdapter,
  type ArgusConfig,
  type ArgusOptions,
  type Catalogue,
  createLogger,
  createTelemetry,
  defineCatalogue,
  type Env,
  type ExpositionFormat,
  FailOpenGuard,
  HealthState,
  type LifecycleSubscriber,
  type Logger,
  type MetricNames,
  MetricRegistry,
  MetricStore,
  MetricsRecorder,
  type MetricsSnapshot,
  resolveConfig,
  type SnapshotBackend,
  type Telemetry,
  version,
} from '@argus/core';
import {
  ClientGauges,
  claimClient,
  type DiscordInstrumentation,
  instrumentDiscordClient,
  type WrapCommandOptions,
} from '@argus/core/discordjs';
import type { PrometheusMetrics } from '@argus/prometheus';
import {
  createApp,
  dashboardOptions,
  type ServerHandle,
  startServer,
  warnIfDashboardUnprotected,
} from '@argus/server';
import { type Client, version as discordjsVersion, type Interaction, type Message } from 'discord.js';
import { environmentAdapters } from './environment-adapters';
import { guildDirectory } from './guild-directory';
import type { HistoryRetry } from './history';
import { checkShardingPackage, reportToManager } from './manager-reporter';
import { isInstalled } from './optional';

/** How long `close()` lets each adapter flush (queued analytics, a last OTLP export, a Pushgateway delete). */
const ADAPTER_CLOSE_DEADLINE_MS = 5_000;
/** Subsystems reported by /readyz that do not make the bot unready: analytics is never critical. */
const NOT_GATING_READINESS = new Set(['sink', 'otlp', 'pushgateway']);

export interface ArgusInit extends ArgusOptions {
  /** Where Argus logs. Default: one line per record on stderr, in `logFormat`. */
  logger?: Logger;
  /** The environment to read `ARGUS_*` variables from. Default: `process.env`. */
  env?: Env;
  /**
   * Advanced: how the per-guild analytics sink retries a failing ClickHouse. Defaults: first
   * retry after 500 ms, doubling to 30 s; the circuit opens after 5 failures in a row and tries
   * again every 30 s.
   */
  historyRetry?: HistoryRetry;
  /**
   * More listeners on the lifecycle seam (interaction received / responded / deadline missed /
   * finished, commands, REST requests, shard states), beside Argus' own metrics and analytics
   * recorders. Each is called synchronously and fail-open: a throw is counted under
   * `lifecycle:<name>` and never reaches the bot.
   */
  subscribers?: readonly LifecycleSubscriber[];
  /**
   * Where metrics go, composed in code: `[prometheus()]`, `[otlp({ url })]`, both, plus
   * `pushgateway({ url })` beside `prometheus()`. Given here, it replaces the default Prometheus
   * backend; OTLP and Pushgateway push set by variables still join unless the list has that kind.
   * Default: Prometheus, plus OTLP and Pushgateway push when their variables are set.
   */
  metrics?: ArgusAdapter | readonly ArgusAdapter[];
  /** Interaction tracing, e.g. `tracing()` from @argus/tracing. Default: `enableTracing`. */
  tracing?: ArgusAdapter;
  /** Per-guild analytics, e.g. `clickhouse({ dsn })` from @argus/clickhouse. Default: `enablePerGuild`. */
  analytics?: ArgusAdapter;
}

/**
 * What argus() exposes of its Prometheus backend. Structural, so a bot without @argus/prometheus
 * (OTLP only) type-checks without it; `PrometheusAdapter` from that package satisfies it.
 */
export interface PrometheusExposition {
  /** The exposition as text (`/metrics` serves the same). */
  render(format?: ExpositionFormat): Promise<string>;
  /** The same as UTF-8 bytes, with nothing left to encode. */
  renderBytes(format?: ExpositionFormat): Promise<Uint8Array>;
  /** The `Content-Type` of a format. */
  contentType(format?: ExpositionFormat): string;
  snapshot(): Promise<MetricsSnapshot>;
}

export interface Argus extends Telemetry {
  readonly config: ArgusConfig;
  readonly registry: MetricRegistry;
  /** The Prometheus backend (`render()`, its prom-client `registry`) when `prometheus()` is attached. */
  readonly prometheus: PrometheusExposition | undefined;
  /** Every metric at one instant, whatever backends are attached (what the dashboard shows). */
  snapshot(): Promise<MetricsSnapshot>;
  readonly health: HealthState;
  readonly names: MetricNames;
  /** Resolves when the server is listening, or to undefined when it could not start (the bot runs on). */
  readonly server: Promise<ServerHandle | undefined>;
  /**
   * Wraps a command handler so its duration, outcome and error type are recorded. Works for
   * slash commands (first argument an interaction) and prefix commands (a message). A prefix
   * command needs `{ name }`: what users type never becomes a label.
   */
  wrapCommand<A extends [Message, ...unknown[]], R>(
    handler: (...args: A) => R,
    options: WrapCommandOptions & { name: string },
  ): (...args: A) => R;
  wrapCommand<A extends [Interaction, ...unknown[]], R>(
    handler: (...args: A) => R,
    options?: WrapCommandOptions,
  ): (...args: A) => R;
  wrapCommand<A extends [Interaction | Message, ...unknown[]], R>(
    handler: (...args: A) => R,
    options: WrapCommandOptions & { name: string },
  ): (...args: A) => R;
  /** Stops the server, removes every listener and releases timers. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Gives a discord.js client production observability: Prometheus metrics on `/metrics`,
 * `/healthz` and `/readyz` on port 9191 by default. Call it before or after `login()`.
 * Invalid options throw at once, naming the option, its variable and the bad value; nothing
 * after that ever throws into the bot.
 */
export function argus(client: Client, init: ArgusInit = {}): Argus {
  const {
    logger: givenLogger,
    env,
    historyRetry,
    subscribers: extraSubscribers,
    metrics: givenMetrics,
    tracing: givenTracing,
    analytics: givenAnalytics,
    ...options
  } = init;
  const config = resolveConfig(options, env);
  const given = {
    metrics: givenMetrics !== undefined ? checkAdapters('metrics', givenMetrics) : undefined,
    tracing: givenTracing !== undefined ? checkAdapters('tracing', givenTracing)[0] : undefined,
    analytics: givenAnalytics !== undefined ? checkAdapters('analytics', givenAnalytics)[0] : undefined,
  };
  const fromEnvironment = environmentAdapters(
    config,
    {
      metrics: given.metrics,
      tracing: given.tracing !== undefined,
      analytics: given.analytics !== undefined,
    },
    historyRetry,
  );
  checkShardingPackage(config);
  // Adapters that keep series come first: the others (OTLP, Pushgateway) read from them.
  const metricAdapters = [...(given.metrics ?? []), ...fromEnvironment.metrics].sort(
    (a, b) => Number(b.backend !== undefined) - Number(a.backend !== undefined),
  );
  if (
    metricAdapters.some((a) => a.kind === 'pushgateway') &&
    !metricAdapters.some((a) => a.kind === 'prometheus')
  )
    throw new TypeError(
      'argus() option metrics: pushgateway() pushes the Prometheus exposition; add prometheus() beside it',
    );
  const tracingAdapter = given.tracing ?? fromEnvironment.tracing;
  const analyticsAdapter = given.analytics ?? fromEnvironment.analytics;
  checkAlertingConfig(config);

  const release = claimClient(client);

  const logger = givenLogger ?? createLogger(config.logFormat);
  const guard = new FailOpenGuard({ logger });
  if (!analyticsAdapter && config.clickhouseDsn !== undefined)
    logger.info('clickhouseDsn is set but enablePerGuild is off: per-guild analytics stays off');
  const registry = new MetricRegistry({
    defaultLabels: { cluster: config.clusterId },
    labelValueCap: config.labelValueCap,
    guard,
  });
  const health = new HealthState();
  health.enable('server');

  // One store of series values: the backends that keep them (Prometheus), else core's own, so
  // nothing is recorded twice and the dashboard works whatever is attached.
  const backends: SnapshotBackend[] = metricAdapters.flatMap((adapter) =>
    adapter.backend ? [adapter.backend({ config, guard, clusterId: config.clusterId })] : [],
  );
  if (backends.length === 0) backends.push(new MetricStore());
  for (const backend of backends) registry.attach(backend);
  const store = backends[0]!;
  const snapshot = async (): Promise<MetricsSnapshot> => store.snapshot();

  // The catalogue first: every recorder below gets its typed handles.
  const gauges = new ClientGauges(client, guard);
  const voice = voiceConnections(guard);
  const catalogue: Catalogue = defineCatalogue(registry, {
    namespace: config.namespace,
    health,
    sources: { ...gauges.sources, ...(voice ? { voiceConnections: voice } : {}) },
  });
  registry.setInfo(catalogue.names.botInfo, {
    discordjs_version: discordjsVersion,
    argus_version: version,
    node_version: process.versions.node,
  });

  // Started in order: metrics (so Pushgateway finds Prometheus' renderer), analytics, tracing.
  const started: { adapter: ArgusAdapter; runtime: AdapterRuntime }[] = [];
  let render: AdapterContext['render'];
  const startAdapter = (adapter: ArgusAdapter): AdapterRuntime => {
    const context: AdapterContext = {
      config,
      registry,
      catalogue,
      snapshot,
      ...(render ? { render } : {}),
      clusterId: config.clusterId,
      health,
      guard,
      logger,
    };
    const runtime = adapter.start(context);
    started.push({ adapter, runtime });
    return runtime;
  };
  let metricsRenderer: AdapterRuntime['metrics'];
  for (const adapter of metricAdapters) {
    const runtime = startAdapter(adapter);
    render ??= runtime.render;
    metricsRenderer ??= runtime.metrics;
  }
  const analytics = analyticsAdapter ? startAdapter(analyticsAdapter) : undefined;
  const tracing = tracingAdapter ? startAdapter(tracingAdapter) : undefined;
  const traceIdOf = tracing?.traceIdOf;

  // In-bot alerts (issue 13): the evaluator, webhook and error digest in one call.
  const alerting = config.alerts
    ? startInBotAlerting({ config, snapshot, registry, guard, logger })
    : undefined;
  const subscribers: LifecycleSubscriber[] = [
    new MetricsRecorder(catalogue, traceIdOf ? { traceIdOf } : {}),
    ...(analytics?.subscribers ?? []),
    ...(tracing?.subscribers ?? []),
    ...started
      .filter(({ adapter }) => adapter.role === 'metrics')
      .flatMap(({ runtime }) => runtime.subscribers ?? []),
    ...(alerting?.subscriber ? [alerting.subscriber] : []),
    ...(extraSubscribers ?? []),
  ];
  const instrumentation: DiscordInstrumentation = instrumentDiscordClient(client, {
    subscribers,
    guard,
    catalogue,
    labelValueCap: registry.labelValueCap,
    timerCap: config.timerCap,
  });

  const app = createApp({
    config,
    ...(metricsRenderer ? { metrics: metricsRenderer } : {}),
    readiness: () => {
      const checks: Record<string, boolean> = { client: client.isReady() };
      let ready = checks.client === true;
      for (const [subsystem, up] of health.entries()) {
        checks[subsystem] = up;
        if (!up && !NOT_GATING_READINESS.has(subsystem)) ready = false;
      }
      return { ready, checks };
    },
    logger,
    guard,
    ...(config.dashboard
      ? {
          dashboard: dashboardOptions(config, {
            version,
            analytics: analytics?.analytics !== undefined,
            snapshot,
            ...(tracing?.notableTraces ? { notableTraces: tracing.notableTraces } : {}),
          }),
        }
      : {}),
    ...(alerting ? { alerts: { token: config.dashboardAuthToken, view: () => alerting.view() } } : {}),
    ...(analytics?.analytics
      ? {
          analytics: {
            source: analytics.analytics,
            token: config.dashboardAuthToken,
            guilds: guildDirectory(client),
          },
        }
      : {}),
  });

  // Under a sharding manager the child reports to it, and serves a port only when asked to.
  const renderText = render;
  const stopReporting =
    config.managedChild && config.reportToManager && renderText
      ? reportToManager(config, client, () => renderText('text'), guard)
      : undefined;
  const serveHttp = config.managedChild === undefined || config.childServer;

  let closed = false;
  let serverStarted: (handle: ServerHandle | undefined) => void = () => {};
  const server = new Promise<ServerHandle | undefined>((resolve) => {
    serverStarted = resolve;
  });
  const start = () => {
    if (closed || !serveHttp) return serverStarted(undefined);
    if (config.dashboard) warnIfDashboardUnprotected(config, logger);
    void startServer(app, { host: config.host, port: config.port, logger, health, guard }).then((handle) => {
      if (handle) {
        logger.info(`metrics on ${handle.url}${config.metricsPath}`);
        if (config.dashboard) logger.info(`dashboard on ${handle.url}${config.dashboardPath}`);
      }
      serverStarted(handle);
    });
  };
  const onReady = () => start();
  if (config.serverStart === 'immediate' || client.isReady()) start();
  else client.once('clientReady', onReady);

  const telemetry = createTelemetry(registry, config.namespace);
  return {
    config,
    registry,
    prometheus: prometheusOf(metricAdapters),
    snapshot,
    health,
    names: catalogue.names,
    server,
    ...telemetry,
    wrapCommand: <A extends [Interaction | Message, ...unknown[]], R>(
      handler: (...args: A) => R,
      wrapOptions?: WrapCommandOptions,
    ) => instrumentation.wrapCommand(handler, wrapOptions),
    async close() {
      if (closed) return;
      closed = true;
      client.off('clientReady', onReady);
      stopReporting?.();
      alerting?.close();
      instrumentation.close();
      gauges.close();
      release();
      serverStarted(undefined);
      const handle = await server;
      await handle?.close();
      // Analytics and tracing first, then metrics in reverse: push adapters send their last
      // export before the backend they read from closes.
      for (const { adapter, runtime } of [...started].reverse())
        if (runtime.close)
          await guard.run(`close:${adapter.kind}`, () => runtime.close!(ADAPTER_CLOSE_DEADLINE_MS));
    },
  };
}

/** Fails at start, naming the slot, on a value that is not an adapter for it. */
function checkAdapters(slot: 'metrics' | 'tracing' | 'analytics', value: unknown): readonly ArgusAdapter[] {
  const list = slot === 'metrics' && Array.isArray(value) ? (value as unknown[]) : [value];
  for (const item of list) {
    const adapter = item as Partial<ArgusAdapter> | null;
    if (typeof adapter !== 'object' || adapter === null || typeof adapter.start !== 'function')
      throw new TypeError(
        `argus() option ${slot}: expected an adapter such as ${EXAMPLES[slot]}, got ${describe(item)}`,
      );
    if (adapter.role !== slot)
      throw new TypeError(
        `argus() option ${slot}: ${String(adapter.kind)} is a ${String(adapter.role)} adapter; pass it as ${String(adapter.role)}`,
      );
  }
  return list as readonly ArgusAdapter[];
}

const EXAMPLES = {
  metrics: 'prometheus() or otlp({ url })',
  tracing: 'tracing()',
  analytics: 'clickhouse({ dsn })',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function prometheusOf(adapters: readonly ArgusAdapter[]): PrometheusExposition | undefined {
  const found = adapters.find((adapter) => adapter.kind === 'prometheus') as PrometheusMetrics | undefined;
  return found?.adapter;
}

/** Voice connections from @discordjs/voice when the bot has it; loaded lazily, read in O(1). */
function voiceConnections(guard: FailOpenGuard): (() => number) | undefined {
  if (!isInstalled('@discordjs/voice')) return undefined;
  let read: () => number = () => 0;
  void guard.run('voice:load', async () => {
    // A variable specifier keeps the optional package out of the build and the type check.
    const specifier = '@discordjs/voice';
    const voice = (await import(specifier)) as { getVoiceConnections(): Map<unknown, unknown> };
    read = () => voice.getVoiceConnections().size;
  });
  return () => read();
}
