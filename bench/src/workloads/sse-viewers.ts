// The live dashboard's fan-out: what 1,000 open `/api/stream` viewers at a 1 s interval cost the
// bot's process. An @argus/server app serves the catalogue bot's snapshots here, in this process;
// the viewers are sockets in a child process, so only the server side's CPU is counted.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { version } from '@argus/core';
import { type ArgusApp, createApp, dashboardConfigBody, type ServerHandle, startServer } from '@argus/server';
import { forkIpcChild } from '../child/ipc-child';
import type { ViewerReply, ViewerRequest } from '../child/viewers';
import { buildArgus, CLUSTER, COMMAND_COUNT, NAMESPACE, SHARD_COUNT } from '../fixtures/catalogue';
import { goals, median, type Workload } from '../harness';

const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const VIEWERS_CHILD = fileURLToPath(new URL('../child/viewers.ts', import.meta.url));

const VIEWERS = 1_000;
const INTERVAL_MS = 1_000;
/** Route of the baseline: it takes the request and never answers until the client leaves. */
const HOLD_PATH = '/bench/hold';
/** File descriptors each process keeps for itself besides the viewers' sockets. */
const FD_RESERVE = 124;

/** The soft limit on open files of this process (inherited by the child), or undefined if unknown. */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === undefined) return undefined;
    return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return undefined;
  }
}

/** Something to wait for that the server's callbacks signal, without polling. */
class Signal {
  private waiters: (() => void)[] = [];
  /** Resolves at the next `fire()`. */
  next(timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }
  fire(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

interface Window {
  /** Server process CPU (user + system) over the window, in % of one core. */
  cpu: number;
  /** The system (kernel) part of `cpu`. */
  system: number;
  /** Snapshot builds (stream ticks) inside the window. */
  ticks: number;
  /** Frames each viewer received inside the window (empty for the baseline). */
  frames: number[];
  seconds: number;
  /** Bytes the child received inside the window. */
  bytes: number;
  openMs: number;
}

export const sseViewers: Workload = {
  name: 'sse-viewers',
  title: `Dashboard SSE fan-out, ${VIEWERS.toLocaleString('en-US')} viewers at 1 s`,
  description:
    `CPU of the server process (process.cpuUsage, user + system, in % of one core) over a steady window while ` +
    `${VIEWERS.toLocaleString('en-US')} /api/stream viewers in a child process receive one snapshot frame of the ` +
    `${SHARD_COUNT} x ${COMMAND_COUNT} catalogue bot per second (@argus/server, one build per tick shared by all), ` +
    `vs the same server holding the same number of open connections on a route that never answers.`,
  unit: '% of a core',
  baseline: 'held connections, no stream',
  rounds: 5,
  // setup() warms up with shorter windows.
  warmupRounds: 0,
  async setup(ctx) {
    const limit = openFileLimit();
    const viewers =
      limit === undefined || limit >= VIEWERS + FD_RESERVE ? VIEWERS : Math.max(100, limit - FD_RESERVE);
    const windowTicks = ctx.quick ? 3 : 10;

    const bot = buildArgus();
    let builds = 0;
    const tick = new Signal();
    let held = 0;
    const holding = new Signal();
    const app: ArgusApp = createApp({
      config: { metricsPath: '/metrics', metricsAuthToken: undefined, grafanaUrl: undefined },
      readiness: () => ({ ready: true, checks: {} }),
      dashboard: {
        snapshot: () => {
          builds++;
          tick.fire();
          return bot.adapter.snapshot();
        },
        config: dashboardConfigBody(
          {
            namespace: NAMESPACE,
            clusterId: CLUSTER,
            metricsPath: '/metrics',
            dashboardPath: '/',
            dashboardInterval: INTERVAL_MS / 1000,
            dashboardMaxStreams: 2 * VIEWERS,
            dashboardAuthToken: undefined,
            grafanaUrl: undefined,
          },
          { version },
        ),
        intervalMs: INTERVAL_MS,
        maxStreams: 2 * VIEWERS,
        path: '/',
        token: undefined,
      },
      routes: (_app, tools) => {
        tools.get(
          HOLD_PATH,
          (c) =>
            new Promise<Response>((resolve) => {
              held++;
              holding.fire();
              c.req.raw.signal.addEventListener(
                'abort',
                () => {
                  held--;
                  holding.fire();
                  resolve(c.body(null, 204));
                },
                { once: true },
              );
            }),
        );
      },
    });
    const server: ServerHandle | undefined = await startServer(app, { host: '127.0.0.1', port: 0 });
    if (!server) {
      bot.adapter.close();
      throw new Error('the dashboard server did not start');
    }
    const child = await startViewers().catch(async (error: unknown) => {
      await server.close();
      bot.adapter.close();
      throw error;
    });

    const waitHeld = async (count: number) => {
      while (held !== count) await holding.next(30_000, `${count} held connections (${held} so far)`);
    };
    const windows: { stream: Window[]; hold: Window[] } = { stream: [], hold: [] };

    /** One round of one condition: connect, settle, measure `ticks` intervals, disconnect. */
    const measure = async (mode: 'stream' | 'hold', windowTicks: number): Promise<Window> => {
      const opened = await child.ask({
        type: 'open',
        url: `${server.url}${mode === 'stream' ? '/api/stream' : HOLD_PATH}`,
        count: viewers,
        mode,
        timeoutMs: 60_000,
      });
      if (opened.type !== 'opened') throw new Error(`unexpected reply ${opened.type}`);
      try {
        if (mode === 'hold') await waitHeld(viewers);
        // Steady state: streams start half an interval after a tick, so the window spans exactly
        // `windowTicks` ticks, none cut in half; the baseline just lets the connections settle.
        if (mode === 'stream') await tick.next(5 * INTERVAL_MS, 'a stream tick');
        await sleep(INTERVAL_MS / 2);
        const before = await child.ask({ type: 'mark' });
        const buildsBefore = builds;
        const wallStart = performance.now();
        const cpuStart = process.cpuUsage();
        await sleep(windowTicks * INTERVAL_MS);
        const cpu = process.cpuUsage(cpuStart);
        const wallMs = performance.now() - wallStart;
        const ticks = builds - buildsBefore;
        const after = await child.ask({ type: 'mark' });
        if (before.type !== 'marked' || after.type !== 'marked') throw new Error('unexpected reply');
        const failed = after.errors - before.errors;
        if (failed > 0) throw new Error(`${failed} viewer connections failed or ended during the window`);
        if (mode === 'hold' && ticks > 0) throw new Error(`the baseline window saw ${ticks} stream ticks`);
        return {
          cpu: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
          system: (cpu.system / 1000 / wallMs) * 100,
          ticks,
          frames: mode === 'stream' ? after.frames.map((n, i) => n - before.frames[i]!) : [],
          seconds: wallMs / 1000,
          bytes: after.bytes - before.bytes,
          openMs: opened.ms,
        };
      } finally {
        await child.ask({ type: 'close' });
        if (mode === 'hold') await waitHeld(0);
        // The server sees the streams end (and its ticker stop) within a few ms of the sockets closing.
        else await sleep(250);
      }
    };
    const sample = async (mode: 'stream' | 'hold') => {
      const window = await measure(mode, windowTicks);
      windows[mode].push(window);
      return window.cpu;
    };

    // Warm-up, cheaper than a harness round: both conditions once, with a short window.
    try {
      await measure('hold', 1);
      await measure('stream', 2);
    } catch (error) {
      await child.stop();
      await server.close();
      bot.adapter.close();
      throw error;
    }

    return {
      notes: [
        limit === undefined
          ? 'open file limit unknown (no /proc/self/limits)'
          : `open file limit ${limit}: ${viewers.toLocaleString('en-US')} viewers` +
            (viewers < VIEWERS ? ` (lowered from ${VIEWERS.toLocaleString('en-US')}; raise ulimit -n)` : ''),
        `window: ${windowTicks} intervals of ${INTERVAL_MS} ms per round, starting half an interval after a tick; ` +
          'connecting and disconnecting are outside it. The child (viewers) is not counted; on a 2-core machine it ' +
          'competes for the second core',
      ],
      variants: [
        { name: 'held connections, no stream', sample: () => sample('hold') },
        {
          name: `${viewers.toLocaleString('en-US')} viewers streaming`,
          goal: goals.below(5, '% of a core'),
          sample: () => sample('stream'),
        },
      ],
      conclude(rows) {
        const measured = rows[0]?.rounds ?? 0;
        const streams = windows.stream.slice(-measured);
        const holds = windows.hold.slice(-measured);
        if (streams.length === 0) return [];
        const rates = streams.map((w) => w.frames.reduce((a, b) => a + b, 0) / w.seconds);
        const complete = streams.map((w) => w.frames.filter((n) => n >= w.ticks).length);
        const missed = streams.map((w) => w.frames.filter((n) => n < w.ticks).length);
        const mibps = streams.map((w) => w.bytes / w.seconds / 2 ** 20);
        const frameKiB = streams.map((w) => {
          const frames = w.frames.reduce((a, b) => a + b, 0);
          return frames === 0 ? 0 : w.bytes / frames / 1024;
        });
        const perTick = streams.map((w) => ((w.cpu / 100) * w.seconds * 1000) / Math.max(1, w.ticks));
        return [
          `frames received by the child: ${Math.round(median(rates)).toLocaleString('en-US')}/s ` +
            `(median over rounds; ${viewers.toLocaleString('en-US')}/s expected), ${median(frameKiB).toFixed(0)} KiB each, ` +
            `${median(mibps).toFixed(0)} MiB/s over loopback`,
          `viewers that got every frame of the window (${streams[0]!.ticks} ticks): ` +
            complete.map((n) => n.toLocaleString('en-US')).join(', ') +
            ` per round; fewer than every frame: ${missed.join(', ')}`,
          `server CPU per tick, all viewers: ${median(perTick).toFixed(1)} ms, ${((median(perTick) * 1000) / viewers).toFixed(0)} µs ` +
            'per viewer (one build, stringify and encode, then one write per viewer); of the streaming row, system ' +
            `(kernel) time is ${median(streams.map((w) => w.system)).toFixed(1)}% of a core: socket writes, and over ` +
            "loopback part of the receiver's TCP work too",
          `connecting ${viewers.toLocaleString('en-US')} viewers took ${median(streams.map((w) => w.openMs)).toFixed(0)} ms ` +
            `(until each had its first frame); ${viewers.toLocaleString('en-US')} held requests ` +
            `${median(holds.map((w) => w.openMs)).toFixed(0)} ms`,
        ];
      },
      async teardown() {
        await child.stop();
        await server.close();
        bot.adapter.close();
      },
    };
  },
};

interface ViewersChild {
  ask(request: ViewerRequest): Promise<ViewerReply>;
  stop(): Promise<void>;
}

/** Forks the viewers (src/child/viewers.ts): one request at a time, over IPC. */
function startViewers(): Promise<ViewersChild> {
  return forkIpcChild<ViewerRequest, ViewerReply>(VIEWERS_CHILD, BENCH_DIR, 'viewers', (reply) =>
    reply.type === 'error' ? reply.message : undefined,
  ).then((child) => ({
    ask: (request: ViewerRequest) => child.ask(request),
    stop: () => child.stop(),
  }));
}
