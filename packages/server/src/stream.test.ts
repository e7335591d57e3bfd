import { FailOpenGuard, type MetricsSnapshot } from '@argus/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLogger } from '../test/helpers';
import { type SnapshotFrame, StreamHub, type StreamHubOptions } from './stream';

const decoder = new TextDecoder();

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(overrides: Partial<StreamHubOptions> = {}) {
  const logger = captureLogger();
  const failures: string[] = [];
  const guard = new FailOpenGuard({ logger });
  guard.setErrorCounter((hook) => failures.push(hook));
  const state = { builds: 0, fail: false };
  const hub = new StreamHub({
    build: (): MetricsSnapshot => {
      state.builds++;
      if (state.fail) throw new Error('registry exploded');
      return { time: 1000 * state.builds, metrics: {} };
    },
    guard,
    intervalMs: 1_000,
    maxStreams: 100,
    heartbeatMs: 15_000,
    stallTimeoutMs: 5_000,
    retryMs: 3_000,
    ...overrides,
  });
  return { hub, state, failures, logger };
}

/** Reads a stream in the background, as a connection that always drains would. */
function consume(stream: ReadableStream<Uint8Array>) {
  const chunks: string[] = [];
  const reader = stream.getReader();
  const done = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'done';
      chunks.push(decoder.decode(value));
    }
  })().catch((error: unknown) => `error: ${(error as Error).message}`);
  return { chunks, text: () => chunks.join(''), reader, done };
}

describe('StreamHub', () => {
  it('sends retry and the current frame at once, then one frame per interval', async () => {
    const { hub } = setup();
    const viewer = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(0);
    expect(viewer.text()).toBe('retry: 3000\n\nid: 1000\ndata: {"time":1000,"metrics":{}}\n\n');
    await vi.advanceTimersByTimeAsync(999);
    expect(viewer.chunks).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(viewer.chunks.at(-1)).toBe('id: 2000\ndata: {"time":2000,"metrics":{}}\n\n');
    await viewer.reader.cancel();
  });

  it('builds one snapshot per tick however many viewers watch, and shares the bytes', async () => {
    const { hub, state } = setup();
    const viewers = Array.from({ length: 20 }, () => consume(hub.open()!));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.builds).toBe(1);
    // Every viewer got the frame built for the first one.
    for (const viewer of viewers) expect(viewer.text()).toContain('id: 1000\n');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state.builds).toBe(6);
    for (const viewer of viewers) {
      expect(viewer.text().match(/^id: /gm)).toHaveLength(6);
    }
    expect(hub.stats()).toMatchObject({ viewers: 20, ticking: true, builds: 6, skipped: 0 });
    for (const viewer of viewers) await viewer.reader.cancel();
  });

  it('gives a viewer that joins mid-interval the latest frame without a build', async () => {
    const { hub, state } = setup();
    const first = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(400);
    const second = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(0);
    expect(state.builds).toBe(1);
    expect(second.text()).toBe(first.text());
    await first.reader.cancel();
    await second.reader.cancel();
  });

  it('stops the ticker and its timers when the last viewer leaves', async () => {
    const { hub, state } = setup();
    const baseline = vi.getTimerCount();
    const a = consume(hub.open()!);
    const b = consume(hub.open()!);
    expect(vi.getTimerCount()).toBe(baseline + 2); // the ticker and the heartbeat
    await vi.advanceTimersByTimeAsync(2_000);
    await a.reader.cancel();
    expect(hub.stats()).toMatchObject({ viewers: 1, ticking: true });
    await b.reader.cancel();
    expect(hub.stats()).toMatchObject({ viewers: 0, ticking: false });
    expect(vi.getTimerCount()).toBe(baseline);
    const builds = state.builds;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.builds).toBe(builds);
    // A new viewer starts it again.
    const c = consume(hub.open()!);
    expect(state.builds).toBe(builds + 1);
    await c.reader.cancel();
  });

  it('removes a viewer when its request signal aborts, and drops the listener', async () => {
    const { hub } = setup();
    const controller = new AbortController();
    consume(hub.open({ signal: controller.signal })!);
    expect(hub.stats().viewers).toBe(1);
    controller.abort();
    expect(hub.stats()).toMatchObject({ viewers: 0, ticking: false });

    const other = new AbortController();
    const removeOther = vi.spyOn(other.signal, 'removeEventListener');
    const viewer = consume(hub.open({ signal: other.signal })!);
    await viewer.reader.cancel();
    expect(removeOther).toHaveBeenCalledWith('abort', expect.any(Function));
    expect(hub.stats().viewers).toBe(0);
  });

  it('does not keep a viewer whose request was already aborted', () => {
    const { hub } = setup();
    const controller = new AbortController();
    controller.abort();
    hub.open({ signal: controller.signal });
    expect(hub.stats()).toMatchObject({ viewers: 0, ticking: false });
  });

  it('refuses the (maxStreams + 1)-th stream and accepts one again after a viewer leaves', async () => {
    const { hub } = setup({ maxStreams: 3 });
    const open = [consume(hub.open()!), consume(hub.open()!), consume(hub.open()!)];
    expect(hub.open()).toBeUndefined();
    await open[0]!.reader.cancel();
    const again = hub.open();
    expect(again).toBeDefined();
    await again!.cancel();
    for (const viewer of open.slice(1)) await viewer.reader.cancel();
  });

  it('sends a ping comment every heartbeat', async () => {
    const { hub } = setup({ intervalMs: 60_000, heartbeatMs: 200 });
    const viewer = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(650);
    expect(viewer.chunks.filter((c) => c === ': ping\n\n')).toHaveLength(3);
    await viewer.reader.cancel();
  });

  it('skips the tick and reports server:snapshot when the build throws, then recovers', async () => {
    const { hub, state, failures } = setup();
    state.fail = true;
    const viewer = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(0);
    expect(viewer.text()).toBe('retry: 3000\n\n');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(viewer.text()).toBe('retry: 3000\n\n');
    expect(failures).toEqual(['server:snapshot', 'server:snapshot']);
    state.fail = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(viewer.text()).toBe('retry: 3000\n\nid: 3000\ndata: {"time":3000,"metrics":{}}\n\n');
    await viewer.reader.cancel();
  });

  it('builds a frame for a viewer joining after the tick failed, instead of sending nothing', async () => {
    const { hub, state } = setup();
    state.fail = true;
    const first = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(500);
    state.fail = false;
    const late = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.text()).toBe('retry: 3000\n\nid: 2000\ndata: {"time":2000,"metrics":{}}\n\n');
    expect(first.text()).toBe('retry: 3000\n\n');
    // The next tick goes to both.
    await vi.advanceTimersByTimeAsync(500);
    expect(first.text()).toContain('id: 3000\n');
    expect(late.text().match(/^id: /gm)).toHaveLength(2);
    await first.reader.cancel();
    await late.reader.cancel();
  });

  it.each([
    ['a BigInt', { time: 1, metrics: { x: 1n } }],
    ['an array', [1, 2]],
    ['undefined', undefined],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = { time: 1 };
        o.self = o;
        return o;
      })(),
    ],
  ])('treats %s as a failed build', (_name, value) => {
    const logger = captureLogger();
    const failures: string[] = [];
    const guard = new FailOpenGuard({ logger });
    guard.setErrorCounter((hook) => failures.push(hook));
    const hub = new StreamHub({
      build: () => value as unknown as MetricsSnapshot,
      guard,
      intervalMs: 1_000,
      maxStreams: 1,
      heartbeatMs: 1_000,
      stallTimeoutMs: 1_000,
      retryMs: 0,
    });
    expect(hub.frame(0)).toBeUndefined();
    expect(failures).toEqual(['server:snapshot']);
  });

  it('leaves the id out when the snapshot time is not a finite number', () => {
    const guard = new FailOpenGuard();
    const hub = new StreamHub({
      build: () => ({ time: Number.NaN, metrics: {} }),
      guard,
      intervalMs: 1_000,
      maxStreams: 1,
      heartbeatMs: 1_000,
      stallTimeoutMs: 1_000,
      retryMs: 3_000,
    });
    expect(decoder.decode((hub.frame(0) as SnapshotFrame).bytes)).toBe(
      'data: {"time":null,"metrics":{}}\n\n',
    );
  });

  it('skips frames for a viewer that does not drain, without stalling the others, then drops it', async () => {
    const { hub, state } = setup({ stallTimeoutMs: 5_000 });
    const destroy = vi.fn();
    // Never read: its connection is stuck.
    const stuck = hub.open({ destroy })!;
    const healthy = consume(hub.open()!);
    await vi.advanceTimersByTimeAsync(4_000);
    // The healthy one got every frame on time.
    expect(healthy.text().match(/^id: /gm)).toHaveLength(5);
    // The stuck one holds what it was given on connect and nothing more.
    expect(hub.stats().skipped).toBe(4);
    expect(destroy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(destroy).toHaveBeenCalledOnce();
    expect(hub.stats()).toMatchObject({ viewers: 1, dropped: 1 });
    // Its stream is ended: a late reader gets what was queued on connect, then done.
    const late = stuck.getReader();
    expect(decoder.decode((await late.read()).value)).toBe('retry: 3000\n\n');
    expect(decoder.decode((await late.read()).value)).toMatch(/^id: 1000\n/);
    expect((await late.read()).done).toBe(true);
    expect(state.builds).toBe(10);
    expect(healthy.text().match(/^id: /gm)).toHaveLength(10);
    await healthy.reader.cancel();
  });

  it('errors the stream of a stuck viewer that has no connection to cut', async () => {
    const { hub } = setup({ stallTimeoutMs: 2_000 });
    const stuck = hub.open()!;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(hub.stats()).toMatchObject({ viewers: 0, dropped: 1, ticking: false });
    await expect(stuck.getReader().read()).rejects.toThrow('stalled');
  });

  it('resumes a slow viewer with the current frame once it drains', async () => {
    const { hub } = setup({ stallTimeoutMs: 60_000 });
    const slow = hub.open()!;
    await vi.advanceTimersByTimeAsync(3_000);
    const reader = slow.getReader();
    const seen: string[] = [];
    const pump = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        seen.push(decoder.decode(value));
      }
    })();
    await vi.advanceTimersByTimeAsync(1_000);
    // What was queued on connect, then the frame of the tick after it drained: 2 and 3 were skipped.
    expect(seen.join('').match(/^id: \d+/gm)).toEqual(['id: 1000', 'id: 5000']);
    await reader.cancel();
    await pump;
  });

  it('ends every stream on closeAll and stops ticking', async () => {
    const { hub, state } = setup();
    const a = consume(hub.open()!);
    const b = consume(hub.open()!);
    hub.closeAll();
    expect(await a.done).toBe('done');
    expect(await b.done).toBe('done');
    expect(hub.stats()).toMatchObject({ viewers: 0, ticking: false });
    const builds = state.builds;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.builds).toBe(builds);
  });

  it('reuses a frame younger than maxAgeMs for /api/snapshot', async () => {
    const { hub, state } = setup();
    const first = hub.frame(1_000);
    expect(hub.frame(1_000)).toBe(first);
    expect(state.builds).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hub.frame(1_000)).not.toBe(first);
    expect(state.builds).toBe(2);
  });

  describe('with an asynchronous snapshot', () => {
    function asyncSetup(delayMs: number, overrides: Partial<StreamHubOptions> = {}) {
      const failures: string[] = [];
      const guard = new FailOpenGuard();
      guard.setErrorCounter((hook) => failures.push(hook));
      const state = { builds: 0, mode: 'ok' as 'ok' | 'reject' | 'hang' };
      const hub = new StreamHub({
        build: () => {
          const n = ++state.builds;
          if (state.mode === 'hang') return new Promise<MetricsSnapshot>(() => {});
          return new Promise<MetricsSnapshot>((resolve, reject) =>
            setTimeout(
              () =>
                state.mode === 'reject'
                  ? reject(new Error('collector failed'))
                  : resolve({ time: n, metrics: {} }),
              delayMs,
            ),
          );
        },
        guard,
        intervalMs: 1_000,
        maxStreams: 10,
        heartbeatMs: 60_000,
        stallTimeoutMs: 60_000,
        retryMs: 3_000,
        ...overrides,
      });
      return { hub, state, failures };
    }

    it('sends retry at once and the first frame when the build settles', async () => {
      const { hub, state } = asyncSetup(50);
      const viewer = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(0);
      expect(viewer.text()).toBe('retry: 3000\n\n');
      await vi.advanceTimersByTimeAsync(50);
      expect(viewer.text()).toBe('retry: 3000\n\nid: 1\ndata: {"time":1,"metrics":{}}\n\n');
      // A viewer joining now gets that frame at once, with no build of its own.
      const late = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(0);
      expect(late.text()).toContain('id: 1\n');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(state.builds).toBe(2);
      expect(viewer.text().match(/^id: /gm)).toHaveLength(2);
      expect(late.text().match(/^id: /gm)).toHaveLength(2);
      await viewer.reader.cancel();
      await late.reader.cancel();
    });

    it('leaves a tick out while the previous build still runs: builds never pile up', async () => {
      const { hub, state } = asyncSetup(2_500, { buildTimeoutMs: 60_000 });
      const viewer = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(10_000);
      // 0 s: build 1 (settles at 2.5 s); 1 s, 2 s: busy; 3 s: build 2 ... one build in flight at a time.
      expect(state.builds).toBeLessThanOrEqual(4);
      expect(hub.stats().busyTicks).toBeGreaterThanOrEqual(6);
      expect(viewer.text().match(/^id: /gm)!.length).toBe(state.builds - 1);
      await viewer.reader.cancel();
    });

    it('reports a rejection as server:snapshot and sends nothing for it', async () => {
      const { hub, state, failures } = asyncSetup(10);
      state.mode = 'reject';
      const viewer = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(1_500);
      expect(viewer.text()).toBe('retry: 3000\n\n');
      expect(failures).toEqual(['server:snapshot', 'server:snapshot']);
      state.mode = 'ok';
      await vi.advanceTimersByTimeAsync(1_000);
      expect(viewer.text()).toContain('id: 3\n');
      await viewer.reader.cancel();
    });

    it('gives up on a build that never settles, then builds again', async () => {
      const { hub, state, failures } = asyncSetup(10, { buildTimeoutMs: 2_500 });
      state.mode = 'hang';
      const viewer = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(2_500);
      expect(failures).toEqual(['server:snapshot']);
      state.mode = 'ok';
      await vi.advanceTimersByTimeAsync(600);
      expect(state.builds).toBe(2);
      expect(viewer.text()).toContain('id: 2\n');
      await viewer.reader.cancel();
      // No timer of the abandoned build is left behind.
      expect(vi.getTimerCount()).toBe(0);
    });

    it('gives a new viewer a fresh frame, not the one an earlier /api/snapshot left behind', async () => {
      const { hub, state } = asyncSetup(50);
      const early = hub.frame(1_000);
      await vi.advanceTimersByTimeAsync(50);
      expect((await early)!.json).toBe('{"time":1,"metrics":{}}');
      await vi.advanceTimersByTimeAsync(25_000);
      // Two viewers arriving in the same moment share one new build.
      const a = consume(hub.open()!);
      const b = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(0);
      expect(a.text()).toBe('retry: 3000\n\n');
      await vi.advanceTimersByTimeAsync(50);
      expect(a.text()).toBe('retry: 3000\n\nid: 2\ndata: {"time":2,"metrics":{}}\n\n');
      expect(b.text()).toBe(a.text());
      expect(state.builds).toBe(2);
      await a.reader.cancel();
      await b.reader.cancel();
    });

    it('makes a viewer wait for the running build when the latest frame is over an interval old', async () => {
      const { hub, state } = asyncSetup(2_500, { buildTimeoutMs: 60_000 });
      const first = consume(hub.open()!);
      // Build 1 settles at 2.5 s; the tick at 3 s starts build 2, which settles at 5.5 s.
      await vi.advanceTimersByTimeAsync(5_000);
      expect(state.builds).toBe(2);
      const late = consume(hub.open()!);
      await vi.advanceTimersByTimeAsync(0);
      expect(late.text()).toBe('retry: 3000\n\n');
      await vi.advanceTimersByTimeAsync(500);
      // Frame 2 reaches it once (its own wait and the tick's broadcast both carry it), frame 1 never.
      expect(late.text()).toBe('retry: 3000\n\nid: 2\ndata: {"time":2,"metrics":{}}\n\n');
      expect(first.text().match(/^id: \d+/gm)).toEqual(['id: 1', 'id: 2']);
      expect(state.builds).toBe(2);
      await first.reader.cancel();
      await late.reader.cancel();
    });

    it('shares a running build with /api/snapshot', async () => {
      const { hub, state } = asyncSetup(100);
      const a = hub.frame(1_000);
      const b = hub.frame(1_000);
      expect(b).toBe(a);
      await vi.advanceTimersByTimeAsync(100);
      expect((await a)!.json).toBe('{"time":1,"metrics":{}}');
      expect(state.builds).toBe(1);
      expect(hub.frame(1_000)).toBe(await a);
    });
  });
});
