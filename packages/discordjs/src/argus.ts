import {
  type ArgusConfig,
  type ArgusOptions,
  createLogger,
  createTelemetry,
  type DiscordInstrumentation,
  type Env,
  FailOpenGuard,
  HealthState,
  instrumentDiscordClient,
  type Logger,
  type MetricNames,
  MetricRegistry,
  resolveConfig,
  type Telemetry,
  version,
  type WrapCommandOptions,
} from '@argus/core';
import { PrometheusAdapter } from '@argus/prometheus';
import {
  createApp,
  dashboardOptions,
  type ServerHandle,
  startServer,
  warnIfDashboardUnprotected,
} from '@argus/server';
import { type Client, version as discordjsVersion, type Interaction, type Message } from 'discord.js';
import { isInstalled, MissingPackageError, OPTIONAL_PACKAGES, UnsupportedOptionError } from './optional';

export interface ArgusInit extends ArgusOptions {
  /** Where Argus logs. Default: one line per record on stderr, in `logFormat`. */
  logger?: Logger;
  /** The environment to read `ARGUS_*` variables from. Default: `process.env`. */
  env?: Env;
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
   * slash commands (first argument an interaction) and prefix commands (a message).
   */
  wrapCommand<A extends [Interaction | Message, ...unknown[]], R>(
    handler: (...args: A) => R,
    options?: WrapCommandOptions,
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
  const { logger: givenLogger, env, ...options } = init;
  const config = resolveConfig(options, env);
  for (const { option, envVar, pkg } of OPTIONAL_PACKAGES) {
    const wanted = option === 'otlpEndpoint' ? config.otlpEndpoint !== undefined : config[option] === true;
    if (!wanted) continue;
    if (!isInstalled(pkg)) throw new MissingPackageError(option, envVar, pkg);
    throw new UnsupportedOptionError(option, envVar);
  }

  const logger = givenLogger ?? createLogger(config.logFormat);
  const guard = new FailOpenGuard({ logger });
  const registry = new MetricRegistry({
    defaultLabels: { cluster: config.clusterId },
    labelValueCap: config.labelValueCap,
    guard,
  });
  const health = new HealthState();
  health.enable('server');
  const prometheus = new PrometheusAdapter({ processMetrics: config.processMetrics, guard });
  registry.attach(prometheus);

  const voice = voiceConnections(guard);
  const instrumentation: DiscordInstrumentation = instrumentDiscordClient(client, {
    registry,
    namespace: config.namespace,
    health,
    clusterId: config.clusterId,
    timerCap: config.timerCap,
    discordjsVersion,
    ...(voice ? { sources: { voiceConnections: voice } } : {}),
  });

  const app = createApp({
    config,
    metrics: (format) => prometheus.render(format),
    readiness: () => {
      const checks: Record<string, boolean> = { client: client.isReady() };
      for (const [subsystem, up] of health.entries()) checks[subsystem] = up;
      return { ready: Object.values(checks).every(Boolean), checks };
    },
    logger,
    guard,
    ...(config.dashboard
      ? { dashboard: dashboardOptions(config, { version, snapshot: () => prometheus.snapshot() }) }
      : {}),
  });

  let closed = false;
  let serverStarted: (handle: ServerHandle | undefined) => void = () => {};
  const server = new Promise<ServerHandle | undefined>((resolve) => {
    serverStarted = resolve;
  });
  const start = () => {
    if (closed) return serverStarted(undefined);
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
    names: instrumentation.names,
    server,
    ...telemetry,
    wrapCommand: (handler, wrapOptions) => instrumentation.wrapCommand(handler, wrapOptions),
    async close() {
      if (closed) return;
      closed = true;
      client.off('clientReady', onReady);
      instrumentation.close();
      serverStarted(undefined);
      const handle = await server;
      await handle?.close();
      await guard.run('close:prometheus', () => prometheus.close());
    },
  };
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
