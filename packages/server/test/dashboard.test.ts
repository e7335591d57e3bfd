// The dashboard over real sockets: SSE framing, the shared ticker, the stream cap, disconnects,
// a viewer that stops reading, shutdown, auth and static files as a browser would hit them.
import { connect, type Socket } from 'node:net';
import { FailOpenGuard, type MetricsSnapshot, resolveConfig } from '@argus/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createApp,
  type DashboardOptions,
  dashboardConfigBody,
  type StartServerOptions,
  startServer,
} from '../src/index';
import {
  captureLogger,
  hardeningProblems,
  SPA_INDEX,
  SseClient,
  sampleSnapshot,
  spaFixture,
} from './helpers';

const TOKEN = 'socket-dashboard-token';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ServeOptions {
  dashboard?: Partial<DashboardOptions>;
  snapshot?: (n: number) => MetricsSnapshot;
  server?: Partial<StartServerOptions>;
  assets?: boolean;
}

async function serve(options: ServeOptions = {}) {
  const config = resolveConfig({}, {});
  const logger = captureLogger();
  const failures: string[] = [];
  const guard = new FailOpenGuard({ logger });
  guard.setErrorCounter((hook) => failures.push(hook));
  const fixture = spaFixture();
  cleanups.push(fixture.cleanup);
  const calls = { snapshot: 0 };
  // Each build gets its own time, so a frame's id names the build that made it.
  const build = options.snapshot ?? ((n: number) => sampleSnapshot(1_000_000 + n));
  const app = createApp({
    config,
    readiness: () => ({ ready: true, checks: {} }),
    metrics: () => 'up 1\n',
    logger,
    guard,
    dashboard: {
      snapshot: () => build(++calls.snapshot),
      config: dashboardConfigBody(config, { version: '0.1.0' }),
      intervalMs: 200,
      maxStreams: 100,
      path: '/',
      assetsDir: options.assets === false ? undefined : fixture.dir,
      heartbeatMs: 300,
      ...options.dashboard,
    },
  });
  const handle = (await startServer(app, { host: '127.0.0.1', port: 0, logger, guard, ...options.server }))!;
  expect(handle).toBeDefined();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  cleanups.push(close);
  return { handle, url: handle.url, calls, logger, failures, fixture, close };
}

async function stream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.connect(url, headers);
  cleanups.push(() => client.close());
  return client;
}

/** One request over a fresh socket with the request target exactly as given (no normalisation). */
function rawGet(port: number, target: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => {
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split);
      resolve({ status: Number(head.split(' ')[1]), head, body: text.slice(split + 4) });
    });
    socket.on('error', reject);
  });
}

describe('/api/stream over a real socket', () => {
  it('frames retry, id and data; the first frame at once, the next after intervalMs; pings', async () => {
    const { url } = await serve({ dashboard: { intervalMs: 400, heartbeatMs: 250 } });
    const started = Date.now();
    const client = await stream(`${url}/api/stream`);
    expect(client.status).toBe(200);
    expect(client.res.headers['content-type']).toBe('text/event-stream');
    expect(client.res.headers['cache-control']).toBe('no-store');
    expect(client.res.headers['x-accel-buffering']).toBe('no');
    expect(client.res.headers['content-length']).toBeUndefined();
    expect(client.res.headers.server).toBe('argus');

    await client.until(() => client.events().length >= 1, 2_000, 'the first frame');
    const first = client.events()[0]!;
    expect(first.at - started).toBeLessThan(300);
    expect(client.items[0]).toMatchObject({ kind: 'retry', ms: 3000 });
    expect(first.id).toBe('1000001');
    expect(JSON.parse(first.data)).toEqual(sampleSnapshot(1_000_001));

    await client.until(() => client.events().length >= 2, 3_000, 'the second frame');
    const second = client.events()[1]!;
    expect(second.id).toBe('1000002');
    expect(second.at - first.at).toBeGreaterThanOrEqual(300);
    expect(second.at - first.at).toBeLessThan(1_500);

    await client.until(() => client.comments().includes('ping'), 3_000, 'a heartbeat');
    // Nothing but retry, comments and events ever crossed the wire.
    expect(client.raw).toMatch(/^retry: 3000\n\n/);
  });

  it('builds one snapshot per tick for 20 viewers', async () => {
    const { url, calls } = await serve({ dashboard: { intervalMs: 150, heartbeatMs: 60_000 } });
    const clients = await Promise.all(Array.from({ length: 20 }, () => stream(`${url}/api/stream`)));
    for (const client of clients) {
      await client.until(() => client.events().length >= 4, 5_000, 'four frames');
    }
    const seen = new Set(clients.flatMap((c) => c.events().map((e) => e.id)));
    const frames = clients.reduce((sum, c) => sum + c.events().length, 0);
    expect(frames).toBeGreaterThanOrEqual(80);
    // Every build went to every viewer: builds = distinct frames (+1 in flight at most).
    expect(calls.snapshot - seen.size).toBeGreaterThanOrEqual(0);
    expect(calls.snapshot - seen.size).toBeLessThanOrEqual(1);
    expect(calls.snapshot).toBeLessThan(frames / 4);
    // And every viewer saw the same consecutive ids once it had joined.
    for (const client of clients) {
      const ids = client.events().map((e) => Number(e.id));
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1]! + 1);
    }
  });

  it('streams an asynchronous snapshot (as PrometheusAdapter.snapshot() is) once per tick', async () => {
    const config = resolveConfig({}, {});
    let builds = 0;
    const app = createApp({
      config,
      readiness: () => ({ ready: true, checks: {} }),
      dashboard: {
        snapshot: async () => {
          const n = ++builds;
          await sleep(20);
          return sampleSnapshot(5_000 + n);
        },
        config: dashboardConfigBody(config, { version: '0.1.0' }),
        intervalMs: 150,
        maxStreams: 10,
        path: '/',
      },
    });
    const handle = (await startServer(app, { host: '127.0.0.1', port: 0 }))!;
    cleanups.push(() => handle.close());
    const clients = await Promise.all(Array.from({ length: 10 }, () => stream(`${handle.url}/api/stream`)));
    for (const client of clients)
      await client.until(() => client.events().length >= 3, 5_000, 'three frames');
    const seen = new Set(clients.flatMap((c) => c.events().map((e) => e.id)));
    expect(builds - seen.size).toBeLessThanOrEqual(1);
    expect(JSON.parse(clients[0]!.events()[0]!.data)).toEqual(sampleSnapshot(5_001));
  });

  it('refuses the 4th stream with maxStreams=3, and accepts one after a viewer leaves', async () => {
    const { url } = await serve({ dashboard: { maxStreams: 3 } });
    const open = [];
    for (let i = 0; i < 3; i++) {
      const client = await stream(`${url}/api/stream`);
      await client.until(() => client.events().length >= 1, 2_000, 'a frame');
      open.push(client);
    }
    const refused = await fetch(`${url}/api/stream`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.text()).toBe('too many dashboard streams\n');
    expect(hardeningProblems(refused.headers)).toEqual([]);

    open[0]!.close();
    // The server notices the closed socket at once; allow the FIN a moment to arrive.
    let accepted: SseClient | undefined;
    for (let attempt = 0; attempt < 20 && !accepted; attempt++) {
      const client = await stream(`${url}/api/stream`);
      if (client.status === 200) accepted = client;
      else await sleep(25);
    }
    expect(accepted?.status).toBe(200);
    await accepted!.until(() => accepted!.events().length >= 1, 2_000, 'a frame');
  });

  it('stops building snapshots once the last viewer disconnects', async () => {
    const { url, calls } = await serve({ dashboard: { intervalMs: 100, maxStreams: 2 } });
    const a = await stream(`${url}/api/stream`);
    const b = await stream(`${url}/api/stream`);
    await b.until(() => b.events().length >= 3, 3_000, 'three frames');
    a.close();
    b.close();
    await sleep(150);
    const after = calls.snapshot;
    await sleep(600);
    expect(calls.snapshot).toBe(after);
    // Both slots are free again: nothing leaked.
    const c = await stream(`${url}/api/stream`);
    const d = await stream(`${url}/api/stream`);
    expect([c.status, d.status]).toEqual([200, 200]);
  });

  it('keeps serving other viewers while one stops reading, then drops the stuck one', async () => {
    // About 2 MB per frame, so a reader that stops fills the socket buffers within a few ticks.
    const big = (n: number): MetricsSnapshot => ({
      time: 2_000_000 + n,
      metrics: {
        discord_big: {
          type: 'gauge',
          help: 'big',
          labelNames: ['i', 'pad'],
          series: Array.from({ length: 2_000 }, (_, i) => [[String(i), 'x'.repeat(1_000)], n]),
        },
      },
    });
    const { url, handle, calls } = await serve({
      snapshot: big,
      dashboard: { intervalMs: 100, maxStreams: 2, stallTimeoutMs: 1_500, heartbeatMs: 60_000 },
    });
    // A viewer that sends its request and never reads a byte.
    const stuck = connect(handle.port, '127.0.0.1');
    cleanups.push(() => {
      stuck.destroy();
    });
    await new Promise<void>((resolve) => stuck.once('connect', () => resolve()));
    stuck.pause();
    stuck.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const healthy = await stream(`${url}/api/stream`);
    await healthy.until(() => healthy.events().length >= 1, 3_000, 'a frame');
    const start = healthy.events().length;
    const t0 = Date.now();
    await sleep(1_000);
    const elapsed = Date.now() - t0;
    // The healthy viewer kept its cadence (generous: builds of 2 MB share the CPU with the test).
    expect(healthy.events().length - start).toBeGreaterThanOrEqual(Math.floor(elapsed / 100 / 3));
    // Both slots are taken while the stuck one is still inside its stall allowance...
    expect((await fetch(`${url}/api/stream`)).status).toBe(503);
    // ...and it is dropped after the stall timeout, freeing its slot.
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      await sleep(100);
      const probe = await fetch(`${url}/api/stream`);
      status = probe.status;
      await probe.body?.cancel();
    }
    expect(status).toBe(200);
    // Every frame the healthy viewer got is whole.
    for (const event of healthy.events()) expect(JSON.parse(event.data).time).toBe(Number(event.id));
    expect(calls.snapshot).toBeGreaterThan(5);
  });

  it('survives the request timeout: a stream is a response, not a slow request', async () => {
    const { url } = await serve({
      dashboard: { intervalMs: 100 },
      server: { requestTimeoutMs: 300, headersTimeoutMs: 300, keepAliveTimeoutMs: 200 },
    });
    const client = await stream(`${url}/api/stream`);
    await sleep(900);
    const count = client.events().length;
    await client.until(() => client.events().length > count + 2, 2_000, 'frames past the timeouts');
    expect(client.ended).toBe(false);
  });

  it('is ended promptly by close(), long before the grace period, and stops the ticker', async () => {
    const { url, calls, close } = await serve({ server: { closeGraceMs: 10_000 } });
    const clients = [await stream(`${url}/api/stream`), await stream(`${url}/api/stream`)];
    for (const client of clients) await client.until(() => client.events().length >= 1, 2_000, 'a frame');
    const started = Date.now();
    await close();
    expect(Date.now() - started).toBeLessThan(1_000);
    for (const client of clients) await client.until(() => client.ended, 1_000, 'the end of the stream');
    const after = calls.snapshot;
    await sleep(500);
    expect(calls.snapshot).toBe(after);
  });

  it('needs the token as ?token= (EventSource) or a Bearer header, and never logs it', async () => {
    const { url, logger } = await serve({ dashboard: { token: TOKEN } });
    const missing = await fetch(`${url}/api/stream`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: 'unauthorized' });
    const wrong = await fetch(`${url}/api/stream?token=${TOKEN}-stale`);
    expect(wrong.status).toBe(401);
    const byQuery = await stream(`${url}/api/stream?token=${TOKEN}`);
    expect(byQuery.status).toBe(200);
    await byQuery.until(() => byQuery.events().length >= 1, 2_000, 'a frame');
    const byHeader = await stream(`${url}/api/stream`, { authorization: `Bearer ${TOKEN}` });
    expect(byHeader.status).toBe(200);
    // The SPA shell loads without it, so the prompt can render.
    const shell = await fetch(`${url}/`);
    expect(shell.status).toBe(200);
    expect(await shell.text()).toBe(SPA_INDEX);
    const warning = logger.records.find((r) => r.level === 'warn')!;
    expect(warning.fields).toMatchObject({ realm: 'dashboard', path: '/api/stream', remote: '127.0.0.1' });
    expect(logger.text()).not.toContain(TOKEN);
    expect(logger.text()).not.toContain('token=');
  });
});

describe('the SPA files over a real socket', () => {
  it('serves the shell and assets with their types and lengths', async () => {
    const { url } = await serve();
    const shell = await fetch(`${url}/`);
    expect(shell.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shell.headers.get('content-length')).toBe(String(Buffer.byteLength(SPA_INDEX)));
    expect(hardeningProblems(shell.headers)).toEqual([]);
    const js = await fetch(`${url}/assets/index-Ab12Cd.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("argus");\n');
    const font = await fetch(`${url}/fonts/geist.woff2`);
    expect(font.headers.get('content-type')).toBe('font/woff2');
  });

  it.each([
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/%2E%2E/%2E%2E/secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%2fsecret.txt',
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/assets/..%252f..%252fsecret.txt',
    '/assets/../../secret.txt',
    '/../../../../etc/passwd',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/assets/link-out.js',
    '/up/secret.txt',
    '/assets/',
    '/assets/nested/',
    '/.env',
    '/assets/%00secret',
    'http://127.0.0.1/../secret.txt',
  ])('answers %s with 404 (or 400) and nothing from outside the directory', async (target) => {
    const { handle } = await serve();
    const { status, body } = await rawGet(handle.port, target);
    expect([400, 404]).toContain(status);
    expect(body).not.toContain('TOP-SECRET');
    expect(body).not.toContain('root:');
  });

  it('refuses a backslash path outright', async () => {
    const { handle } = await serve();
    const { status, body } = await rawGet(handle.port, '/assets/..\\..\\secret.txt');
    expect([400, 404]).toContain(status);
    expect(body).not.toContain('TOP-SECRET');
  });

  it('answers 503 at the dashboard path when the SPA is not built', async () => {
    const { url, failures } = await serve({ assets: false });
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('dashboard assets are not built\n');
    expect(hardeningProblems(res.headers)).toEqual([]);
    expect(failures).toEqual([]);
    expect((await fetch(`${url}/api/config`)).status).toBe(200);
  });
});
