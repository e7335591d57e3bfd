import {
  FailOpenGuard,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  silentLogger,
  TEXT_CONTENT_TYPE,
} from '@argus/core';
import { type Context, type Handler, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { registerAnalytics } from './analytics';
import { AuthFailureLog, requireToken } from './auth';
import { DashboardRoutes } from './dashboard';
import { provideErrorResponse } from './internal/error-headers';
import { onServerClose } from './lifecycle';
import { hardening } from './security';
import type { ArgusApp, CreateAppOptions, ExpositionFormat, ReadinessReport, RouteTools } from './types';

/** Default request body cap. The bot has no route that takes a body. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const ALLOW_GET = 'GET, HEAD';

/** Short, generic bodies: no stack, no framework name, nothing from the request. */
const STATUS_TEXT: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  413: 'payload too large',
  500: 'internal error',
  503: 'unavailable',
};

function plain(c: Context, status: number, headers?: Record<string, string>): Response {
  const text = STATUS_TEXT[status] ?? (status >= 500 ? 'internal error' : 'error');
  return c.text(`${text}\n`, status as 400, headers);
}

/**
 * Builds the Argus HTTP app: `{metricsPath}`, `/healthz`, `/readyz`, the dashboard when
 * `dashboard` is given, and whatever `routes` adds,
 * with security headers, a body cap and generic error bodies on every response. Pure: it opens
 * no socket and reads no environment; `startServer` serves it.
 */
export function createApp(options: CreateAppOptions): ArgusApp {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const guard = options.guard ?? new FailOpenGuard({ logger });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const failures = new AuthFailureLog(logger);
  const app = new Hono();

  app.use('*', ...hardening(config.grafanaUrl), lastResort(guard), bodyCap(maxBodyBytes));
  provideErrorResponse(app, async () => {
    // A request the server refuses before the app sees it gets the headers this would carry.
    const sample = new Hono();
    sample.use('*', ...hardening(config.grafanaUrl));
    sample.all('*', (c) => plain(c, 400));
    return sample.request('/');
  });
  app.notFound((c) => plain(c, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) return plain(c, error.status);
    guard.report('server:request', error);
    return plain(c, 500);
  });

  const tools: RouteTools = {
    get(path, ...handlers) {
      app.on('GET', path, ...(handlers as [Handler]));
      app.all(path, (c) => plain(c, 405, { Allow: ALLOW_GET }));
    },
    requireToken: (token, realm, tokenOptions) => requireToken(token, realm, failures, tokenOptions),
  };

  tools.get('/healthz', async (c) => c.text('ok\n'));

  tools.get('/readyz', async (c) => {
    let report: ReadinessReport;
    try {
      const raw = options.readiness();
      report = { ready: raw.ready === true, checks: { ...raw.checks } };
    } catch (error) {
      guard.report('server:readiness', error);
      report = { ready: false, checks: {} };
    }
    return c.json(report, report.ready ? 200 : 503);
  });

  const render = options.metrics;
  if (render) {
    const contentTypes: Record<ExpositionFormat, string> = {
      text: options.metricsContentType?.text ?? TEXT_CONTENT_TYPE,
      openmetrics: options.metricsContentType?.openmetrics ?? OPENMETRICS_CONTENT_TYPE,
    };
    tools.get(config.metricsPath, tools.requireToken(config.metricsAuthToken, 'metrics'), async (c) => {
      const format = negotiateFormat(c.req.header('accept'));
      let body: unknown;
      try {
        body = await render(format);
        if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
          throw new TypeError(`metrics renderer returned ${typeof body}`);
        }
      } catch (error) {
        guard.report('server:metrics', error);
        return c.text('metrics temporarily unavailable\n', 503, { 'Retry-After': '5', Vary: 'Accept' });
      }
      const headers = { 'Content-Type': contentTypes[format], Vary: 'Accept' };
      if (typeof body === 'string') return c.body(body, 200, headers);
      return c.body(bytesStream(body), 200, { ...headers, 'Content-Length': String(body.byteLength) });
    });
  }

  // The dashboard's /api/* go before the extension routes (so its token check covers theirs,
  // e.g. analytics); its static catch-all goes after them, so it shadows nothing.
  const dashboardOptions = options.dashboard;
  const dashboard = dashboardOptions
    ? guard.run('server:dashboard', () => {
        const routes = new DashboardRoutes(dashboardOptions, {
          guard,
          logger,
          reserved: ['/api', '/healthz', '/readyz', config.metricsPath],
        });
        routes.registerApi(app, tools);
        return routes;
      })
    : undefined;

  const analytics = options.analytics;
  if (analytics) guard.run('server:analytics', () => registerAnalytics(app, tools, analytics, guard));

  // In-bot alerts (issue 13): read-only JSON behind the same token as /api/snapshot.
  const alerts = options.alerts;
  if (alerts) {
    tools.get('/api/alerts', tools.requireToken(alerts.token, 'dashboard', { json: true }), async (c) => {
      try {
        return c.json(alerts.view() as object, 200, { 'Cache-Control': 'no-store' });
      } catch (error) {
        guard.report('server:alerts', error);
        return c.json({ error: 'alerts temporarily unavailable' }, 503);
      }
    });
  }

  const extend = options.routes;
  if (extend) guard.run('server:routes', () => extend(app, tools));

  if (dashboard) {
    guard.run('server:dashboard', () => dashboard.registerFiles(app, tools));
    onServerClose(app, () => dashboard.hub.closeAll());
  }

  return app;
}

/**
 * The bytes as a one-chunk stream: a Response copies a Uint8Array body it is given, and an
 * exposition is a few hundred KiB; a stream hands the same bytes over as they are.
 */
function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Catches what hono's onError does not (a thrown non-Error), so no request ever escapes. */
function lastResort(guard: FailOpenGuard): MiddlewareHandler {
  return async (c, next) => {
    try {
      await next();
    } catch (error) {
      guard.report('server:request', error);
      c.res = plain(c, 500);
    }
  };
}

/**
 * 413 for a body over the cap on any route: a declared Content-Length is checked at once (GET
 * and HEAD included); a chunked body on other methods is counted by hono's bodyLimit as it is
 * read. A GET or HEAD body is never read at all, and startServer closes the connection after
 * answering a request whose body is still arriving, so no body is read past the answer.
 */
function bodyCap(maxBytes: number): MiddlewareHandler {
  const tooLarge = (c: Context) => plain(c, 413, { Connection: 'close' });
  const limit = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && !(Number(declared) <= maxBytes)) return tooLarge(c);
    // No route reads a GET or HEAD body (fetch requests cannot carry one), and asking for it
    // makes @hono/node-server build a whole standard Request, signal included, per request.
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const body = c.req.raw.body;
    if (body && declared === undefined) {
      // startServer keeps @hono/node-server from replacing the global Request, so its lazy
      // request object is not one the global constructor accepts; bodyLimit re-creates the
      // request after counting a chunked body. Hand it a standard Request over the same stream.
      c.req.raw = new Request(c.req.url, {
        method: c.req.method,
        headers: c.req.raw.headers,
        body,
        duplex: 'half',
        signal: c.req.raw.signal,
      } as RequestInit);
    }
    return limit(c, next);
  };
}
