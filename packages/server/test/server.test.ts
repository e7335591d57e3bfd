// Real sockets: the app served by @hono/node-server on 127.0.0.1, fetched over TCP.
import { Agent, request as httpRequest, type IncomingMessage, Server } from 'node:http';
import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { FailOpenGuard, HealthState, resolveConfig } from '@argus/core';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { createApp, type ServerHandle, startServer } from '../src/index';
import { captureLogger, hardeningProblems } from './helpers';

const TOKEN = 'socket-test-token';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function track(handle: ServerHandle | undefined): ServerHandle {
  expect(handle).toBeDefined();
  cleanups.push(() => handle!.close());
  return handle!;
}

function fixture(configOptions: Parameters<typeof resolveConfig>[0] = {}) {
  const logger = captureLogger();
  const health = new HealthState();
  health.enable('server');
  const hooks: string[] = [];
  const guard = new FailOpenGuard({ logger });
  guard.setErrorCounter((hook) => hooks.push(hook));
  const app = createApp({
    config: resolveConfig(configOptions, {}),
    metrics: async (format) => (format === 'openmetrics' ? 'up 1\n# EOF\n' : 'up 1\n'),
    readiness: () => ({
      ready: health.isUp('server'),
      checks: { client: true, server: health.isUp('server') },
    }),
    logger,
    guard,
  });
  return { app, logger, health, guard, hooks };
}

/** A raw HTTP/1.1 request (for what fetch refuses to send, like a body on GET). */
function raw(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    agent?: Agent;
  },
): Promise<{ res: IncomingMessage; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: options.agent,
    });
    let socket: Socket;
    req.on('socket', (s) => {
      socket = s;
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ res, body, socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Holds a port so the server under test finds it taken. */
async function occupyPort(): Promise<{ port: number; server: NetServer }> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: address.port, server };
}

/** How much of an endless body a test sends at most before it gives up on the server closing. */
const ENDLESS_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * Sends `head` and then chunk after chunk of a body that never ends, until the server closes the
 * connection or ENDLESS_BODY_LIMIT bytes are out. Resolves with what the server answered.
 */
function endlessBody(port: number, head: string): Promise<{ reply: string; sent: number; closed: boolean }> {
  const chunk = Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`);
  return new Promise((resolve) => {
    let reply = '';
    let sent = 0;
    let closed = false;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      pump();
    });
    const pump = () => {
      while (!closed && sent < ENDLESS_BODY_LIMIT) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (!closed) finish();
    };
    const finish = () => {
      socket.destroy();
      resolve({ reply, sent, closed });
    };
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      reply += text;
    });
    // A reset while still writing is how a server that stops reading shows up too.
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      resolve({ reply, sent, closed });
    });
  });
}

/** Writes `request` on a fresh connection and resolves with everything read until the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

function parseReply(text: string): { status: number; headers: Headers; body: string } {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}

describe('startServer on a real socket', () => {
  let unhandled: Mock<(reason: unknown) => void>;
  const onUnhandled = (reason: unknown) => unhandled(reason);
  beforeEach(() => {
    unhandled = vi.fn();
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('listens on port 0 and serves /healthz, /readyz and /metrics', async () => {
    const { app, health } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0, health }));
    expect(handle.port).toBeGreaterThan(0);
    expect(handle.host).toBe('127.0.0.1');
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
    expect(health.isUp('server')).toBe(true);

    const healthz = await fetch(`${handle.url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.text()).toBe('ok\n');
    expect(hardeningProblems(healthz.headers)).toEqual([]);

    const readyz = await fetch(`${handle.url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ ready: true, checks: { client: true, server: true } });

    const metrics = await fetch(`${handle.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toBe('up 1\n');
    expect(hardeningProblems(metrics.headers)).toEqual([]);

    const openMetrics = await fetch(`${handle.url}/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
    });
    expect(openMetrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(await openMetrics.text()).toBe('up 1\n# EOF\n');

    const head = await fetch(`${handle.url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const missing = await fetch(`${handle.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('not found\n');
    expect(hardeningProblems(missing.headers)).toEqual([]);
  });

  it('serves a renderer that returns bytes over the wire, with Content-Length and nothing else changed', async () => {
    const text = `# TYPE up gauge\n${'up{name="é"} 1\n'.repeat(5_000)}`;
    const bytes = Buffer.from(text, 'utf8');
    const app = createApp({
      config: resolveConfig({}, {}),
      metrics: () => bytes,
      readiness: () => ({ ready: true, checks: {} }),
    });
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const { res, body } = await raw(`${handle.url}/metrics`, {});
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(body).toBe(text);
    expect(hardeningProblems(headersOf(res))).toEqual([]);
  });

  it('leaves the process-wide Request and Response alone', async () => {
    const { Request: before, Response: responseBefore } = globalThis;
    const { app } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    expect((await fetch(`${handle.url}/healthz`)).status).toBe(200);
    expect(globalThis.Request).toBe(before);
    expect(globalThis.Response).toBe(responseBefore);
  });

  it('sends no X-Powered-By or framework banner over the wire', async () => {
    const { app } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const { res } = await raw(`${handle.url}/healthz`, {});
    expect(res.headers.server).toBe('argus');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(JSON.stringify(res.headers).toLowerCase()).not.toContain('hono');
  });

  it('checks the metrics token over the wire and logs the peer address, never the token', async () => {
    const { app, logger } = fixture({ metricsAuthToken: TOKEN });
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const denied = await fetch(`${handle.url}/metrics?token=wrong-${TOKEN}`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(hardeningProblems(denied.headers)).toEqual([]);
    expect(
      (await fetch(`${handle.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    expect((await fetch(`${handle.url}/metrics?token=${TOKEN}`)).status).toBe(200);
    const warning = logger.records.find((r) => r.level === 'warn')!;
    expect(warning.fields).toMatchObject({ path: '/metrics', remote: '127.0.0.1' });
    expect(logger.text()).not.toContain(TOKEN);
  });

  it('answers 413 to an oversized body, declared or chunked', async () => {
    const { app } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    // A declared length over the cap is refused before any of the body is read (GET included).
    const declared = await raw(`${handle.url}/healthz`, { headers: { 'content-length': 10 * 1024 * 1024 } });
    expect(declared.res.statusCode).toBe(413);
    expect(declared.body).toBe('payload too large\n');
    expect(hardeningProblems(headersOf(declared.res))).toEqual([]);

    const chunked = await raw(`${handle.url}/metrics`, {
      method: 'POST',
      headers: { 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(64 * 1024 + 10, 'x'),
    });
    expect(chunked.res.statusCode).toBe(413);
    expect(hardeningProblems(headersOf(chunked.res))).toEqual([]);

    // Small bodies, chunked or with a length, reach the normal answer.
    const smallChunked = await raw(`${handle.url}/metrics`, { method: 'POST', body: 'tiny' });
    expect(smallChunked.res.statusCode).toBe(405);
    expect(smallChunked.res.headers.allow).toBe('GET, HEAD');
    const smallSized = await raw(`${handle.url}/healthz`, {
      method: 'PUT',
      headers: { 'content-length': 4 },
      body: 'tiny',
    });
    expect(smallSized.res.statusCode).toBe(405);
  });

  it('answers a request Node cannot parse with 400 and every hardening header', async () => {
    const { app } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const text = await rawExchange(handle.port, 'THIS IS NOT HTTP\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const reply = parseReply(text);
    expect(hardeningProblems(reply.headers)).toEqual([]);
    expect(reply.headers.get('connection')).toBe('close');
    expect(reply.body).toBe('bad request\n');
    expect(text.toLowerCase()).not.toContain('hono');
  });

  it.each(['GET', 'HEAD'])(
    'answers %s /healthz with an endless chunked body, then closes instead of reading on',
    async (method) => {
      const { app } = fixture();
      const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
      const exchange = await endlessBody(
        handle.port,
        `${method} /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      expect(exchange.reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(exchange.reply).toMatch(/\r\nConnection: close\r\n/i);
      // Far below what the client was willing to send: the server stopped reading.
      expect(exchange.closed).toBe(true);
      expect(exchange.sent).toBeLessThan(ENDLESS_BODY_LIMIT);
    },
  );

  it('closes the connection after answering a request whose declared body never came', async () => {
    const { app } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const reply = await rawExchange(
      handle.port,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nonly part',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toMatch(/\r\nConnection: close\r\n/i);
    expect(reply.endsWith('ok\n')).toBe(true);
  });

  it('keeps the connection open after a request whose whole body was read', async () => {
    const { app } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const first = await raw(`${handle.url}/healthz`, { method: 'PUT', body: 'tiny', agent });
    expect(first.res.statusCode).toBe(405);
    expect(first.res.headers.connection).toBe('keep-alive');
    const second = await raw(`${handle.url}/healthz`, { agent });
    expect(second.res.statusCode).toBe(200);
    expect(second.socket).toBe(first.socket);
  });

  it.each([
    ['a backslash in the path', 'GET /a\\b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
    ['an unparsable Host', 'GET /healthz HTTP/1.1\r\nHost: bad host\r\n\r\n'],
    [
      'an absolute URL with another scheme',
      'GET ftp://127.0.0.1/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    ],
  ])('answers a request the adaptor rejects (%s) with 400 and every hardening header', async (_, request) => {
    const { app, hooks } = fixture();
    const handle = track(await startServer(app, { host: '127.0.0.1', port: 0 }));
    const reply = parseReply(await rawExchange(handle.port, request));
    expect(reply.status).toBe(400);
    expect(hardeningProblems(reply.headers)).toEqual([]);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toBe('bad request\n');
    expect(hooks).toEqual([]);
  });

  it('resolves undefined when the port is in use: no throw, no rejection, health down, guard counted', async () => {
    const { port } = await occupyPort();
    const { app, health, logger, guard, hooks } = fixture();
    const started = startServer(app, { host: '127.0.0.1', port, logger, health, guard });
    await expect(started).resolves.toBeUndefined();
    expect(health.isUp('server')).toBe(false);
    expect(health.entries()).toContainEqual(['server', false]);
    expect(hooks).toEqual(['server:start']);
    const errors = logger.records.filter((r) => r.level === 'error');
    expect(errors[0]!.message).toContain(`127.0.0.1:${port}`);
    expect(errors[0]!.message).toContain('EADDRINUSE');
    // Give a stray rejection or late 'error' event the chance to surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('resolves undefined when the server under test already holds the port', async () => {
    const { app, health } = fixture();
    const first = track(await startServer(app, { host: '127.0.0.1', port: 0, health }));
    const second = fixture();
    const result = await startServer(second.app, {
      host: '127.0.0.1',
      port: first.port,
      health: second.health,
      guard: second.guard,
      logger: second.logger,
    });
    expect(result).toBeUndefined();
    expect(second.health.isUp('server')).toBe(false);
    expect(second.hooks).toEqual(['server:start']);
    // The first one is unaffected.
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  });

  it.each([
    ['an address not on this machine', '203.0.113.1', 0, 'EADDRNOTAVAIL'],
    ['a host name that does not resolve', 'argus-no-such-host.invalid', 0, 'does not resolve'],
    ['a port out of range', '127.0.0.1', 70_000, 'ERR_SOCKET_BAD_PORT'],
    ['a negative port', '127.0.0.1', -1, 'ERR_SOCKET_BAD_PORT'],
  ])('resolves undefined for %s', async (_name, host, port, cause) => {
    const { app, health, logger, guard, hooks } = fixture();
    const result = await startServer(app, { host, port, health, logger, guard });
    expect(result).toBeUndefined();
    expect(health.isUp('server')).toBe(false);
    expect(hooks).toEqual(['server:start']);
    const message = logger.records.find((r) => r.level === 'error')!.message;
    expect(message).toContain(`${host}:${port}`);
    expect(message).toContain(cause);
    expect(message).toContain('the bot keeps running');
  });

  it('gives up after the start timeout and closes a listener that arrives late', async () => {
    const { app, health, logger, hooks, guard } = fixture();
    let delayed: Server | undefined;
    const original = Server.prototype.listen;
    // Hold the bind back longer than the start timeout, as a slow name lookup would.
    const spy = vi.spyOn(Server.prototype, 'listen').mockImplementationOnce(function (
      this: Server,
      ...args: unknown[]
    ) {
      delayed = this;
      setTimeout(() => original.apply(this, args as Parameters<Server['listen']>), 100);
      return this;
    });
    cleanups.push(() => spy.mockRestore());
    const result = await startServer(app, {
      host: '127.0.0.1',
      port: 0,
      health,
      logger,
      guard,
      startTimeoutMs: 20,
    });
    expect(result).toBeUndefined();
    expect(health.isUp('server')).toBe(false);
    expect(hooks).toEqual(['server:start']);
    expect(logger.records.find((r) => r.level === 'error')!.message).toContain(
      'did not complete within 20 ms',
    );
    // The bind completes later; the server must not stay listening.
    await new Promise((resolve) => delayed!.once('listening', resolve));
    await vi.waitFor(() => expect(delayed!.listening).toBe(false), { timeout: 2_000 });
    expect(health.isUp('server')).toBe(false);
  });

  it('close() ends keep-alive connections, sets health down and frees the port', async () => {
    const { app, health } = fixture();
    const handle = await startServer(app, { host: '127.0.0.1', port: 0, health });
    expect(handle).toBeDefined();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());

    const first = await raw(`${handle!.url}/healthz`, { agent });
    expect(first.res.statusCode).toBe(200);
    expect(first.res.headers.connection).toBe('keep-alive');
    const socket = first.socket;
    expect(socket.destroyed).toBe(false);
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    const started = Date.now();
    await handle!.close();
    // Idle keep-alive sockets are ended at once, not after the grace period.
    expect(Date.now() - started).toBeLessThan(900);
    await socketClosed;
    expect(health.isUp('server')).toBe(false);
    // Idempotent.
    await handle!.close();

    const again = track(await startServer(app, { host: '127.0.0.1', port: handle!.port, health }));
    expect(again.port).toBe(handle!.port);
    expect(health.isUp('server')).toBe(true);
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
  });

  it('close() lets a response finish within the grace period and resolves soon after it', async () => {
    let release: (() => void) | undefined;
    const app = createApp({
      config: resolveConfig({}, {}),
      metrics: () =>
        new Promise<string>((resolve) => {
          release = () => resolve('late\n');
        }),
      readiness: () => ({ ready: true, checks: {} }),
    });
    const handle = await startServer(app, { host: '127.0.0.1', port: 0, closeGraceMs: 5_000 });
    const pending = fetch(`${handle!.url}/metrics`).then((res) => res.text());
    await vi.waitFor(() => expect(release).toBeDefined());
    const started = Date.now();
    const closing = handle!.close();
    setTimeout(() => release!(), 100);
    expect(await pending).toBe('late\n');
    await closing;
    // The keep-alive connection it leaves behind is closed at once, not after the 5 s grace.
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('close() cuts a response still in flight after the grace period', async () => {
    const health = new HealthState();
    let release: (() => void) | undefined;
    const app = createApp({
      config: resolveConfig({}, {}),
      metrics: () =>
        new Promise<string>((resolve) => {
          release = () => resolve('late\n');
        }),
      readiness: () => ({ ready: true, checks: {} }),
    });
    const handle = await startServer(app, { host: '127.0.0.1', port: 0, health, closeGraceMs: 100 });
    const pending = fetch(`${handle!.url}/metrics`).then(
      () => 'answered',
      () => 'cut',
    );
    await vi.waitFor(() => expect(release).toBeDefined());
    const started = Date.now();
    await handle!.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await pending).toBe('cut');
    release!();
  });
});
