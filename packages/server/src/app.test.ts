import { FailOpenGuard, resolveConfig } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { captureLogger, EXPECTED_CSP, hardeningProblems } from '../test/helpers';
import { createApp } from './app';
import type { CreateAppOptions, ExpositionFormat, ReadinessReport } from './types';

const TOKEN = 's3cret-metrics-token';
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function setup(
  overrides: Partial<CreateAppOptions> & { configOptions?: Parameters<typeof resolveConfig>[0] } = {},
) {
  const { configOptions, ...rest } = overrides;
  const logger = captureLogger();
  const guardFailures: string[] = [];
  const guard = new FailOpenGuard({ logger });
  guard.setErrorCounter((hook) => guardFailures.push(hook));
  const renders: ExpositionFormat[] = [];
  const state: ReadinessReport = { ready: true, checks: { client: true, server: true } };
  const app = createApp({
    config: resolveConfig(configOptions ?? {}, {}),
    metrics: async (format) => {
      renders.push(format);
      return format === 'openmetrics' ? '# TYPE up gauge\nup 1\n# EOF\n' : '# TYPE up gauge\nup 1\n';
    },
    readiness: () => state,
    logger,
    guard,
    ...rest,
  });
  return { app, logger, guard, guardFailures, renders, state };
}

describe('GET /healthz', () => {
  it('answers 200 "ok" with no-store and the hardening headers', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN, dashboardAuthToken: 'dash' } });
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(hardeningProblems(res.headers)).toEqual([]);
  });

  it('answers HEAD with the GET status and headers but no body', async () => {
    const { app } = setup();
    const res = await app.request('/healthz', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(hardeningProblems(res.headers)).toEqual([]);
  });
});

describe('GET /readyz', () => {
  it('answers 503 naming the failing checks, then 200 once ready', async () => {
    const { app, state } = setup();
    state.ready = false;
    state.checks = { client: false, server: true, sink: false };
    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^application\/json/);
    expect(down.headers.get('cache-control')).toBe('no-store');
    expect(await down.json()).toEqual({ ready: false, checks: { client: false, server: true, sink: false } });
    expect(hardeningProblems(down.headers)).toEqual([]);

    state.ready = true;
    state.checks = { client: true, server: true, sink: true };
    const up = await app.request('/readyz');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ready: true, checks: { client: true, server: true, sink: true } });
  });

  it('is open even when both tokens are set', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN, dashboardAuthToken: 'dash' } });
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('answers 503 and reports to the guard when the readiness function throws', async () => {
    const { app, guardFailures } = setup({
      readiness: () => {
        throw new Error('boom at readiness');
      },
    });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ ready: false, checks: {} });
    expect(body).not.toContain('boom');
    expect(guardFailures).toEqual(['server:readiness']);
  });

  it('answers HEAD with 503 while not ready', async () => {
    const { app, state } = setup();
    state.ready = false;
    const res = await app.request('/readyz', { method: 'HEAD' });
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('');
  });
});

describe('GET {metricsPath}', () => {
  it('serves the text format by default with no-store and Vary: Accept', async () => {
    const { app, renders } = setup();
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('vary')).toBe('Accept');
    expect(await res.text()).toBe('# TYPE up gauge\nup 1\n');
    expect(renders).toEqual(['text']);
    expect(hardeningProblems(res.headers)).toEqual([]);
  });

  it('serves OpenMetrics when the Accept header asks for it (as Prometheus does)', async () => {
    const { app, renders } = setup();
    const res = await app.request('/metrics', { headers: { accept: PROMETHEUS_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(await res.text()).toMatch(/# EOF\n$/);
    expect(renders).toEqual(['openmetrics']);
  });

  it('keeps text when OpenMetrics is refused or ranked lower', async () => {
    const { app, renders } = setup();
    await app.request('/metrics', { headers: { accept: 'application/openmetrics-text;q=0' } });
    await app.request('/metrics', { headers: { accept: 'text/plain, application/openmetrics-text;q=0.5' } });
    await app.request('/metrics', { headers: { accept: '*/*' } });
    expect(renders).toEqual(['text', 'text', 'text']);
  });

  it('uses the configured path and custom content types', async () => {
    const { app } = setup({
      configOptions: { metricsPath: '/internal/prom' },
      metricsContentType: { text: 'text/plain; charset=utf-8' },
    });
    expect((await app.request('/metrics')).status).toBe(404);
    const res = await app.request('/internal/prom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('answers HEAD without a body', async () => {
    const { app } = setup();
    const res = await app.request('/metrics', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('');
  });

  it('serves the bytes a renderer returns as they are, with their length', async () => {
    const text = '# TYPE up gauge\nup{name="café"} 1\n';
    const bytes = new TextEncoder().encode(text);
    const { app } = setup({ metrics: async () => bytes });
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(res.headers.get('vary')).toBe('Accept');
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(await res.text()).toBe(text);
    const head = await app.request('/metrics', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(await head.text()).toBe('');
  });

  it('is 404 when no metrics renderer is given', async () => {
    const { app } = setup({ metrics: undefined });
    expect((await app.request('/metrics')).status).toBe(404);
  });

  it('is never gated by the dashboard token', async () => {
    const { app } = setup({ configOptions: { dashboardAuthToken: 'dashboard-only' } });
    expect((await app.request('/metrics')).status).toBe(200);
  });

  it('answers 503 without a stack and reports server:metrics when the renderer throws', async () => {
    const { app, guardFailures, logger } = setup({
      metrics: async () => {
        throw new Error('renderer exploded at secret.ts:12');
      },
    });
    const res = await app.request('/metrics');
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toBe('metrics temporarily unavailable\n');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(guardFailures).toEqual(['server:metrics']);
    // The guard logged the cause for the operator, not the client.
    expect(logger.text()).toContain('server:metrics');
  });

  it('treats a renderer that returns no string (a swallowed failure) as unavailable', async () => {
    const { app, guardFailures } = setup({
      metrics: (async () => undefined) as unknown as CreateAppOptions['metrics'],
    });
    expect((await app.request('/metrics')).status).toBe(503);
    expect(guardFailures).toEqual(['server:metrics']);
  });

  it('accepts a synchronous renderer that throws', async () => {
    const { app, guardFailures } = setup({
      metrics: () => {
        throw new Error('sync');
      },
    });
    expect((await app.request('/metrics')).status).toBe(503);
    expect(guardFailures).toEqual(['server:metrics']);
  });
});

describe('metrics token', () => {
  it('answers 401 with WWW-Authenticate: Bearer when no token is presented', async () => {
    const { app, renders } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    const res = await app.request('/metrics');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(await res.text()).toBe('unauthorized\n');
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(renders).toEqual([]);
  });

  it('accepts the token as a Bearer header (any case of the scheme)', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const lower = await app.request('/metrics', { headers: { authorization: `bearer ${TOKEN}` } });
    expect(lower.status).toBe(200);
  });

  it('accepts the token as ?token=', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    const res = await app.request(`/metrics?token=${encodeURIComponent(TOKEN)}`);
    expect(res.status).toBe(200);
    const head = await app.request(`/metrics?token=${encodeURIComponent(TOKEN)}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('rejects a wrong token of the same length and of another length', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    const sameLength = 'x'.repeat(TOKEN.length);
    for (const wrong of [sameLength, 'short', `${TOKEN}-and-more`, TOKEN.slice(0, -1)]) {
      expect((await app.request('/metrics', { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(
        401,
      );
      expect((await app.request(`/metrics?token=${wrong}`)).status).toBe(401);
    }
    expect((await app.request('/metrics?token=')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(
      401,
    );
  });

  it('does not gate /healthz or /readyz', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('logs failures at warn with the path, rate-limited, and never a token', async () => {
    const { app, logger } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    const wrong = 'wrong-token-value-123';
    for (let i = 0; i < 5; i++) {
      await app.request(`/metrics?token=${wrong}`);
      await app.request('/metrics', { headers: { authorization: `Bearer ${wrong}` } });
    }
    // A successful request must not log anything with the token either.
    await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    const warnings = logger.records.filter((r) => r.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('auth failure for /metrics');
    expect(warnings[0]!.fields).toMatchObject({ realm: 'metrics', path: '/metrics', remote: 'unknown' });
    expect(logger.text()).not.toContain(TOKEN);
    expect(logger.text()).not.toContain(wrong);
  });

  it('strips CR/LF from the logged path and truncates it', async () => {
    const logger = captureLogger();
    // A wildcard extension route shows the sanitising on a request-controlled path.
    const app = createApp({
      config: resolveConfig({}, {}),
      readiness: () => ({ ready: true, checks: {} }),
      logger,
      routes: (_app, tools) =>
        tools.get('/x/*', tools.requireToken(TOKEN, 'dashboard'), async (c) => c.text('hi')),
    });
    const res = await app.request(`/x/a%0d%0aforged: line/${'y'.repeat(300)}`);
    expect(res.status).toBe(401);
    const warning = logger.records.find((r) => r.level === 'warn')!;
    expect(warning.message).not.toMatch(/[\r\n]/);
    expect(String(warning.fields?.path)).not.toMatch(/[\r\n]/);
    expect(String(warning.fields?.path).length).toBeLessThanOrEqual(131);
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 with a tiny body that names no framework and holds no stack', async () => {
    const { app } = setup();
    for (const path of ['/nope', '/metrics/', '/api/config', '/../etc/passwd', '/%00']) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).toBe('not found\n');
      expect(body.toLowerCase()).not.toContain('hono');
      expect(body).not.toMatch(/\bat\s/);
      expect(hardeningProblems(res.headers)).toEqual([]);
      for (const value of res.headers.values()) expect(value.toLowerCase()).not.toContain('hono');
    }
  });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    for (const [method, path] of [
      ['POST', '/metrics'],
      ['DELETE', '/healthz'],
      ['PUT', '/readyz'],
      ['OPTIONS', '/metrics'],
      ['PATCH', '/healthz'],
    ] as const) {
      const res = await app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      const body = await res.text();
      expect(body).toBe('method not allowed\n');
      expect(body.toLowerCase()).not.toContain('hono');
      expect(hardeningProblems(res.headers)).toEqual([]);
    }
  });

  it('answers a wrong method on an unknown path with 404', async () => {
    const { app } = setup();
    expect((await app.request('/nope', { method: 'POST' })).status).toBe(404);
  });
});

describe('body cap', () => {
  it('answers 413 to a streamed body over the cap', async () => {
    const { app } = setup();
    const res = await app.request('/metrics', { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('payload too large\n');
    expect(hardeningProblems(res.headers)).toEqual([]);
  });

  it('answers 413 to a declared Content-Length over the cap on any path and method', async () => {
    const { app } = setup();
    for (const [method, path] of [
      ['GET', '/healthz'],
      ['POST', '/nope'],
      ['HEAD', '/metrics'],
    ] as const) {
      const res = await app.request(path, { method, headers: { 'content-length': String(1024 * 1024) } });
      expect(res.status, `${method} ${path}`).toBe(413);
    }
    const bogus = await app.request('/healthz', { headers: { 'content-length': 'lots' } });
    expect(bogus.status).toBe(413);
  });

  it('never touches the body of a GET or HEAD (a lazy request would build a whole Request for it)', async () => {
    const { app } = setup();
    for (const method of ['GET', 'HEAD']) {
      const request = new Request('http://argus.test/metrics', { method });
      let touched = 0;
      // @hono/node-server's request builds a standard Request, signal and all, once its body is read.
      Object.defineProperty(request, 'body', {
        get() {
          touched++;
          return null;
        },
      });
      expect((await app.fetch(request)).status, method).toBe(200);
      expect(touched, method).toBe(0);
    }
  });

  it('lets a small body through to the normal answer and honours a custom cap', async () => {
    const { app } = setup({ maxBodyBytes: 10 });
    expect((await app.request('/healthz', { method: 'POST', body: 'tiny' })).status).toBe(405);
    expect((await app.request('/healthz', { method: 'POST', body: 'more than ten' })).status).toBe(413);
  });
});

describe('security headers', () => {
  it('are on 200, 401, 404, 405, 413 and 503 responses alike', async () => {
    const { app, state } = setup({ configOptions: { metricsAuthToken: TOKEN } });
    state.ready = false;
    const responses = {
      200: await app.request('/healthz'),
      401: await app.request('/metrics'),
      404: await app.request('/missing'),
      405: await app.request('/healthz', { method: 'POST' }),
      413: await app.request('/healthz', { method: 'POST', body: 'x'.repeat(70_000) }),
      503: await app.request('/readyz'),
    };
    for (const [status, res] of Object.entries(responses)) {
      expect(res.status).toBe(Number(status));
      expect(hardeningProblems(res.headers), `status ${status}`).toEqual([]);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('allow only the Grafana origin (not its path) in frame-src', async () => {
    const { app } = setup({
      configOptions: { grafanaUrl: 'https://user:pw@grafana.example.com:3000/d/abc/board?orgId=1#x' },
    });
    const res = await app.request('/healthz');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toBe(`${EXPECTED_CSP} https://grafana.example.com:3000`);
    expect(csp).not.toContain('/d/abc');
    expect(csp).not.toContain('orgId');
    expect(csp).not.toContain('pw');
    expect(hardeningProblems(res.headers, `${EXPECTED_CSP} https://grafana.example.com:3000`)).toEqual([]);
  });

  it('leave frame-src at self without Grafana', async () => {
    const { app } = setup();
    const csp = (await app.request('/healthz')).headers.get('content-security-policy')!;
    expect(csp.split('; ').find((d) => d.startsWith('frame-src'))).toBe("frame-src 'self'");
  });
});

describe('routes extension', () => {
  it('adds GET routes with HEAD, 405, the token check and the same hardening', async () => {
    const { app, logger } = setup({
      routes: (a, tools) => {
        tools.get('/api/config', tools.requireToken('dash-token', 'dashboard'), async (c) =>
          c.json({ ok: 1 }),
        );
        a.get('/plain', (c) => {
          c.header('X-Powered-By', 'SomeFramework/1.0');
          c.header('Cache-Control', 'public, max-age=60');
          return c.text('asset');
        });
      },
    });
    expect((await app.request('/api/config')).status).toBe(401);
    const ok = await app.request('/api/config', { headers: { authorization: 'Bearer dash-token' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: 1 });
    expect(hardeningProblems(ok.headers)).toEqual([]);
    expect((await app.request('/api/config?token=dash-token', { method: 'HEAD' })).status).toBe(200);
    const post = await app.request('/api/config', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');

    const plain = await app.request('/plain');
    expect(hardeningProblems(plain.headers)).toEqual([]);
    // A route may choose its own caching.
    expect(plain.headers.get('cache-control')).toBe('public, max-age=60');
    expect(logger.text()).not.toContain('dash-token');
  });

  it('cannot replace a built-in route', async () => {
    const { app } = setup({
      routes: (a) => {
        a.get('/healthz', (c) => c.text('hijacked'));
      },
    });
    expect(await (await app.request('/healthz')).text()).toBe('ok\n');
  });

  it('is reported and ignored when it throws; built-ins keep working', async () => {
    const { app, guardFailures } = setup({
      routes: () => {
        throw new Error('bad extension');
      },
    });
    expect(guardFailures).toEqual(['server:routes']);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('turns a throwing handler into a generic 500 with the hardening headers', async () => {
    const { app, guardFailures } = setup({
      routes: (a) => {
        a.get('/boom', () => {
          throw new Error('kaboom in handler');
        });
        a.get('/weird', () => {
          throw 'a string, not an Error';
        });
      },
    });
    for (const path of ['/boom', '/weird']) {
      const res = await app.request(path);
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(body).toBe('internal error\n');
      expect(body).not.toContain('kaboom');
      expect(hardeningProblems(res.headers)).toEqual([]);
    }
    expect(guardFailures).toEqual(['server:request', 'server:request']);
  });

  it('copies a response with immutable headers so it can be hardened', async () => {
    const { app } = setup({
      routes: (a) => {
        a.get('/immutable', () => Response.redirect('http://127.0.0.1/elsewhere', 302));
      },
    });
    const res = await app.request('/immutable');
    expect(res.status).toBe(302);
    expect(hardeningProblems(res.headers)).toEqual([]);
  });
});
