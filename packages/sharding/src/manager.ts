import { createLogger, FailOpenGuard, HealthState, type Logger, version } from '@argus/core';
import {
  createApp,
  type DashboardConfigBody,
  type DashboardOptions,
  dashboardOptions,
  type ServerHandle,
  startServer,
  TEXT_CONTENT_TYPE,
  warnIfDashboardUnprotected,
} from '@argus/server';
import { type ManagerAnalyticsOptions, ManagerAnalyticsStore } from './internal/analytics-store';
import { Fleet, type FleetView } from './internal/fleet';
import { type SupportedManager, watchManager } from './internal/manager-events';

export interface ArgusManagerOptions {
  /** Port of the manager's server. Default 9191. Children serving their own port take `port + 1 + index`. */
  port?: number;
  /** Bind address. Default 0.0.0.0. */
  host?: string;
  /** Default /metrics. */
  metricsPath?: string;
  /**
   * A child whose last report is older than this is down: its series leave `/metrics`, and
   * `argus_cluster_up` is 0. Default 15 000 ms (three of the children's default 5 s intervals).
   */
  deadlineMs?: number;
  /** Share of the children that must be ready for `/readyz` to answer 200, in (0, 1]. Default 1 (all). */
  readyShare?: number;
  /** Bearer token for `/metrics` and `/api/targets`. */
  metricsAuthToken?: string;
  /** Bearer token for `/api/fleet`. Default: `dashboardAuthToken`, so the dashboard can read it. */
  fleetAuthToken?: string;
  /** Serve the live dashboard of the whole fleet (cluster selector, fleet overview). Default true. */
  dashboard?: boolean;
  /** Where the dashboard is served. Default `/`. */
  dashboardPath?: string;
  /**
   * Token the dashboard asks for. While set, every `/api/*` route of the manager needs it
   * (`/api/fleet` and `/api/targets` included). Strongly advised unless bound to 127.0.0.1.
   */
  dashboardAuthToken?: string;
  /** Seconds between two dashboard frames. Default 5 (the children's report interval). */
  dashboardInterval?: number;
  /** Dashboard streams open at once before new ones get 503. Default 100. */
  dashboardMaxStreams?: number;
  /** The namespace of the children's bot metrics, for the dashboard. Default `discord`. */
  namespace?: string;
  /** Host the service-discovery list names for children serving their own port. Default 127.0.0.1. */
  childHost?: string;
  /** The children's `port` for the service-discovery list (each serves `childPort + 1 + index`). Default: `port`. */
  childPort?: number;
  /**
   * Per-guild analytics for children that use the embedded engine: they forward their events
   * here, and the manager writes them to one store and serves `/api/analytics/*`. Needs
   * @argus/clickhouse (and chdb for the embedded engine). Without it, forwarded events are
   * dropped and counted.
   */
  analytics?: ManagerAnalyticsOptions;
  logger?: Logger;
}

export interface ArgusManager {
  /** Resolves when the server is listening, or to undefined when it could not start. */
  readonly server: Promise<ServerHandle | undefined>;
  /** The fleet as `/api/fleet` serves it. */
  fleet(): FleetView;
  /** The `/metrics` body. */
  render(): string;
  /** Stops listening and detaches from the manager. Safe to call twice. */
  close(): Promise<void>;
}

/** Thrown at once for an option that is wrong, naming it and the bad value. */
export class ArgusManagerOptionError extends Error {
  override readonly name = 'ArgusManagerOptionError';
}

function check(options: ArgusManagerOptions) {
  const bad = (option: string, value: unknown, reason: string) => {
    throw new ArgusManagerOptionError(`argusManager option ${option} = ${JSON.stringify(value)}: ${reason}`);
  };
  const port = options.port ?? 9191;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    bad('port', options.port, 'expected an integer 0-65535');
  const childPort = options.childPort ?? port;
  if (!Number.isInteger(childPort) || childPort < 0 || childPort > 65_535)
    bad('childPort', options.childPort, 'expected an integer 0-65535');
  const deadlineMs = options.deadlineMs ?? 15_000;
  if (!Number.isInteger(deadlineMs) || deadlineMs < 100 || deadlineMs > 600_000)
    bad('deadlineMs', options.deadlineMs, 'expected an integer number of milliseconds, 100-600000');
  const readyShare = options.readyShare ?? 1;
  if (typeof readyShare !== 'number' || !(readyShare > 0 && readyShare <= 1))
    bad('readyShare', options.readyShare, 'expected a number above 0 and at most 1');
  const metricsPath = options.metricsPath ?? '/metrics';
  if (
    !/^\/[A-Za-z0-9._~\-/]*$/.test(metricsPath) ||
    metricsPath.startsWith('/api') ||
    metricsPath === '/healthz' ||
    metricsPath === '/readyz'
  )
    bad(
      'metricsPath',
      options.metricsPath,
      'expected a plain path such as /metrics, not /api, /healthz or /readyz',
    );
  const dashboardInterval = options.dashboardInterval ?? 5;
  if (typeof dashboardInterval !== 'number' || !(dashboardInterval >= 1 && dashboardInterval <= 3_600))
    bad('dashboardInterval', options.dashboardInterval, 'expected a number of seconds, 1-3600');
  const dashboardMaxStreams = options.dashboardMaxStreams ?? 100;
  if (!Number.isInteger(dashboardMaxStreams) || dashboardMaxStreams < 0)
    bad('dashboardMaxStreams', options.dashboardMaxStreams, 'expected an integer, 0 or more');
  const dashboardPath = options.dashboardPath ?? '/';
  if (
    !/^\/[A-Za-z0-9._~\-/]*$/.test(dashboardPath) ||
    dashboardPath.startsWith('/api') ||
    [metricsPath, '/healthz', '/readyz'].includes(dashboardPath)
  )
    bad(
      'dashboardPath',
      options.dashboardPath,
      'expected a plain path such as / or /dash, not a route of the server',
    );
  for (const option of ['dashboardAuthToken', 'fleetAuthToken', 'metricsAuthToken'] as const) {
    const token = options[option];
    if (token !== undefined && (typeof token !== 'string' || token === ''))
      bad(option, '<redacted>', 'expected a non-empty string');
  }
  // The dashboard's check covers every /api/* route: a different fleet token could never pass both.
  if (
    options.dashboard !== false &&
    options.dashboardAuthToken !== undefined &&
    options.fleetAuthToken !== undefined &&
    options.fleetAuthToken !== options.dashboardAuthToken
  )
    bad(
      'fleetAuthToken',
      '<redacted>',
      'differs from dashboardAuthToken, which every /api/* route needs while the dashboard is on; leave it unset',
    );
  if (
    options.dashboard !== false &&
    options.dashboardAuthToken !== undefined &&
    options.analytics?.token !== undefined &&
    options.analytics.token !== options.dashboardAuthToken
  )
    bad(
      'analytics.token',
      '<redacted>',
      'differs from dashboardAuthToken, which every /api/* route needs while the dashboard is on; leave it unset',
    );
  const namespace = options.namespace ?? 'discord';
  if (typeof namespace !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(namespace))
    bad('namespace', options.namespace, 'expected a Prometheus name such as discord');
  return {
    port,
    childPort,
    dashboardInterval,
    dashboardMaxStreams,
    dashboardPath,
    namespace,
    deadlineMs,
    readyShare,
    metricsPath,
    host: options.host ?? '0.0.0.0',
    childHost: options.childHost ?? '127.0.0.1',
  };
}

/**
 * Serves every child of a discord.js `ShardingManager` or a discord-hybrid-sharding
 * `ClusterManager` on one port: `/metrics` (each child's series under its own `cluster` label,
 * concatenated, never summed), `/readyz`, `/healthz`, `/api/fleet` and `/api/targets` (Prometheus
 * http_sd). Children report with `argus(client)` from @argus/discordjs. Call it before or after
 * `spawn()`.
 */
export function argusManager(manager: SupportedManager, options: ArgusManagerOptions = {}): ArgusManager {
  const settings = check(options);
  const logger = options.logger ?? createLogger();
  const guard = new FailOpenGuard({ logger });
  const fleet = new Fleet({ deadlineMs: settings.deadlineMs, readyShare: settings.readyShare });
  const store = options.analytics ? new ManagerAnalyticsStore(options.analytics, guard, logger) : undefined;
  let unstored = 0;
  const detach = watchManager(manager, fleet, guard, (events, malformed) => {
    if (store) store.take(events, malformed);
    else unstored += events.length + malformed;
  });
  const render = () =>
    fleet.render() +
    (store
      ? store.render()
      : '# HELP argus_manager_events_dropped_total Forwarded per-guild events the manager dropped, by reason.\n' +
        '# TYPE argus_manager_events_dropped_total counter\n' +
        `argus_manager_events_dropped_total{reason="no_store"} ${unstored}\n`);

  const dashboardOn = options.dashboard !== false;
  const dashboardToken = dashboardOn ? options.dashboardAuthToken : undefined;
  // With a dashboard token, /api/* already needs it; a second check would only refuse the same request.
  const fleetToken = dashboardToken !== undefined ? undefined : options.fleetAuthToken;
  const targetsToken = dashboardToken !== undefined ? undefined : options.metricsAuthToken;
  const app = createApp({
    config: {
      metricsPath: settings.metricsPath,
      metricsAuthToken: options.metricsAuthToken,
      grafanaUrl: undefined,
    },
    // Children send the text format; an OpenMetrics request gets it too, labelled as what it is.
    metrics: render,
    metricsContentType: { openmetrics: TEXT_CONTENT_TYPE },
    readiness: () => fleet.readiness(),
    logger,
    guard,
    // Like a bot's, the analytics routes take the dashboard token unless given their own.
    ...(store
      ? { analytics: { source: store.analytics, token: options.analytics?.token ?? dashboardToken } }
      : {}),
    ...(dashboardOn
      ? { dashboard: fleetDashboard(settings, dashboardToken, store !== undefined, fleet) }
      : {}),
    routes: (_app, tools) => {
      tools.get('/api/fleet', tools.requireToken(fleetToken, 'fleet', { json: true }), (c) =>
        c.json(fleet.view()),
      );
      tools.get('/api/targets', tools.requireToken(targetsToken, 'metrics', { json: true }), (c) =>
        c.json(fleet.targets(settings.childHost, settings.childPort), 200, {
          'X-Prometheus-Refresh-Interval-Seconds': '60',
        }),
      );
    },
  });

  if (dashboardOn)
    warnIfDashboardUnprotected(
      {
        dashboard: true,
        dashboardAuthToken: dashboardToken,
        host: settings.host,
        port: settings.port,
        metricsPath: settings.metricsPath,
        metricsAuthToken: options.metricsAuthToken,
      },
      logger,
    );
  const health = new HealthState();
  const server = startServer(app, { host: settings.host, port: settings.port, logger, health, guard }).then(
    (handle) => {
      if (handle) logger.info(`fleet metrics on ${handle.url}${settings.metricsPath}`);
      return handle;
    },
  );
  let closed = false;
  return {
    server,
    fleet: () => fleet.view(),
    render,
    async close() {
      if (closed) return;
      closed = true;
      detach();
      await (await server)?.close();
      await store?.close(5_000);
    },
  };
}

/** The dashboard a bot serves, fed with the whole fleet, and told (`fleet`) that it talks to a manager. */
function fleetDashboard(
  settings: ReturnType<typeof check>,
  token: string | undefined,
  analytics: boolean,
  fleet: Fleet,
): DashboardOptions {
  const options = dashboardOptions(
    {
      namespace: settings.namespace,
      clusterId: 'manager',
      metricsPath: settings.metricsPath,
      dashboardPath: settings.dashboardPath,
      dashboardInterval: settings.dashboardInterval,
      dashboardMaxStreams: settings.dashboardMaxStreams,
      dashboardAuthToken: token,
      grafanaUrl: undefined,
    },
    { snapshot: () => fleet.snapshot(), version, analytics },
  );
  const config: DashboardConfigBody & { fleet: true } = { ...options.config, fleet: true };
  return { ...options, config };
}
