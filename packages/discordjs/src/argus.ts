import { checkAlertingConfig, startInBotAlerting } from '@argus/alerts';
import {
  type ArgusConfig,
  type ArgusOptions,
  type Catalogue,
  createLogger,
  createTelemetry,
  defineCatalogue,
  defineHistoryQueueGauge,
  type Env,
  FailOpenGuard,
  HealthState,
  type LifecycleSubscriber,
  type Logger,
  type MetricNames,
  MetricRegistry,
  MetricsRecorder,
  PerGuildRecorder,
  resolveConfig,
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
import { PrometheusAdapter, type PushgatewayPush, pushgateway } from '@argus/prometheus';
import {
  createApp,
  dashboardOptions,
  type ServerHandle,
  startServer,
  warnIfDashboardUnprotected,
} from '@argus/server';
import { type Client, version as discordjsVersion, type Interaction, type Message } from 'discord.js';
import { guildDirectory } from './guild-directory';
import { checkHistoryPackages, createHistory, type History, type HistoryRetry } from './history';
import { checkShardingPackage, forwardedHistory, forwardsHistory, reportToManager } from './manager-reporter';
import { isInstalled } from './optional';
import { checkOtlpPackage, type OtlpPushHandle, startOtlpPush } from './otlp-push';
import { checkTracingPackages, createTracing } from './tracing';

/** How long `close()` lets queued per-guild events reach ClickHouse. */
const HISTORY_CLOSE_DEADLINE_MS = 5_000;
/** Subsystems reported by /readyz that do not make the bot unready: analytics is never critical. */
const NOT_GATING_READINESS = new Set(['sink', 'otlp', 'pushgateway']);
/** How long `close()` lets the last OTLP export reach the collector. */
const OTLP_CLOSE_DEADLINE_MS = 5_000;
/** How long `close()` lets the Pushgateway delete the bot's group. */
const PUSHGATEWAY_CLOSE_DEADLINE_MS = 5_000;

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
}

export interface Argus extends Telemetry {
  readonly config: ArgusConfig;
  readonly registry: MetricRegistry;
  readonly prometheus: PrometheusAdapter;
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
  const { logger: givenLogger, env, historyRetry, subscribers: extraSubscribers, ...options } = init;
  const config = resolveConfig(options, env);
  if (config.enablePerGuild && !forwardsHistory(config)) checkHistoryPackages(config);
  checkShardingPackage(config);
  if (config.enableTracing) checkTracingPackages();
  if (config.otlpEndpoint !== undefined) checkOtlpPackage();
  // Options are checked here, at start; the push itself starts once the registry exists.
  const gateway = config.pushgatewayUrl !== undefined ? pushgatewayFromConfig(config) : undefined;
  checkAlertingConfig(config);

  const release = claimClient(client);

  const logger = givenLogger ?? createLogger(config.logFormat);
  const guard = new FailOpenGuard({ logger });
  const registry = new MetricRegistry({
    defaultLabels: { cluster: config.clusterId },
    labelValueCap: config.labelValueCap,
    guard,
  });
  const health = new HealthState();
  health.enable('server');
  const prometheus = new PrometheusAdapter({
    processMetrics: config.processMetrics,
    processMetricsLabels: { cluster: config.clusterId },
    guard,
  });
  registry.attach(prometheus);

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

  const tracing = config.enableTracing ? createTracing(config, { registry, guard, logger }) : undefined;
  const subscribers: LifecycleSubscriber[] = [
    new MetricsRecorder(catalogue, tracing ? { traceIdOf: (subject) => tracing.traceIdOf(subject) } : {}),
  ];
  let history: History | undefined;
  if (config.enablePerGuild) {
    const dropped = catalogue.eventsDropped;
    const written = catalogue.eventsWritten.labels();
    // In a sharded bot on the embedded engine, the manager owns the store: events go there.
    const opened = (forwardsHistory(config) ? forwardedHistory : createHistory)(config, {
      health,
      guard,
      logger,
      onDrop: (reason, count) => dropped.labels(reason).inc(count),
      onWritten: (count) => written.inc(count),
      ...(historyRetry ? { retry: historyRetry } : {}),
    });
    history = opened;
    defineHistoryQueueGauge(registry, config.namespace, () => opened.stats().queued);
    subscribers.push(new PerGuildRecorder(opened.sink, config.clusterId));
    if (config.dashboardAuthToken === undefined && !forwardsHistory(config))
      logger.warn(
        'per-guild analytics is recording, but /api/analytics/* answers 403 until a dashboard token is set (ARGUS_DASHBOARD_AUTH_TOKEN)',
      );
  } else if (config.clickhouseDsn !== undefined) {
    logger.info('clickhouseDsn is set but enablePerGuild is off: per-guild analytics stays off');
  }

  if (tracing) subscribers.push(tracing.subscriber);
  // In-bot alerts (issue 13): the evaluator, webhook and error digest in one call.
  const alerting = config.alerts
    ? startInBotAlerting({ config, snapshot: () => prometheus.snapshot(), registry, guard, logger })
    : undefined;
  if (alerting?.subscriber) subscribers.push(alerting.subscriber);
  const otlpPush: OtlpPushHandle | undefined =
    config.otlpEndpoint !== undefined
      ? startOtlpPush(config, { snapshot: () => prometheus.snapshot(), registry, health, guard, logger })
      : undefined;

  const pushgatewayPush: PushgatewayPush | undefined = gateway?.start({
    render: () => prometheus.render('text'),
    registry,
    clusterId: config.clusterId,
    health,
    guard,
    logger,
  });

  if (extraSubscribers) subscribers.push(...extraSubscribers);
  const instrumentation: DiscordInstrumentation = instrumentDiscordClient(client, {
    subscribers,
    guard,
    catalogue,
    labelValueCap: registry.labelValueCap,
    timerCap: config.timerCap,
  });

  const app = createApp({
    config,
    metrics: (format) => prometheus.renderBytes(format),
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
            analytics: history !== undefined,
            snapshot: () => prometheus.snapshot(),
          }),
        }
      : {}),
    ...(alerting ? { alerts: { token: config.dashboardAuthToken, view: () => alerting.view() } } : {}),
    ...(history
      ? {
          analytics: {
            source: history.analytics,
            token: config.dashboardAuthToken,
            guilds: guildDirectory(client),
          },
        }
      : {}),
  });

  // Under a sharding manager the child reports to it, and serves a port only when asked to.
  const stopReporting =
    config.managedChild && config.reportToManager
      ? reportToManager(config, client, prometheus, guard)
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
    prometheus,
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
      if (history) await guard.run('close:history', () => history.close(HISTORY_CLOSE_DEADLINE_MS));
      if (tracing) await guard.run('close:tracing', () => tracing.shutdown());
      if (otlpPush) await guard.run('close:otlp', () => otlpPush.close(OTLP_CLOSE_DEADLINE_MS));
      if (pushgatewayPush)
        await guard.run('close:pushgateway', () => pushgatewayPush.close(PUSHGATEWAY_CLOSE_DEADLINE_MS));
      await guard.run('close:prometheus', () => prometheus.close());
    },
  };
}

function pushgatewayFromConfig(config: ArgusConfig) {
  return pushgateway({
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
