// Public types of @argus/server. The server never imports prom-client or discord.js: the bot
// hands it plain functions.

import type {
  AnalyticsSource,
  ArgusConfig,
  ExpositionFormat,
  FailOpenGuard,
  HealthState,
  Logger,
  MetricsSnapshot,
  NotableTrace,
} from '@argus/core';
import type { Handler, Hono, MiddlewareHandler } from 'hono';

export type { ExpositionFormat } from '@argus/core';

/**
 * Renders the current metrics in `format`: the text, or its UTF-8 bytes (which spares the
 * response an encoding pass). Expected to be fail-open; a throw becomes a 503.
 */
export type MetricsRenderer = (
  format: ExpositionFormat,
) => Promise<string | Uint8Array> | string | Uint8Array;

/** What `/readyz` reports. `checks` names every input, e.g. `{ client: true, server: true, sink: false }`. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
}

/** The parts of the resolved Argus configuration the app reads. A full `ArgusConfig` fits. */
export type AppConfig = Pick<ArgusConfig, 'metricsPath' | 'metricsAuthToken' | 'grafanaUrl'>;

/** The Hono app `createApp` returns. */
export type ArgusApp = Hono;

/** Helpers handed to the `routes` extension so later routes get the same rules as the built-ins. */
export interface RouteTools {
  /**
   * Registers `GET path` (HEAD follows GET) and answers every other method on `path` with 405
   * and an `Allow: GET, HEAD` header.
   */
  get(path: string, ...handlers: (MiddlewareHandler | Handler)[]): void;
  /**
   * A middleware that requires `token` as `Authorization: Bearer <token>` or `?token=<token>`,
   * compared in constant time. `undefined` lets every request through. Failures answer 401 and
   * are logged (rate-limited, never with the token) under `realm`, e.g. "dashboard".
   */
  requireToken(token: string | undefined, realm: string, options?: RequireTokenOptions): MiddlewareHandler;
}

export interface RequireTokenOptions {
  /** Answer a failure with `{"error":"unauthorized"}` (JSON) instead of the one-line text body. */
  json?: boolean;
}

export interface CreateAppOptions {
  /** The resolved configuration (`resolveConfig()` from @argus/core). */
  config: AppConfig;
  /**
   * Renders the metrics, e.g. `(format) => adapter.renderBytes(format)` with a PrometheusAdapter.
   * Leave it out when no pull exposition exists (the metrics path then answers 404).
   */
  metrics?: MetricsRenderer;
  /**
   * `Content-Type` per format. Defaults: `text/plain; version=0.0.4; charset=utf-8` and
   * `application/openmetrics-text; version=1.0.0; charset=utf-8`.
   */
  metricsContentType?: Partial<Record<ExpositionFormat, string>>;
  /**
   * Combines "discord.js client ready" with every enabled subsystem of the HealthState.
   * Called once per `/readyz` request; a throw answers 503.
   */
  readiness: () => ReadinessReport;
  /** Where auth failures (warn) and route failures go. Default: silent. */
  logger?: Logger;
  /**
   * Counts failures (`server:metrics`, `server:readiness`, `server:request`, `server:routes`,
   * `server:dashboard`, `server:snapshot`, `server:analytics`).
   */
  guard?: FailOpenGuard;
  /** Largest request body accepted, in bytes. Default 64 KiB; larger bodies answer 413. */
  maxBodyBytes?: number;
  /**
   * Registers more routes (the dashboard, `/api/*`, static assets). Runs after the built-in
   * routes, so it cannot replace them; a throw is reported as `server:routes` and ignored.
   */
  routes?: (app: ArgusApp, tools: RouteTools) => void;
  /**
   * Serves the live dashboard: `/api/config`, `/api/snapshot`, `/api/stream` (SSE) and the SPA
   * at `dashboard.path`. Leave it out to serve no dashboard. See `dashboardOptions()`.
   */
  dashboard?: DashboardOptions;
  /**
   * Serves `/api/analytics/*` (per-guild analytics). Leave it out when analytics is off: the
   * routes then do not exist (404).
   */
  analytics?: AnalyticsOptions;
  /** Serves `/api/alerts` (the in-bot alert evaluator's state) behind the dashboard token. */
  alerts?: AlertsRouteOptions;
}

/** What `/api/alerts` answers: a JSON-serialisable view, read per request. */
export interface AlertsRouteOptions {
  /** The dashboard's token (`dashboardAuthToken`); undefined leaves the route open like the dashboard. */
  token: string | undefined;
  view(): unknown;
}

/** Names and finds the guilds the bot is in, for the analytics routes. Each call must be cheap. */
export interface GuildDirectory {
  /** The guild's name, or null when the bot does not know it. */
  name(guildId: string): string | null;
  /** Guilds whose name contains `query` (any case) or whose id starts with it; at most `limit`. */
  search(query: string, limit: number): { guildId: string; name: string | null }[];
}

/** What `createApp` needs to serve `/api/analytics/*`. */
export interface AnalyticsOptions {
  /** Answers the questions, e.g. `AnalyticsQueries` from @argus/clickhouse. */
  source: AnalyticsSource;
  /**
   * The dashboard token (`dashboardAuthToken`). Required: while undefined every analytics route
   * answers 403, because per-guild data is never served unauthenticated.
   */
  token: string | undefined;
  /** Guild names for the answers and the `guilds?q=` search. */
  guilds?: GuildDirectory;
  /** A query still running after this long answers 504. Default 10 000 ms. */
  timeoutMs?: number;
  /** Queries running at once before new ones answer 503. Default 16 (a dashboard view asks up to 5 at once). */
  maxConcurrent?: number;
  /** The clock windows are measured against. Default `Date.now`. */
  now?: () => number;
}

/** The body of `GET /api/config`: what the SPA needs to know before it asks for data. */
export interface DashboardConfigBody {
  /** The Argus version, e.g. "0.1.0". */
  version: string;
  /** Prefix of the bot metrics, e.g. "discord". */
  namespace: string;
  /** The `cluster` label of this process. */
  cluster: string;
  metricsPath: string;
  /** Where the SPA is served, e.g. "/" or "/dash". */
  dashboardPath: string;
  /** Seconds between two stream frames. */
  intervalSeconds: number;
  /** Whether `/api/*` needs the dashboard token (the SPA then asks for it). */
  authRequired: boolean;
  /** The Grafana base URL without credentials, or null when none is configured. */
  grafanaUrl: string | null;
  /**
   * Where a trace opens, with `{traceId}` where the id goes (no credentials), or null when none is
   * configured; the dashboard then shows the trace ids of notable interactions without links.
   */
  traceUiUrl: string | null;
  /** Which optional views have something to show. */
  sections: { grafana: boolean; analytics: boolean; traces: boolean };
}

/** The parts of the configuration `dashboardConfigBody` and `dashboardOptions` read. */
export type DashboardConfigSource = Pick<
  ArgusConfig,
  | 'namespace'
  | 'clusterId'
  | 'metricsPath'
  | 'dashboardPath'
  | 'dashboardInterval'
  | 'dashboardMaxStreams'
  | 'dashboardAuthToken'
  | 'grafanaUrl'
> &
  Partial<Pick<ArgusConfig, 'tracingUiUrl'>>;

/** What `createApp` needs to serve the dashboard. `dashboardOptions()` derives it from the config. */
export interface DashboardOptions {
  /**
   * Builds the current snapshot, e.g. `() => adapter.snapshot()`. Called once per stream tick
   * however many viewers are connected, and for `/api/snapshot` (a result younger than a second
   * is reused). Should be fast; it may return a promise (a tick that finds the previous build
   * still running is left out). A throw, a rejection, or a promise still pending after
   * max(10 s, 2 intervals) is counted as `server:snapshot` and answered with 503
   * (`/api/snapshot`) or a skipped frame (`/api/stream`).
   */
  snapshot: () => MetricsSnapshot | PromiseLike<MetricsSnapshot>;
  /**
   * The newest notable interactions (failed, late, unanswered) with their trace ids, for
   * `/api/traces` when tracing is on (e.g. `tracing.recentNotable()`). Absent: the route is 404.
   */
  notableTraces?: () => readonly NotableTrace[];
  /** The body of `/api/config`, e.g. `dashboardConfigBody(config, { version })`. */
  config: DashboardConfigBody;
  /** Milliseconds between two stream frames (`dashboardInterval * 1000`). */
  intervalMs: number;
  /** Concurrent streams before new ones get 503 (`dashboardMaxStreams`). */
  maxStreams: number;
  /** The token `/api/*` requires (`dashboardAuthToken`); undefined leaves them open. */
  token?: string | undefined;
  /** Where the SPA is served (`dashboardPath`), e.g. "/" or "/dash". */
  path: string;
  /**
   * The built SPA: a directory with `index.html` and `assets/`. `resolveDashboardAssets()` finds
   * the one shipped with this package. Missing, the dashboard path answers 503.
   */
  assetsDir?: string | undefined;
  /** Milliseconds between `: ping` comments on each stream, so proxies keep it open. Default 15 000. */
  heartbeatMs?: number;
  /**
   * A stream whose writes have not drained for this long is closed (its frames are skipped until
   * then). Default 60 000 ms.
   */
  stallTimeoutMs?: number;
  /** The reconnection delay sent to EventSource (`retry:`). Default 3 000 ms. */
  retryMs?: number;
}

/** Anything with a fetch handler, such as the app `createApp` returns. */
export interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

export interface StartServerOptions {
  /** Bind address, e.g. `config.host`. */
  host: string;
  /** Port, e.g. `config.port`; 0 picks a free one (see `ServerHandle.port`). */
  port: number;
  logger?: Logger;
  /** Receives `server` = true once listening, false on a failed start and after close. */
  health?: HealthState;
  /** Counts a failed start (`server:start`) and later socket-level errors (`server:runtime`). */
  guard?: FailOpenGuard;
  /** Give up when listening has not succeeded after this long. Default 10 000 ms. */
  startTimeoutMs?: number;
  /** Time allowed to receive request headers. Default 10 000 ms. */
  headersTimeoutMs?: number;
  /** Time allowed to receive a whole request. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Idle time before a keep-alive connection is closed. Default 5 000 ms. */
  keepAliveTimeoutMs?: number;
  /** How long `close()` lets in-flight responses finish before cutting connections. Default 1 000 ms. */
  closeGraceMs?: number;
}

export interface ServerHandle {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** The bind address as given. */
  readonly host: string;
  /** A URL that reaches the server from this machine, e.g. `http://127.0.0.1:9191`. */
  readonly url: string;
  /** Stops listening, ends keep-alive connections and sets `server` down. Never rejects; idempotent. */
  close(): Promise<void>;
}

/** The configuration `warnIfDashboardUnprotected` reads. A full `ArgusConfig` fits. */
export type ExposureConfig = Pick<
  ArgusConfig,
  'dashboard' | 'dashboardAuthToken' | 'host' | 'port' | 'metricsPath' | 'metricsAuthToken'
>;
