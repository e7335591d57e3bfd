// The shared ticker behind `/api/stream`: one snapshot build and one serialisation per tick,
// the same bytes handed to every viewer, and per-viewer backpressure so a slow one costs nothing.

import { type FailOpenGuard, isThenable, type MetricsSnapshot, withTimeout } from '@argus/core';

const encoder = new TextEncoder();
const PING = encoder.encode(': ping\n\n');

/** One serialised snapshot: the JSON for `/api/snapshot` and the SSE frame for `/api/stream`. */
export interface SnapshotFrame {
  /** `JSON.stringify(snapshot)`, built once. */
  readonly json: string;
  /** `id: <time>\ndata: <json>\n\n` as UTF-8, shared by every stream. */
  readonly bytes: Uint8Array;
  /** When it was built (the hub's clock). */
  readonly builtAt: number;
}

export interface StreamHubOptions {
  build: () => MetricsSnapshot | PromiseLike<MetricsSnapshot>;
  guard: FailOpenGuard;
  intervalMs: number;
  maxStreams: number;
  heartbeatMs: number;
  stallTimeoutMs: number;
  retryMs: number;
  /** An asynchronous build that has not settled after this long counts as failed. */
  buildTimeoutMs?: number;
  now?: () => number;
}

/** What a viewer's connection offers the hub. */
export interface ViewerHooks {
  /** Aborts when the client goes away (the request's signal). */
  signal?: AbortSignal | undefined;
  /** Tears the connection down at once, e.g. `ServerResponse.destroy()`. */
  destroy?: (() => void) | undefined;
}

export interface StreamHubStats {
  /** Streams open now. */
  viewers: number;
  /** Whether the shared ticker runs (it does exactly while viewers > 0). */
  ticking: boolean;
  /** Snapshot builds so far, successful or not. */
  builds: number;
  /** Ticks left out because the previous (asynchronous) build was still running. */
  busyTicks: number;
  /** Frames and pings left out for a viewer whose previous write had not drained. */
  skipped: number;
  /** Viewers closed because they did not drain for `stallTimeoutMs`. */
  dropped: number;
}

interface Viewer {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  readonly destroy: (() => void) | undefined;
  detach: (() => void) | undefined;
  stalledSince: number | undefined;
  open: boolean;
  /** The last frame queued for it, so a frame reaching it by two paths goes out once. */
  sent: SnapshotFrame | undefined;
}

/**
 * Fans one snapshot per tick out to every open stream.
 *
 * - The ticker starts with the first viewer (building a frame at once) and stops with the last;
 *   while it runs it builds, serialises and encodes one frame per `intervalMs` and hands the
 *   same bytes to every viewer. A viewer that joins mid-interval gets the latest frame at once.
 * - A viewer's first frame is never older than `intervalMs`: when the latest one is (kept from an
 *   earlier `/api/snapshot`, or the builds are slow or failing), the viewer gets the frame being
 *   built, or a new one, shared with every viewer joining meanwhile.
 * - Each stream queues at most one chunk beyond what its connection has taken: when a viewer's
 *   previous write has not drained, later frames and pings are skipped for it (it resumes with
 *   the current frame once it drains). A viewer stalled for `stallTimeoutMs` is closed, so a
 *   stuck client holds neither memory nor a stream slot for long.
 * - A failed build is reported as `server:snapshot` and that tick sends nothing. A build may be
 *   asynchronous: its frame goes out when it settles, a tick that finds it still running is left
 *   out (builds never pile up), and one that has not settled after `buildTimeoutMs` fails.
 */
export class StreamHub {
  private readonly viewers = new Set<Viewer>();
  private readonly now: () => number;
  private readonly retry: Uint8Array;
  private ticker: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private last: SnapshotFrame | undefined;
  private building: Promise<SnapshotFrame | undefined> | undefined;
  private readonly buildTimeoutMs: number;
  private builds = 0;
  private busyTicks = 0;
  private skipped = 0;
  private dropped = 0;

  constructor(private readonly options: StreamHubOptions) {
    this.now = options.now ?? Date.now;
    this.buildTimeoutMs = options.buildTimeoutMs ?? Math.max(10_000, 2 * options.intervalMs);
    this.retry = encoder.encode(`retry: ${Math.max(0, Math.trunc(options.retryMs))}\n\n`);
  }

  stats(): StreamHubStats {
    return {
      viewers: this.viewers.size,
      ticking: this.ticker !== undefined,
      builds: this.builds,
      busyTicks: this.busyTicks,
      skipped: this.skipped,
      dropped: this.dropped,
    };
  }

  /**
   * A frame no older than `maxAgeMs`: the latest one, the one being built, or a new one.
   * Undefined when the build fails.
   */
  frame(maxAgeMs: number): SnapshotFrame | undefined | Promise<SnapshotFrame | undefined> {
    const last = this.last;
    if (last && this.now() - last.builtAt < maxAgeMs) return last;
    return this.building ?? this.build();
  }

  /**
   * Opens a stream for one viewer: `retry:` and the current frame at once, then a frame per
   * tick. Undefined when `maxStreams` streams are open already.
   */
  open(hooks: ViewerHooks = {}): ReadableStream<Uint8Array> | undefined {
    if (this.viewers.size >= this.options.maxStreams) return undefined;
    let viewer: Viewer | undefined;
    const stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          viewer = {
            controller,
            destroy: hooks.destroy,
            detach: undefined,
            stalledSince: undefined,
            open: true,
            sent: undefined,
          };
          this.viewers.add(viewer);
          controller.enqueue(this.retry);
          this.greet(viewer);
        },
        cancel: () => {
          if (viewer) this.remove(viewer);
        },
      },
      // Counted in chunks: one queued chunk is the most a viewer holds beyond its socket buffer.
      { highWaterMark: 1 },
    );
    const signal = hooks.signal;
    if (signal && viewer) {
      const joined = viewer;
      if (signal.aborted) {
        this.remove(joined);
      } else {
        const onAbort = () => this.remove(joined);
        signal.addEventListener('abort', onAbort, { once: true });
        joined.detach = () => signal.removeEventListener('abort', onAbort);
      }
    }
    return stream;
  }

  /** Ends every stream (server shutdown). The ticker stops with the last one. */
  closeAll(): void {
    for (const viewer of [...this.viewers]) {
      this.remove(viewer);
      try {
        viewer.controller.close();
      } catch {
        // Already closed or errored.
      }
    }
  }

  /**
   * A new viewer's first frame: the latest one when it is at most one interval old (the ticker
   * has just built it, or built it earlier this interval), else the one being built or a new one.
   */
  private greet(viewer: Viewer): void {
    const starting = this.ticker === undefined;
    // Starting the ticker builds a frame at once: no second build for this viewer.
    if (starting) this.start();
    const last = this.last;
    const next =
      last && this.now() - last.builtAt <= this.options.intervalMs
        ? last
        : (this.building ?? (starting ? undefined : this.build()));
    if (isThenable(next)) {
      // Delivered when it settles (once: the tick's broadcast may carry the same frame).
      void next.then((frame) => {
        if (frame && viewer.open) this.deliverFrame(viewer, frame);
      });
    } else if (next) {
      this.deliverFrame(viewer, next);
    }
  }

  private start(): void {
    const ticker = setInterval(() => this.refresh(true), Math.max(1, this.options.intervalMs));
    const heartbeat = setInterval(() => this.broadcast(PING), Math.max(1, this.options.heartbeatMs));
    ticker.unref();
    heartbeat.unref();
    this.ticker = ticker;
    this.heartbeat = heartbeat;
    // A synchronous first frame is handed over by `open`; an asynchronous one is broadcast.
    this.refresh(false);
  }

  private stop(): void {
    clearInterval(this.ticker);
    clearInterval(this.heartbeat);
    this.ticker = undefined;
    this.heartbeat = undefined;
    // Nobody watches: keep no snapshot alive.
    this.last = undefined;
  }

  /** One tick: build a frame and send it to every viewer, unless a build is still running. */
  private refresh(broadcastNow: boolean): void {
    if (this.building) {
      this.busyTicks++;
      return;
    }
    const result = this.build();
    if (isThenable(result)) {
      void result.then((frame) => {
        if (frame) this.broadcastFrame(frame);
      });
    } else if (result && broadcastNow) {
      this.broadcastFrame(result);
    }
  }

  private build(): SnapshotFrame | undefined | Promise<SnapshotFrame | undefined> {
    this.builds++;
    let snapshot: MetricsSnapshot | PromiseLike<MetricsSnapshot>;
    try {
      snapshot = this.options.build();
    } catch (error) {
      return this.failed(error);
    }
    if (!isThenable(snapshot)) return this.encode(snapshot);
    const pending: Promise<SnapshotFrame | undefined> = withTimeout(
      snapshot,
      this.buildTimeoutMs,
      () => new Error(`the dashboard snapshot took over ${this.buildTimeoutMs} ms`),
    ).then(
      (settled) => {
        if (this.building === pending) this.building = undefined;
        return this.encode(settled);
      },
      (error: unknown) => {
        if (this.building === pending) this.building = undefined;
        return this.failed(error);
      },
    );
    this.building = pending;
    return pending;
  }

  private encode(snapshot: MetricsSnapshot): SnapshotFrame | undefined {
    try {
      const json = JSON.stringify(snapshot);
      if (typeof json !== 'string' || json[0] !== '{') {
        throw new TypeError('the dashboard snapshot is not a JSON object');
      }
      const time = (snapshot as { time?: unknown }).time;
      const id = typeof time === 'number' && Number.isFinite(time) ? `id: ${Math.trunc(time)}\n` : '';
      // JSON.stringify escapes CR and LF, so the whole object is one `data:` line.
      const frame: SnapshotFrame = {
        json,
        bytes: encoder.encode(`${id}data: ${json}\n\n`),
        builtAt: this.now(),
      };
      this.last = frame;
      return frame;
    } catch (error) {
      return this.failed(error);
    }
  }

  private failed(error: unknown): undefined {
    this.last = undefined;
    this.options.guard.report('server:snapshot', error);
    return undefined;
  }

  private broadcast(bytes: Uint8Array): void {
    // Removing the current element during Set iteration is safe.
    for (const viewer of this.viewers) this.deliver(viewer, bytes);
  }

  private broadcastFrame(frame: SnapshotFrame): void {
    for (const viewer of this.viewers) this.deliverFrame(viewer, frame);
  }

  private deliverFrame(viewer: Viewer, frame: SnapshotFrame): void {
    if (viewer.sent === frame) return;
    // A viewer's first frame is queued even beyond the high-water mark: `retry:` alone must
    // not hold it back.
    const queued =
      viewer.sent === undefined ? this.enqueue(viewer, frame.bytes) : this.deliver(viewer, frame.bytes);
    if (queued) viewer.sent = frame;
  }

  private enqueue(viewer: Viewer, bytes: Uint8Array): boolean {
    try {
      viewer.controller.enqueue(bytes);
      return true;
    } catch {
      // Closed or errored underneath us.
      this.remove(viewer);
      return false;
    }
  }

  /** Queues `bytes` for a viewer unless its previous write has not drained. True when queued. */
  private deliver(viewer: Viewer, bytes: Uint8Array): boolean {
    const desired = viewer.controller.desiredSize;
    if (desired === null) {
      // Errored or closed underneath us.
      this.remove(viewer);
      return false;
    }
    if (desired > 0) {
      viewer.stalledSince = undefined;
      return this.enqueue(viewer, bytes);
    }
    this.skipped++;
    const now = this.now();
    viewer.stalledSince ??= now;
    if (now - viewer.stalledSince >= this.options.stallTimeoutMs) this.drop(viewer);
    return false;
  }

  private drop(viewer: Viewer): void {
    this.dropped++;
    this.remove(viewer);
    try {
      if (viewer.destroy) {
        // Cut the connection (its socket buffer will never drain) and end the stream quietly:
        // an errored body would make the HTTP layer log the error.
        viewer.destroy();
        viewer.controller.close();
      } else {
        viewer.controller.error(new Error('dashboard stream stalled'));
      }
    } catch {
      // Already closed or cancelled: the connection is gone either way.
    }
  }

  private remove(viewer: Viewer): void {
    if (!viewer.open) return;
    viewer.open = false;
    this.viewers.delete(viewer);
    viewer.detach?.();
    viewer.detach = undefined;
    if (this.viewers.size === 0) this.stop();
  }
}
