// The live dashboard's HTTP side: /api/config, /api/snapshot, /api/stream and the SPA files.

import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FailOpenGuard, type Logger, type NotableTrace, RateLimitedLog } from '@argus/core';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { contentTypeOf, etagOf, readInside, type StaticFile, safeSegments } from './static';
import { StreamHub } from './stream';
import type {
  ArgusApp,
  DashboardConfigBody,
  DashboardConfigSource,
  DashboardOptions,
  RouteTools,
} from './types';

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY_MS = 3_000;

/** `/api/snapshot` reuses a frame younger than this (never older than one stream interval). */
const SNAPSHOT_REUSE_MS = 1_000;
/** At most one "streams full" warning per this long. */
const CAP_WARN_INTERVAL_MS = 60_000;

const NO_STORE = { 'Cache-Control': 'no-store' } as const;
const JSON_TYPE = 'application/json; charset=utf-8';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const NOT_BUILT = 'dashboard assets are not built\n';

/**
 * The Grafana URL as the SPA may see it: http(s) only, without user, password or fragment, and
 * without a trailing slash so `${grafanaUrl}/d/<uid>` works. Null when unset or unusable.
 */
function publicGrafanaUrl(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  return parsed.href.endsWith('/') ? parsed.href.slice(0, -1) : parsed.href;
}

/**
 * The trace UI link template as the SPA may see it: http(s) only, without user or password; the
 * `{traceId}` placeholder survives (URL parsing would encode its braces). Null when unset.
 */
function publicTraceUiUrl(url: string | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.username = '';
  parsed.password = '';
  const href = parsed.href.replaceAll('%7BtraceId%7D', '{traceId}');
  return href.includes('{traceId}') ? href : null;
}

/** Derives the body of `GET /api/config` from the resolved configuration. Never holds a token. */
export function dashboardConfigBody(
  config: DashboardConfigSource,
  meta: { version: string; analytics?: boolean; traces?: boolean },
): DashboardConfigBody {
  const grafanaUrl = publicGrafanaUrl(config.grafanaUrl);
  return {
    version: meta.version,
    namespace: config.namespace,
    cluster: config.clusterId,
    metricsPath: config.metricsPath,
    dashboardPath: config.dashboardPath,
    intervalSeconds: config.dashboardInterval,
    authRequired: config.dashboardAuthToken !== undefined,
    grafanaUrl,
    traceUiUrl: publicTraceUiUrl(config.tracingUiUrl),
    sections: {
      grafana: grafanaUrl !== null,
      analytics: meta.analytics === true,
      traces: meta.traces === true,
    },
  };
}

/**
 * Everything `createApp({ dashboard })` needs, from the resolved configuration: interval,
 * stream cap, token, path, the `/api/config` body, and the SPA shipped with this package
 * unless `assetsDir` says otherwise.
 */
export function dashboardOptions(
  config: DashboardConfigSource,
  extra: {
    snapshot: DashboardOptions['snapshot'];
    version: string;
    analytics?: boolean;
    notableTraces?: DashboardOptions['notableTraces'];
    assetsDir?: string;
  },
): DashboardOptions {
  return {
    snapshot: extra.snapshot,
    ...(extra.notableTraces ? { notableTraces: extra.notableTraces } : {}),
    config: dashboardConfigBody(config, {
      version: extra.version,
      ...(extra.analytics !== undefined ? { analytics: extra.analytics } : {}),
      traces: extra.notableTraces !== undefined,
    }),
    intervalMs: config.dashboardInterval * 1000,
    maxStreams: config.dashboardMaxStreams,
    token: config.dashboardAuthToken,
    path: config.dashboardPath,
    assetsDir: extra.assetsDir ?? resolveDashboardAssets(),
  };
}

function hasIndex(dir: string): boolean {
  try {
    return statSync(join(dir, 'index.html')).isFile();
  } catch {
    return false;
  }
}

/**
 * The built SPA shipped with this package (`dist/dashboard`, copied there by the package build),
 * or undefined when this build has none. Works from the ESM and CJS builds and from the sources.
 */
export function resolveDashboardAssets(): string | undefined {
  let here: string;
  try {
    here = dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
  // From dist/index.{mjs,cjs}: dist/dashboard. From src/ (tests, tsx): ../dist/dashboard.
  for (const candidate of [join(here, 'dashboard'), join(here, '..', 'dist', 'dashboard')]) {
    if (existsSync(candidate) && hasIndex(candidate)) return candidate;
  }
  return undefined;
}

/** `/` or `/dash` → `''` or `/dash`: the prefix every dashboard URL starts with. */
function mountOf(path: string): string {
  let mount = path.trim();
  if (!mount.startsWith('/')) mount = `/${mount}`;
  while (mount.endsWith('/')) mount = mount.slice(0, -1);
  return mount;
}

/** The path of a request URL exactly as sent (still percent-encoded), and its query with `?`. */
function splitUrl(url: string): { path: string; query: string } {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (start === -1) return { path: '/', query: '' };
  const hash = url.indexOf('#', start);
  const end = hash === -1 ? url.length : hash;
  const q = url.indexOf('?', start);
  if (q === -1 || q > end) return { path: url.slice(start, end), query: '' };
  return { path: url.slice(start, q), query: url.slice(q, end) };
}

export interface DashboardContext {
  guard: FailOpenGuard;
  logger: Logger;
  /** Paths the built-in routes own; the SPA never answers below them. */
  reserved: readonly string[];
}

/** The dashboard's routes, in two parts so the static catch-all goes after every other route. */
export class DashboardRoutes {
  readonly hub: StreamHub;
  private readonly mount: string;
  private readonly configJson: string;
  private readonly capWarnings = new RateLimitedLog({ intervalMs: CAP_WARN_INTERVAL_MS });

  constructor(
    private readonly options: DashboardOptions,
    private readonly context: DashboardContext,
  ) {
    if (typeof options.snapshot !== 'function') throw new TypeError('dashboard.snapshot must be a function');
    this.mount = mountOf(options.path);
    this.configJson = JSON.stringify(options.config);
    this.hub = new StreamHub({
      build: options.snapshot,
      guard: context.guard,
      intervalMs: positive(options.intervalMs, 5_000),
      maxStreams: Math.max(0, Math.trunc(finite(options.maxStreams, 100))),
      heartbeatMs: positive(options.heartbeatMs, DEFAULT_HEARTBEAT_MS),
      stallTimeoutMs: positive(options.stallTimeoutMs, DEFAULT_STALL_TIMEOUT_MS),
      retryMs: positive(options.retryMs, DEFAULT_RETRY_MS),
    });
  }

  /** `/api/config`, `/api/snapshot`, `/api/stream`, and the token check on every `/api/*` path. */
  registerApi(app: ArgusApp, tools: RouteTools): void {
    const { hub, options } = this;
    app.use('/api/*', tools.requireToken(options.token, 'dashboard', { json: true }));

    tools.get('/api/config', (c) => c.body(this.configJson, 200, { 'Content-Type': JSON_TYPE, ...NO_STORE }));

    const reuseMs = Math.min(SNAPSHOT_REUSE_MS, positive(options.intervalMs, 5_000));
    tools.get('/api/snapshot', async (c) => {
      const frame = await hub.frame(reuseMs);
      if (!frame) return c.json({ error: 'snapshot unavailable' }, 503, { ...NO_STORE, 'Retry-After': '5' });
      return c.body(frame.json, 200, { 'Content-Type': JSON_TYPE, ...NO_STORE });
    });

    const notable = options.notableTraces;
    tools.get('/api/traces', (c) => {
      if (!notable) return c.json({ error: 'tracing is off' }, 404, NO_STORE);
      let traces: readonly NotableTrace[];
      try {
        traces = notable();
      } catch (error) {
        this.context.guard.report('server:traces', error);
        return c.json({ error: 'traces unavailable' }, 503, { ...NO_STORE, 'Retry-After': '5' });
      }
      return c.json({ traces }, 200, NO_STORE);
    });

    const streamHeaders = {
      'Content-Type': 'text/event-stream',
      ...NO_STORE,
      'X-Accel-Buffering': 'no',
    };
    tools.get('/api/stream', (c) => {
      // HEAD gets the headers only; opening a stream for it would leave a viewer nobody reads.
      if (c.req.method === 'HEAD') return c.body(null, 200, streamHeaders);
      const outgoing = nodeResponse(c);
      const stream = hub.open({
        signal: c.req.raw.signal,
        destroy: outgoing ? () => outgoing.destroy() : undefined,
      });
      if (!stream) {
        this.warnFull();
        return c.text('too many dashboard streams\n', 503, { ...NO_STORE, 'Retry-After': '5' });
      }
      return c.body(stream, 200, streamHeaders);
    });
  }

  /**
   * The SPA: `{path}` (and `{path}/index.html`) → index.html, `{path}/assets/*` with a long
   * immutable cache (Vite hashes the names), and any other file of the assets directory. No
   * token: these hold no data, and the login prompt has to render.
   */
  registerFiles(app: ArgusApp, tools: RouteTools): void {
    const { mount } = this;
    const shell = (c: Context) => this.serveShell(c);
    if (mount === '') {
      tools.get('/', shell);
    } else {
      // The SPA loads `./assets/...` relative to the page, so the page must end in a slash.
      tools.get(mount, (c) => c.redirect(`${mount}/${splitUrl(c.req.url).query}`, 302));
      tools.get(`${mount}/`, shell);
    }
    tools.get(`${mount}/index.html`, shell);
    app.get(`${mount}/*`, (c) => this.serveFile(c));
  }

  private async serveShell(c: Context): Promise<Response> {
    const dir = this.options.assetsDir;
    const file = dir ? await readInside(dir, ['index.html']) : undefined;
    if (!file) return c.text(NOT_BUILT, 503, NO_STORE);
    return send(c, file, 'index.html', REVALIDATE);
  }

  private async serveFile(c: Context): Promise<Response> {
    const { path } = splitUrl(c.req.url);
    const prefix = `${this.mount}/`;
    if (!path.startsWith(prefix)) return c.notFound();
    if (this.mount === '' && this.isReserved(path)) return c.notFound();
    const segments = safeSegments(path.slice(prefix.length));
    const dir = this.options.assetsDir;
    if (!segments || !dir) return c.notFound();
    const file = await readInside(dir, segments);
    if (!file) return c.notFound();
    const immutable = segments.length > 1 && segments[0] === 'assets';
    return send(c, file, segments[segments.length - 1]!, immutable ? IMMUTABLE : REVALIDATE);
  }

  private isReserved(path: string): boolean {
    return this.context.reserved.some((reserved) => path === reserved || path.startsWith(`${reserved}/`));
  }

  private warnFull(): void {
    // A warning is not worth a failed request: RateLimitedLog swallows a broken logger.
    this.capWarnings.log('stream-cap', () => {
      const open = this.hub.stats().viewers;
      this.context.logger.warn(
        `argus dashboard refused a stream: ${open} are open (dashboardMaxStreams); ` +
          'raise it or close some dashboard tabs',
        { streams: open },
      );
    });
  }
}

function send(c: Context, file: StaticFile, name: string, cacheControl: string): Response {
  const etag = etagOf(file);
  const headers = { 'Cache-Control': cacheControl, ETag: etag };
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
    return c.body(null, 304, headers);
  }
  return c.body(file.data as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'Content-Type': contentTypeOf(name),
  });
}

/** The Node response behind this request when served by @hono/node-server. */
function nodeResponse(c: Context): HttpBindings['outgoing'] | undefined {
  try {
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    return outgoing && typeof outgoing.destroy === 'function' ? outgoing : undefined;
  } catch {
    return undefined;
  }
}

function finite(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function positive(value: number | undefined, fallback: number): number {
  const n = finite(value, fallback);
  return n > 0 ? n : fallback;
}
