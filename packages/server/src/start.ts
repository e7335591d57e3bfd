import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describeError, silentLogger } from '@argus/core';
import { getRequestListener, type HttpBindings, RequestError } from '@hono/node-server';
import { errorHeadersFor, type HeaderList } from './internal/error-headers';
import { closeIfBodyUnread } from './internal/unread-body';
import { runServerCloseHook } from './lifecycle';
import type { FetchApp, ServerHandle, StartServerOptions } from './types';

const DEFAULTS = {
  startTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  closeGraceMs: 1_000,
};

/** How often `close()` closes connections that went idle during the grace period. */
const CLOSE_SWEEP_MS = 20;

/** Why listening failed, in words a bot author can act on. */
function describeListenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return 'the port is already in use (EADDRINUSE); pick another port or stop the other process';
    case 'EACCES':
      return 'permission denied (EACCES); ports below 1024 need privileges';
    case 'EADDRNOTAVAIL':
      return 'the address is not available on this machine (EADDRNOTAVAIL)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `the host name does not resolve (${code})`;
    case 'EAFNOSUPPORT':
      return 'the address family is not supported here (EAFNOSUPPORT)';
    case 'ERR_SOCKET_BAD_PORT':
      return 'the port is not valid (ERR_SOCKET_BAD_PORT)';
    default:
      return describeError(error);
  }
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A URL that reaches the bound address from this machine (wildcard binds map to loopback). */
function localUrl(address: AddressInfo): string {
  let host = address.address;
  if (host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  return `http://${formatHostPort(host, address.port)}`;
}

/**
 * Serves `app` on `host:port` with @hono/node-server. Resolves to a handle once listening, or
 * to `undefined` when the server cannot start (port in use, no permission, bad host, timeout...):
 * that is logged once with host:port and the cause, reported to the guard as `server:start` and
 * marked `server` down in the health state. It never throws or rejects into the bot.
 */
export function startServer(app: FetchApp, options: StartServerOptions): Promise<ServerHandle | undefined> {
  return errorHeadersFor(app).then((errorHeaders) => listen(app, options, errorHeaders));
}

function listen(
  app: FetchApp,
  options: StartServerOptions,
  errorHeaders: HeaderList,
): Promise<ServerHandle | undefined> {
  const logger = options.logger ?? silentLogger;
  const { host, port, health, guard } = options;
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const where = formatHostPort(host, port);

  return new Promise<ServerHandle | undefined>((resolve) => {
    let server: Server | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      try {
        logger.error(
          `argus server could not listen on ${where}: ${describeListenError(error)}. ` +
            'Metrics and health endpoints are unavailable; the bot keeps running.',
          { host, port, code: (error as NodeJS.ErrnoException | undefined)?.code },
        );
      } catch {
        // The logger must not turn a failed start into a throw.
      }
      health?.set('server', false);
      guard?.report('server:start', error);
      if (server) {
        // Keep a listener: an 'error' event with none would crash the bot.
        server.on('error', () => {});
        try {
          server.close(() => {});
        } catch {
          // Not listening: nothing to close.
        }
      }
      resolve(undefined);
    };

    try {
      // The request listener, not createAdaptorServer: only the listener takes an error handler,
      // so what the adaptor answers itself (a request it cannot turn into a Request) gets the
      // app's hardening headers too.
      const listener = getRequestListener((request, env) => answer(app, request, env as HttpBindings), {
        errorHandler: (error) => adaptorErrorResponse(error, errorHeaders, guard),
        hostname: host,
        // A library inside a bot must not replace the process-wide Request/Response.
        overrideGlobalObjects: false,
      });
      server = createServer(listener);
      server.headersTimeout = settings.headersTimeoutMs;
      server.requestTimeout = Math.max(settings.requestTimeoutMs, settings.headersTimeoutMs);
      server.keepAliveTimeout = settings.keepAliveTimeoutMs;
      server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) =>
        onClientError(error, socket, errorHeaders),
      );

      const listening = server;
      listening.once('error', fail);
      timer = setTimeout(
        () => fail(new Error(`listening did not complete within ${settings.startTimeoutMs} ms`)),
        settings.startTimeoutMs,
      );
      timer.unref();
      listening.listen(port, host, () => {
        if (settled) {
          // The start timed out and was given up; do not leave a listener behind.
          listening.close(() => {});
          return;
        }
        settled = true;
        if (timer) clearTimeout(timer);
        listening.off('error', fail);
        // A listening server that emits 'error' without a listener would crash the bot.
        listening.on('error', (error) => guard?.report('server:runtime', error));
        health?.set('server', true);
        resolve(makeHandle(listening, app, host, health, settings.closeGraceMs));
      });
    } catch (error) {
      fail(error);
    }
  });
}

function makeHandle(
  server: Server,
  app: FetchApp,
  host: string,
  health: StartServerOptions['health'],
  closeGraceMs: number,
): ServerHandle {
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    host,
    url: localUrl(address),
    close() {
      closing ??= new Promise<void>((resolve) => {
        health?.set('server', false);
        let cut: NodeJS.Timeout | undefined;
        let sweep: NodeJS.Timeout | undefined;
        try {
          server.close(() => {
            clearTimeout(cut);
            clearInterval(sweep);
            resolve();
          });
          // Streams (dashboard SSE) never finish on their own: end them now, not after the grace.
          runServerCloseHook(app);
          // Idle keep-alive sockets would hold the port (and the process) open. A response that
          // finishes during the grace leaves its connection idle, so sweep again until closed.
          server.closeIdleConnections();
          sweep = setInterval(() => server.closeIdleConnections(), CLOSE_SWEEP_MS);
          sweep.unref();
          cut = setTimeout(() => {
            clearInterval(sweep);
            server.closeAllConnections();
          }, closeGraceMs);
          cut.unref();
        } catch {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        }
      });
      return closing;
    },
  };
}

/** The app's answer, closing the connection when the request's body is still arriving. */
async function answer(app: FetchApp, request: Request, bindings: HttpBindings): Promise<Response> {
  const response = await app.fetch(request, bindings);
  closeIfBodyUnread(bindings);
  return response;
}

/** 400 for a request the adaptor refuses (backslash in the path, bad Host...), 500 otherwise. */
function adaptorErrorResponse(
  error: unknown,
  headers: HeaderList,
  guard: StartServerOptions['guard'],
): Response {
  const badRequest = error instanceof RequestError || (error as Error | undefined)?.name === 'RequestError';
  if (!badRequest) guard?.report('server:request', error);
  const response = new Response(badRequest ? 'bad request\n' : 'internal error\n', {
    status: badRequest ? 400 : 500,
    headers: headers as [string, string][],
  });
  response.headers.set('Connection', 'close');
  return response;
}

/**
 * Answers a request Node could not parse with the same hardening headers as every other
 * response, then drops the connection.
 */
function onClientError(error: NodeJS.ErrnoException, socket: Socket, headers: HeaderList): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const body = `${reason.toLowerCase()}\n`;
  let head = `HTTP/1.1 ${status} ${reason}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  socket.end(`${head}Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function definedOnly(options: StartServerOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}
