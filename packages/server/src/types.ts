// Public types of @argus/server. The server never imports prom-client or discord.js: the bot
// hands it plain functions.

import type { ArgusConfig, FailOpenGuard, HealthState, Logger } from '@argus/core';
import type { Handler, Hono, MiddlewareHandler } from 'hono';

/** The two exposition formats a metrics renderer can produce. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Renders the current metrics in `format`. Expected to be fail-open; a throw becomes a 503. */
export type MetricsRenderer = (format: ExpositionFormat) => Promise<string> | string;

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
  requireToken(token: string | undefined, realm: string): MiddlewareHandler;
}

export interface CreateAppOptions {
  /** The resolved configuration (`resolveConfig()` from @argus/core). */
  config: AppConfig;
  /**
   * Renders the metrics, e.g. `(format) => adapter.render(format)` with a PrometheusAdapter.
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
  /** Counts failures (`server:metrics`, `server:readiness`, `server:request`, `server:routes`). */
  guard?: FailOpenGuard;
  /** Largest request body accepted, in bytes. Default 64 KiB; larger bodies answer 413. */
  maxBodyBytes?: number;
  /**
   * Registers more routes (the dashboard, `/api/*`, static assets). Runs after the built-in
   * routes, so it cannot replace them; a throw is reported as `server:routes` and ignored.
   */
  routes?: (app: ArgusApp, tools: RouteTools) => void;
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
