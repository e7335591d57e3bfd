import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ArgusOptions,
  FailOpenGuard,
  FORBIDDEN_LABELS,
  type MetricsSnapshot,
  type NotableTrace,
  resolveConfig,
} from '@argus/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogger, hardeningProblems, SPA_INDEX, sampleSnapshot, spaFixture } from '../test/helpers';
import { createApp } from './app';
import { dashboardConfigBody, dashboardOptions, resolveDashboardAssets } from './dashboard';
import type { CreateAppOptions, DashboardOptions } from './types';

const TOKEN = 'dash-Secret-token-42';
const IMMUTABLE = 'public, max-age=31536000, immutable';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function spa() {
  const fixture = spaFixture();
  cleanups.push(fixture.cleanup);
  return fixture;
}

interface SetupOptions {
  configOptions?: ArgusOptions;
  dashboard?: Partial<DashboardOptions>;
  snapshot?: () => MetricsSnapshot;
  app?: Partial<CreateAppOptions>;
  assets?: 'fixture' | 'none';
}

function setup(options: SetupOptions = {}) {
  const config = resolveConfig(options.configOptions ?? {}, {});
  const logger = captureLogger();
  const failures: string[] = [];
  const guard = new FailOpenGuard({ logger });
  guard.setErrorCounter((hook) => failures.push(hook));
  const calls = { snapshot: 0 };
  const build = options.snapshot ?? (() => sampleSnapshot());
  const fixture = options.assets === 'none' ? undefined : spa();
  const dashboard: DashboardOptions = {
    ...dashboardOptions(config, {
      version: '9.9.9',
      snapshot: () => {
        calls.snapshot++;
        return build();
      },
      ...(fixture ? { assetsDir: fixture.dir } : {}),
    }),
    ...(options.assets === 'none' ? { assetsDir: undefined } : {}),
    ...options.dashboard,
  };
  const app = createApp({
    config,
    readiness: () => ({ ready: true, checks: { client: true } }),
    metrics: () => 'up 1\n',
    logger,
    guard,
    dashboard,
    ...options.app,
  });
  return { app, config, logger, guard, failures, calls, fixture };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('dashboardConfigBody', () => {
  it('derives the /api/config body from the resolved configuration', () => {
    const config = resolveConfig(
      {
        namespace: 'mybot',
        clusterId: 'eu-1',
        metricsPath: '/prom',
        dashboardPath: '/dash',
        dashboardInterval: 7,
        dashboardAuthToken: TOKEN,
        grafanaUrl: 'https://admin:hunter2@grafana.example.com/grafana/?orgId=2#frag',
      },
      {},
    );
    const body = dashboardConfigBody(config, { version: '1.2.3', analytics: true });
    expect(body).toEqual({
      version: '1.2.3',
      namespace: 'mybot',
      cluster: 'eu-1',
      metricsPath: '/prom',
      dashboardPath: '/dash',
      intervalSeconds: 7,
      authRequired: true,
      grafanaUrl: 'https://grafana.example.com/grafana/?orgId=2',
      traceUiUrl: null,
      sections: { grafana: true, analytics: true, traces: false },
    });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('reports no auth, no Grafana and no analytics by default', () => {
    const body = dashboardConfigBody(resolveConfig({}, {}), { version: '0.1.0' });
    expect(body).toMatchObject({
      namespace: 'discord',
      cluster: 'default',
      metricsPath: '/metrics',
      dashboardPath: '/',
      intervalSeconds: 5,
      authRequired: false,
      grafanaUrl: null,
      traceUiUrl: null,
      sections: { grafana: false, analytics: false, traces: false },
    });
  });

  it('passes the trace UI link template on without credentials, its {traceId} intact', () => {
    const body = (tracingUiUrl: string) =>
      dashboardConfigBody(resolveConfig({ tracingUiUrl }, {}), { version: '0', traces: true });
    expect(body('http://jaeger:16686/trace/{traceId}')).toMatchObject({
      traceUiUrl: 'http://jaeger:16686/trace/{traceId}',
      sections: { traces: true },
    });
    const grafana = body(
      'https://admin:hunter2@grafana.example/explore?left={"queries":[{"query":"{traceId}"}]}',
    );
    expect(grafana.traceUiUrl).not.toContain('hunter2');
    expect(grafana.traceUiUrl).not.toContain('admin');
    expect(grafana.traceUiUrl).toContain('{traceId}');
    expect(grafana.traceUiUrl?.startsWith('https://grafana.example/explore?left=')).toBe(true);
  });

  it('strips the trailing slash of a bare Grafana origin', () => {
    const config = resolveConfig({ grafanaUrl: 'http://grafana:3000' }, {});
    expect(dashboardConfigBody(config, { version: '0' }).grafanaUrl).toBe('http://grafana:3000');
  });
});

describe('dashboardOptions', () => {
  it('maps the configuration onto the dashboard options', () => {
    const config = resolveConfig(
      { dashboardInterval: 3, dashboardMaxStreams: 9, dashboardAuthToken: TOKEN, dashboardPath: '/d' },
      {},
    );
    const snapshot = () => sampleSnapshot();
    const options = dashboardOptions(config, { snapshot, version: '1.0.0', assetsDir: '/srv/spa' });
    expect(options).toEqual({
      snapshot,
      config: dashboardConfigBody(config, { version: '1.0.0' }),
      intervalMs: 3_000,
      maxStreams: 9,
      token: TOKEN,
      path: '/d',
      assetsDir: '/srv/spa',
    });
  });

  it('falls back to the SPA shipped with the package', () => {
    const options = dashboardOptions(resolveConfig({}, {}), {
      snapshot: () => sampleSnapshot(),
      version: '0',
    });
    expect(options.assetsDir).toBe(resolveDashboardAssets());
  });
});

describe('resolveDashboardAssets', () => {
  it('finds dist/dashboard with an index.html, or nothing', () => {
    const found = resolveDashboardAssets();
    if (found === undefined) return;
    expect(found.endsWith(join('dist', 'dashboard'))).toBe(true);
    expect(statSync(join(found, 'index.html')).isFile()).toBe(true);
  });
});

describe('GET /api/config', () => {
  it('answers the config body as JSON with no-store and the hardening headers', async () => {
    const { app, config } = setup();
    const res = await app.request('/api/config');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(await res.json()).toEqual(dashboardConfigBody(config, { version: '9.9.9' }));
  });

  it('answers 405 to other methods and HEAD with no body', async () => {
    const { app } = setup();
    const post = await app.request('/api/config', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await app.request('/api/config', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('GET /api/traces', () => {
  const notable: NotableTrace[] = [
    {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      time: 1_717_171_717_171,
      command: 'config set',
      type: 'application_command',
      outcome: 'late',
      durationMs: 3_412.5,
    },
  ];

  it('lists the notable interactions behind the dashboard token, and is 404 with tracing off', async () => {
    const on = setup({
      configOptions: { dashboardAuthToken: TOKEN },
      dashboard: { notableTraces: () => notable },
    });
    expect((await on.app.request('/api/traces')).status).toBe(401);
    const res = await on.app.request('/api/traces', bearer(TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(await res.json()).toEqual({ traces: notable });
    expect((await setup().app.request('/api/traces')).status).toBe(404);
  });

  it('answers 503 and counts the failure when reading them throws', async () => {
    const broken = setup({
      dashboard: {
        notableTraces: () => {
          throw new Error('boom');
        },
      },
    });
    const res = await broken.app.request('/api/traces');
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('boom');
    expect(broken.failures).toEqual(['server:traces']);
  });
});

describe('GET /api/snapshot', () => {
  const tricky = [
    'say "hi"',
    'line1\nline2\r\nline3',
    'back\\slash\\\\double',
    'tab\tand\u0000nul\u001fctl',
    'ünïcødé — 日本語',
    'emoji 🚀👩‍💻🏳️‍🌈',
    'separators \u2028 \u2029',
    'lone surrogate \ud800',
    '</script><script>alert(1)</script>',
    'data: fake\n\nid: 9',
    '',
  ];
  const snapshot: MetricsSnapshot = {
    time: 1_717_171_717_171,
    metrics: {
      discord_commands_total: {
        type: 'counter',
        help: 'Help with "quotes", \\ and \n newline',
        labelNames: ['cluster', 'command'],
        series: tricky.map((value, i) => [['default', value], i + 0.5]),
      },
      discord_latency_seconds: {
        type: 'histogram',
        help: '',
        labelNames: [],
        le: ['1e-9', '0.5', '+Inf'],
        series: [[[], [0, 3, 4], 1e-9, Number.MAX_SAFE_INTEGER]],
      },
    },
  };

  it('round-trips label values with quotes, newlines, backslashes, unicode and emoji', async () => {
    const { app } = setup({ snapshot: () => snapshot });
    const res = await app.request('/api/snapshot');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(hardeningProblems(res.headers)).toEqual([]);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual(snapshot);
  });

  it('adds nothing to the snapshot it was given: no label, no family, no field', async () => {
    const { app } = setup({ snapshot: () => sampleSnapshot(42) });
    const body = (await (await app.request('/api/snapshot')).json()) as MetricsSnapshot;
    expect(body).toStrictEqual(sampleSnapshot(42));
    const labelNames = Object.values(body.metrics).flatMap((f) => f.labelNames);
    for (const forbidden of FORBIDDEN_LABELS) expect(labelNames).not.toContain(forbidden);
    // Every series still carries exactly one value per label name.
    for (const family of Object.values(body.metrics)) {
      for (const series of family.series) expect(series[0]).toHaveLength(family.labelNames.length);
    }
  });

  it('answers 503 and reports server:snapshot when the snapshot throws', async () => {
    const { app, failures, logger } = setup({
      snapshot: () => {
        throw new Error(`registry down ${TOKEN.length}`);
      },
    });
    const res = await app.request('/api/snapshot');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: 'snapshot unavailable' });
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(failures).toEqual(['server:snapshot']);
    expect(logger.text()).not.toContain('at '); // no stack in the log line
  });

  it('awaits an asynchronous snapshot, and answers 503 when it rejects', async () => {
    let fail = false;
    const { app, failures } = setup({
      dashboard: {
        snapshot: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (fail) throw new Error('collector failed');
          return sampleSnapshot(7);
        },
      },
    });
    const ok = await app.request('/api/snapshot');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(sampleSnapshot(7));
    fail = true;
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const failed = await app.request('/api/snapshot');
    expect(failed.status).toBe(503);
    expect(failures).toEqual(['server:snapshot']);
  });

  it('reuses a snapshot built in the last second', async () => {
    const { app, calls } = setup();
    await app.request('/api/snapshot');
    await app.request('/api/snapshot');
    expect(calls.snapshot).toBe(1);
  });
});

describe('GET /api/stream (in process)', () => {
  it('answers an event stream whose first chunk holds retry and the current frame', async () => {
    const { app, calls } = setup({ dashboard: { intervalMs: 60_000 } });
    const res = await app.request('/api/stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('content-length')).toBeNull();
    expect(hardeningProblems(res.headers)).toEqual([]);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('data: ')) text += decoder.decode((await reader.read()).value);
    expect(text).toBe(`retry: 3000\n\nid: 1700000000000\ndata: ${JSON.stringify(sampleSnapshot())}\n\n`);
    await reader.cancel();
    expect(calls.snapshot).toBe(1);
  });

  it('starts a stream with a fresh snapshot, not one an earlier /api/snapshot left behind', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    try {
      // Asynchronous, as PrometheusAdapter.snapshot() is; stamped with the time it was built.
      let builds = 0;
      const { app } = setup({
        dashboard: {
          intervalMs: 5_000,
          snapshot: async () => {
            builds++;
            return sampleSnapshot(Date.now());
          },
        },
      });
      expect(((await (await app.request('/api/snapshot')).json()) as MetricsSnapshot).time).toBe(Date.now());
      await vi.advanceTimersByTimeAsync(25_000);
      const opened = Date.now();
      const res = await app.request('/api/stream');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('data: ')) text += decoder.decode((await reader.read()).value);
      // Not the one built for /api/snapshot 25 s ago.
      expect(text).toBe(`retry: 3000\n\nid: ${opened}\ndata: ${JSON.stringify(sampleSnapshot(opened))}\n\n`);
      expect(builds).toBe(2);
      await reader.cancel();
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers HEAD with the stream headers and opens no stream', async () => {
    const { app, calls } = setup();
    const res = await app.request('/api/stream', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(calls.snapshot).toBe(0);
  });

  it('answers 503 with Retry-After past maxStreams and warns once', async () => {
    const { app, logger } = setup({ dashboard: { maxStreams: 1 } });
    const first = await app.request('/api/stream');
    expect(first.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const refused = await app.request('/api/stream');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.text()).toBe('too many dashboard streams\n');
      expect(hardeningProblems(refused.headers)).toEqual([]);
    }
    expect(logger.records.filter((r) => r.level === 'warn')).toHaveLength(1);
    await first.body!.cancel();
    const again = await app.request('/api/stream');
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });
});

describe('dashboard auth', () => {
  const API = ['/api/config', '/api/snapshot', '/api/stream', '/api/nope', '/api/analytics/top-commands'];

  function withToken() {
    return setup({
      dashboard: { token: TOKEN },
      app: {
        // As the analytics routes will be added: after the dashboard, through `routes`.
        routes: (_app, tools) => tools.get('/api/analytics/top-commands', (c) => c.json({ rows: [] })),
      },
    });
  }

  async function expectUnauthorized(res: Response) {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
  }

  it.each(API)('%s: 401 JSON without a token, with a wrong one, or a stale one', async (path) => {
    const { app } = withToken();
    await expectUnauthorized(await app.request(path));
    await expectUnauthorized(await app.request(path, bearer(`${TOKEN}x`)));
    await expectUnauthorized(await app.request(`${path}?token=${TOKEN.slice(0, -1)}`));
    await expectUnauthorized(await app.request(path, bearer('an-old-token-from-localStorage')));
    await expectUnauthorized(await app.request(path, { headers: { authorization: `Basic ${TOKEN}` } }));
    await expectUnauthorized(await app.request(`${path}?token=`));
  });

  it.each(API.filter((p) => p !== '/api/nope'))(
    '%s: accepted with the Bearer header or ?token=',
    async (path) => {
      const { app } = withToken();
      for (const res of [
        await app.request(path, bearer(TOKEN)),
        await app.request(`${path}?token=${encodeURIComponent(TOKEN)}`),
      ]) {
        expect(res.status).toBe(200);
        await res.body?.cancel();
      }
    },
  );

  it('answers an unknown /api path 404 once authorised', async () => {
    const { app } = withToken();
    expect((await app.request('/api/nope', bearer(TOKEN))).status).toBe(404);
  });

  it('never logs the token: not a wrong one, not one in the query, not the right one', async () => {
    const { app, logger } = withToken();
    await app.request(`/api/config?token=wrong-${TOKEN}`);
    await app.request(`/api/stream?token=${TOKEN}-stale&x=1`);
    await app.request('/api/snapshot', bearer(`${TOKEN}-old`));
    const ok = await app.request(`/api/stream?token=${TOKEN}`);
    await ok.body!.cancel();
    expect(logger.records.length).toBeGreaterThan(0);
    expect(logger.text()).not.toContain(TOKEN);
    expect(logger.text()).not.toContain('token=');
    expect(logger.records[0]!.fields).toMatchObject({ realm: 'dashboard', path: '/api/config' });
  });

  it('leaves /api/* open without a token', async () => {
    const { app } = setup();
    expect((await app.request('/api/config')).status).toBe(200);
    expect((await app.request('/api/snapshot')).status).toBe(200);
  });

  it('serves the shell, assets and other static files without a token', async () => {
    const { app } = withToken();
    for (const path of [
      '/',
      '/index.html',
      '/assets/index-Ab12Cd.js',
      '/favicon.svg',
      '/fonts/geist.woff2',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
    }
  });

  it('keeps the metrics token and the health endpoints as they were', async () => {
    const { app } = setup({ configOptions: { metricsAuthToken: 'm-token' }, dashboard: { token: TOKEN } });
    expect((await app.request('/metrics', bearer(TOKEN))).status).toBe(401);
    expect((await app.request('/metrics', bearer('m-token'))).status).toBe(200);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
  });
});

describe('the SPA files', () => {
  it('serves index.html at the dashboard path with no-cache', async () => {
    const { app } = setup();
    for (const path of ['/', '/index.html']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(hardeningProblems(res.headers)).toEqual([]);
      expect(await res.text()).toBe(SPA_INDEX);
    }
  });

  it.each([
    ['/assets/index-Ab12Cd.js', 'text/javascript; charset=utf-8', IMMUTABLE],
    ['/assets/index-Ab12Cd.js.map', 'application/json; charset=utf-8', IMMUTABLE],
    ['/assets/index-Ef34Gh.css', 'text/css; charset=utf-8', IMMUTABLE],
    ['/assets/logo-Ij56.svg', 'image/svg+xml', IMMUTABLE],
    ['/assets/logo-Kl78.png', 'image/png', IMMUTABLE],
    ['/assets/nested/deep-Mn90.js', 'text/javascript; charset=utf-8', IMMUTABLE],
    ['/assets/link-in.svg', 'image/svg+xml', IMMUTABLE],
    ['/favicon.svg', 'image/svg+xml', 'no-cache'],
    ['/manifest.json', 'application/json; charset=utf-8', 'no-cache'],
    ['/fonts/geist.woff2', 'font/woff2', 'no-cache'],
    ['/weird.bin', 'application/octet-stream', 'no-cache'],
  ])('%s → %s, %s', async (path, type, cache) => {
    const { app } = setup();
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(hardeningProblems(res.headers)).toEqual([]);
  });

  it('answers a matching If-None-Match with 304', async () => {
    const { app } = setup();
    const first = await app.request('/assets/index-Ab12Cd.js');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\//);
    const again = await app.request('/assets/index-Ab12Cd.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('cache-control')).toBe(IMMUTABLE);
  });

  it('answers HEAD with the headers and no body', async () => {
    const { app } = setup();
    const res = await app.request('/assets/index-Ab12Cd.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('');
  });

  it.each([
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/%2E%2E/%2e%2E/secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/%2fetc%2fpasswd',
    '/assets/%00.js',
    '/assets/link-out.js',
    '/up/secret.txt',
    '/assets',
    '/assets/',
    '/assets/nested',
    '/fonts/',
    '/.env',
    '/assets/missing-00.js',
    '/assets/%zz.js',
  ])('answers %s with 404 and nothing from outside', async (path) => {
    const { app } = setup();
    const res = await app.request(path);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toBe('not found\n');
    expect(hardeningProblems(res.headers)).toEqual([]);
  });

  it('answers 503 "dashboard assets are not built" without an assets directory', async () => {
    const { app } = setup({ assets: 'none' });
    for (const path of ['/', '/index.html']) {
      const res = await app.request(path);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('dashboard assets are not built\n');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(hardeningProblems(res.headers)).toEqual([]);
    }
    expect((await app.request('/assets/index-Ab12Cd.js')).status).toBe(404);
    // The data routes still work.
    expect((await app.request('/api/snapshot')).status).toBe(200);
  });

  it('answers 503 when the directory is missing or has no index.html', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'argus-empty-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    mkdirSync(join(empty, 'assets'));
    writeFileSync(join(empty, 'assets', 'a.js'), '');
    for (const assetsDir of [empty, join(empty, 'does-not-exist')]) {
      const { app, failures } = setup({ dashboard: { assetsDir } });
      const res = await app.request('/');
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('dashboard assets are not built\n');
      expect(failures).toEqual([]);
    }
  });

  it('lets the built-in routes win over files of the same name', async () => {
    const { app, fixture } = setup();
    writeFileSync(join(fixture!.dir, 'healthz'), 'FILE');
    writeFileSync(join(fixture!.dir, 'readyz'), 'FILE');
    writeFileSync(join(fixture!.dir, 'metrics'), 'FILE');
    mkdirSync(join(fixture!.dir, 'api'));
    writeFileSync(join(fixture!.dir, 'api', 'config'), 'FILE');
    writeFileSync(join(fixture!.dir, 'api', 'other'), 'FILE');
    expect(await (await app.request('/healthz')).text()).toBe('ok\n');
    expect((await (await app.request('/readyz')).json()) as unknown).toMatchObject({ ready: true });
    expect(await (await app.request('/metrics')).text()).toBe('up 1\n');
    expect((await (await app.request('/api/config')).json()) as unknown).toMatchObject({ version: '9.9.9' });
    // Unknown /api paths are never files.
    expect((await app.request('/api/other')).status).toBe(404);
  });

  it('never serves a file at the metrics path, even when no renderer is set', async () => {
    const { app, fixture } = setup({ app: { metrics: undefined } });
    writeFileSync(join(fixture!.dir, 'metrics'), 'FILE');
    expect((await app.request('/metrics')).status).toBe(404);
  });

  it('does not shadow routes added through `routes`', async () => {
    const { app } = setup({
      app: { routes: (_app, tools) => tools.get('/custom', (c) => c.text('custom\n')) },
    });
    expect(await (await app.request('/custom')).text()).toBe('custom\n');
  });

  describe('under a dashboard path', () => {
    it('redirects {path} to {path}/ keeping the query, and serves below it', async () => {
      const { app } = setup({ configOptions: { dashboardPath: '/dash' }, dashboard: { token: TOKEN } });
      const bare = await app.request('/dash?token=abc');
      expect(bare.status).toBe(302);
      expect(bare.headers.get('location')).toBe('/dash/?token=abc');
      expect((await app.request('/dash')).headers.get('location')).toBe('/dash/');
      for (const path of ['/dash/', '/dash/index.html']) {
        const res = await app.request(path);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(SPA_INDEX);
      }
      const js = await app.request('/dash/assets/index-Ab12Cd.js');
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toBe(IMMUTABLE);
      // Nothing of the SPA outside the path; /api/* stays at the root.
      expect((await app.request('/')).status).toBe(404);
      expect((await app.request('/assets/index-Ab12Cd.js')).status).toBe(404);
      expect((await app.request('/dash/assets/%2e%2e/%2e%2e/secret.txt')).status).toBe(404);
      expect((await app.request('/api/config', bearer(TOKEN))).status).toBe(200);
      expect((await app.request('/dash/api/config', bearer(TOKEN))).status).toBe(404);
    });
  });

  it('keeps the CSP: scripts and styles from self, inline styles allowed, no inline scripts', async () => {
    const { app } = setup();
    const csp = (await app.request('/')).headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    expect(csp).toContain("font-src 'self';");
    expect(csp).toContain("connect-src 'self';");
  });
});

describe('a broken dashboard option', () => {
  it('is reported as server:dashboard and leaves the other routes up', async () => {
    const logger = captureLogger();
    const failures: string[] = [];
    const guard = new FailOpenGuard({ logger });
    guard.setErrorCounter((hook) => failures.push(hook));
    const app = createApp({
      config: resolveConfig({}, {}),
      readiness: () => ({ ready: true, checks: {} }),
      guard,
      dashboard: { snapshot: 'not a function' } as unknown as DashboardOptions,
    });
    expect(failures).toEqual(['server:dashboard']);
    expect((await app.request('/healthz')).status).toBe(200);
  });
});
