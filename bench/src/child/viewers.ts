// Child process of the sse-viewers workload: dashboard viewers outside the server's process, so
// their CPU is not counted with the server's. Over IPC it opens `count` connections to a URL (each
// its own socket), counts the SSE frames each one receives (read and discarded), reports the
// counts on request, and closes them all. Exits when the parent disconnects.
import { Agent, type ClientRequest, type IncomingMessage, request } from 'node:http';
import { FrameCounter } from './sse-frames';

export type ViewerRequest =
  /**
   * `stream`: GET an SSE stream and count its frames; opened once each has received its first
   * frame. `hold`: send a GET and wait (the server never answers); opened once every request is
   * written (the parent checks that the server holds them all).
   */
  | { type: 'open'; url: string; count: number; mode: 'stream' | 'hold'; timeoutMs: number }
  /** Frames received so far by each viewer, in opening order. */
  | { type: 'mark' }
  /** Destroys every connection; answered once all are closed. */
  | { type: 'close' };

export type ViewerReply =
  | { type: 'opened'; count: number; ms: number }
  /** `errors`: connections that failed or ended unasked, since the child started. */
  | { type: 'marked'; frames: number[]; bytes: number; errors: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

interface Viewer {
  req: ClientRequest;
  res: IncomingMessage | undefined;
  counter: FrameCounter;
  /** Set before the parent's `close` destroys it: errors from then on are expected. */
  closing: boolean;
  closed: Promise<void>;
}

// One socket per viewer (a stream holds its connection for as long as it lasts), kept alive.
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
let viewers: Viewer[] = [];
/** Bytes received by viewers closed already; open ones hold theirs in their counter. */
let closedBytes = 0;
let errors = 0;

function openOne(url: string, mode: 'stream' | 'hold', ready: () => void, fail: (e: Error) => void): Viewer {
  const req = request(url, { agent, headers: { accept: 'text/event-stream' } });
  let done = false;
  const settle = (error?: Error) => {
    if (done) return;
    done = true;
    if (error) fail(error);
    else ready();
  };
  const viewer: Viewer = {
    req,
    res: undefined,
    counter: new FrameCounter(),
    closing: false,
    closed: new Promise<void>((resolve) => req.once('close', () => resolve())),
  };
  req.on('error', (error) => {
    if (viewer.closing) return;
    errors++;
    settle(error);
  });
  req.on('response', (res) => {
    viewer.res = res;
    if (res.statusCode !== 200) {
      settle(new Error(`${url} answered ${res.statusCode}`));
      res.resume();
      return;
    }
    res.on('data', (chunk: Buffer) => {
      viewer.counter.push(chunk);
      if (viewer.counter.frames > 0) settle();
    });
    res.on('error', () => {});
    // A stream the server ended (or that failed) before the parent closed it.
    res.once('close', () => {
      if (!viewer.closing) errors++;
    });
  });
  if (mode === 'hold') req.once('finish', () => settle());
  req.end();
  return viewer;
}

/**
 * Connections opened at once. More would overflow the server's accept queue (a listen backlog
 * of 511): the kernel drops the extra SYNs and the clients retry a second later.
 */
const BATCH = 200;

async function open(url: string, n: number, mode: 'stream' | 'hold', timeoutMs: number): Promise<number> {
  if (viewers.length > 0) throw new Error('viewers are open already');
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const batches = async () => {
    for (let opened = 0; opened < n; opened += BATCH) {
      const batch = Array.from(
        { length: Math.min(BATCH, n - opened) },
        () =>
          new Promise<void>((resolve, reject) => {
            viewers.push(openOne(url, mode, resolve, reject));
          }),
      );
      await Promise.all(batch);
    }
  };
  try {
    await Promise.race([
      batches(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${n} ${mode} connections not open after ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - start;
}

async function close(): Promise<void> {
  const closing = viewers;
  viewers = [];
  for (const viewer of closing) closedBytes += viewer.counter.bytes;
  for (const viewer of closing) {
    viewer.closing = true;
    viewer.req.destroy();
  }
  await Promise.all(closing.map((v) => v.closed));
}

async function handle(message: ViewerRequest): Promise<ViewerReply> {
  switch (message.type) {
    case 'open': {
      const ms = await open(message.url, message.count, message.mode, message.timeoutMs);
      return { type: 'opened', count: viewers.length, ms };
    }
    case 'mark': {
      let received = closedBytes;
      for (const viewer of viewers) received += viewer.counter.bytes;
      return { type: 'marked', frames: viewers.map((v) => v.counter.frames), bytes: received, errors };
    }
    case 'close':
      await close();
      return { type: 'closed' };
  }
}

process.on('message', (message: ViewerRequest) => {
  handle(message).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => {
  void close().finally(() => agent.destroy());
});
