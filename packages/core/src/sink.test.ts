import { afterEach, describe, expect, it } from 'vitest';
import { BatchingSink, MAX_REFUSED_PER_WRITE, NullSink } from './sink';

const sinks: BatchingSink<number>[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close(10);
});

function make(
  options: Partial<ConstructorParameters<typeof BatchingSink<number>>[0]> & {
    write: (b: number[]) => Promise<unknown>;
  },
) {
  const sink = new BatchingSink<number>({ flushIntervalMs: 10_000, ...options });
  sinks.push(sink);
  return sink;
}

const waitFor = async (cond: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('NullSink', () => {
  it('accepts anything and reports nothing left', async () => {
    const s = new NullSink();
    s.record({ any: 'thing' });
    await expect(s.close()).resolves.toEqual({ flushed: 0, unflushed: 0 });
  });
});

describe('BatchingSink', () => {
  it('flushes by size, in order', async () => {
    const batches: number[][] = [];
    const sink = make({ batchSize: 3, write: async (b) => void batches.push(b) });
    for (let i = 0; i < 7; i++) sink.record(i);
    await waitFor(() => batches.length === 2);
    expect(batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(sink.stats()).toMatchObject({ produced: 7, written: 6, queued: 1, dropped: 0 });
  });

  it('drains a backlog in bigger writes, up to maxBatchSize, once the destination answers', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let first = true;
    const sink = make({
      batchSize: 10,
      maxBatchSize: 25,
      write: async (b) => {
        if (first) {
          first = false;
          await gate; // a slow destination: the queue backs up meanwhile
        }
        batches.push(b);
      },
    });
    for (let i = 0; i < 70; i++) sink.record(i);
    await waitFor(() => sink.stats().queued === 70);
    release();
    await waitFor(() => sink.stats().written === 70);
    // All 70 were queued before the first write started: 25 at a time, never one batchSize.
    expect(batches.map((b) => b.length)).toEqual([25, 25, 20]);
    expect(batches.flat()).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(() => new BatchingSink<number>({ write: async () => {}, batchSize: 10, maxBatchSize: 5 })).toThrow(
      /maxBatchSize \(5\) must be at least batchSize \(10\)/,
    );
  });

  it('flushes by interval', async () => {
    const batches: number[][] = [];
    const sink = make({ batchSize: 100, flushIntervalMs: 20, write: async (b) => void batches.push(b) });
    sink.record(1);
    await waitFor(() => batches.length === 1);
    expect(batches[0]).toEqual([1]);
  });

  it('never blocks: record returns at once while a write hangs, and overflow is dropped and counted', () => {
    const drops: [string, number][] = [];
    const sink = make({
      capacity: 5,
      batchSize: 2,
      write: () => new Promise(() => {}),
      onDrop: (reason, n) => drops.push([reason, n]),
    });
    for (let i = 0; i < 8; i++) sink.record(i);
    expect(sink.stats()).toMatchObject({ produced: 8, queued: 5, dropped: 3, written: 0 });
    expect(drops).toEqual([
      ['overflow', 1],
      ['overflow', 1],
      ['overflow', 1],
    ]);
  });

  it('keeps a failed batch queued and retries it with backoff; accounting stays exact', async () => {
    let calls = 0;
    const written: number[] = [];
    const sink = make({
      batchSize: 2,
      backoffMs: 5,
      write: async (b) => {
        calls++;
        if (calls <= 2) throw new Error('server down');
        written.push(...b);
      },
    });
    sink.record(1);
    sink.record(2);
    await waitFor(() => calls >= 1);
    // Drive retries explicitly; the interval timer is long in this test.
    while (written.length < 2) {
      await new Promise((r) => setTimeout(r, 10));
      await sink.flush();
    }
    expect(written).toEqual([1, 2]);
    const s = sink.stats();
    expect(s.produced).toBe(s.written + s.dropped + s.queued);
    expect(s).toMatchObject({ written: 2, dropped: 0, queued: 0 });
  });

  it('opens the circuit after repeated failures and closes it after a successful trial', async () => {
    const health: boolean[] = [];
    let failing = true;
    const sink = make({
      batchSize: 1,
      backoffMs: 1,
      maxBackoffMs: 1,
      circuitThreshold: 3,
      circuitCooldownMs: 50,
      write: async () => {
        if (failing) throw new Error('down');
      },
      onHealth: (up) => health.push(up),
    });
    sink.record(1);
    await waitFor(() => sink.stats().consecutiveFailures >= 1);
    while (sink.stats().consecutiveFailures < 3) {
      await new Promise((r) => setTimeout(r, 3));
      await sink.flush();
    }
    expect(sink.stats().circuitOpen).toBe(true);
    expect(health).toEqual([false]);
    // While open, flushes do not hit the destination.
    const before = sink.stats().consecutiveFailures;
    await sink.flush();
    expect(sink.stats().consecutiveFailures).toBe(before);
    failing = false;
    await new Promise((r) => setTimeout(r, 60));
    await sink.flush();
    expect(health).toEqual([false, true]);
    expect(sink.stats()).toMatchObject({ written: 1, queued: 0, circuitOpen: false });
  });

  it('close() flushes what it can within the deadline and reports the rest as dropped', async () => {
    const written: number[] = [];
    const sink = new BatchingSink<number>({ batchSize: 2, write: async (b) => void written.push(...b) });
    for (let i = 0; i < 5; i++) sink.record(i);
    await expect(sink.close(1_000)).resolves.toEqual({ flushed: 5, unflushed: 0 });
    expect(written).toEqual([0, 1, 2, 3, 4]);

    const drops: number[] = [];
    const stuck = new BatchingSink<number>({
      batchSize: 2,
      write: () => new Promise(() => {}),
      onDrop: (_r, n) => drops.push(n),
    });
    for (let i = 0; i < 3; i++) stuck.record(i);
    await expect(stuck.close(50)).resolves.toEqual({ flushed: 0, unflushed: 3 });
    expect(drops).toEqual([3]);
    stuck.record(9);
    expect(stuck.stats()).toMatchObject({ produced: 4, dropped: 4, queued: 0 });
  });

  it('survives a write that throws synchronously', async () => {
    const sink = make({
      batchSize: 1,
      write: () => {
        throw new Error('sync');
      },
    });
    expect(() => sink.record(1)).not.toThrow();
    await sink.flush();
    expect(sink.stats()).toMatchObject({ queued: 1, consecutiveFailures: 1 });
  });

  it('isolates the events a destination refuses, drops them as invalid, and keeps writing the rest', async () => {
    class Refused extends Error {}
    const stored: number[] = [];
    const drops: [string, number][] = [];
    const health: boolean[] = [];
    let writes = 0;
    const sink = make({
      batchSize: 20,
      maxBatchSize: 100,
      circuitThreshold: 2,
      // A store that refuses a whole insert for one row it cannot hold (a negative number here).
      write: async (batch) => {
        writes++;
        if (batch.some((n) => n < 0)) throw new Refused('cannot parse row');
        stored.push(...batch);
      },
      isRefusal: (error) => error instanceof Refused,
      onDrop: (reason, n) => drops.push([reason, n]),
      onHealth: (up) => health.push(up),
    });
    for (let i = 0; i < 20; i++) sink.record(i);
    await waitFor(() => sink.stats().written === 20);
    sink.record(-1);
    for (let i = 20; i < 320; i++) sink.record(i);
    // The interval timer is long in this test: drive the last partial batch out.
    while (sink.stats().queued > 0) {
      await new Promise((r) => setTimeout(r, 2));
      await sink.flush();
    }
    expect(sink.stats()).toMatchObject({ produced: 321, written: 320, dropped: 1, consecutiveFailures: 0 });
    expect(drops).toEqual([['invalid', 1]]);
    expect(health).toEqual([]);
    expect([...stored].sort((a, b) => a - b)).toEqual(Array.from({ length: 320 }, (_, i) => i));
    // Bisection, not one write per event.
    expect(writes).toBeLessThan(30);
  });

  it('counts what the writer itself set aside as invalid, and reports why', async () => {
    const drops: [string, number][] = [];
    const errors: unknown[] = [];
    const why = new TypeError('shard is not an integer');
    const sink = make({
      batchSize: 4,
      write: async () => ({ invalid: 1, reason: why }),
      onDrop: (reason, n) => drops.push([reason, n]),
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 4; i++) sink.record(i);
    await waitFor(() => sink.stats().queued === 0);
    expect(sink.stats()).toMatchObject({ produced: 4, written: 3, dropped: 1 });
    expect(drops).toEqual([['invalid', 1]]);
    expect(errors).toEqual([why]);
  });

  it('stops splitting at a failure that is not a refusal, keeping what is not yet written', async () => {
    let down = false;
    let wentDown = false;
    const stored: number[] = [];
    const sink = make({
      batchSize: 8,
      backoffMs: 1,
      maxBackoffMs: 1,
      write: async (batch) => {
        if (down) throw new Error('connection refused');
        if (batch.includes(5)) {
          // The store refuses the row, then goes away while the batch is being split.
          if (batch.length <= 2 && !wentDown) down = wentDown = true;
          throw Object.assign(new Error('bad row'), { refused: true });
        }
        stored.push(...batch);
      },
      isRefusal: (error) => (error as { refused?: boolean }).refused === true,
    });
    for (let i = 0; i < 8; i++) sink.record(i);
    await waitFor(() => sink.stats().consecutiveFailures === 1);
    expect(stored).toEqual([0, 1, 2, 3]);
    expect(sink.stats()).toMatchObject({ written: 4, dropped: 0, queued: 4 });
    down = false;
    while (sink.stats().queued > 0) {
      await new Promise((r) => setTimeout(r, 2));
      await sink.flush();
    }
    expect(sink.stats()).toMatchObject({ produced: 8, written: 7, dropped: 1, queued: 0 });
    expect(stored).toEqual([0, 1, 2, 3, 4, 6, 7]);
  });

  it('a store that refuses every event is not split forever: past the refusal budget the write fails', async () => {
    let writes = 0;
    const health: boolean[] = [];
    const sink = make({
      batchSize: 1_000,
      backoffMs: 60_000,
      circuitThreshold: 1,
      write: async () => {
        writes++;
        throw Object.assign(new Error('type mismatch'), { refused: true });
      },
      isRefusal: (error) => (error as { refused?: boolean }).refused === true,
      onHealth: (up) => health.push(up),
    });
    for (let i = 0; i < 1_000; i++) sink.record(i);
    await waitFor(() => sink.stats().consecutiveFailures === 1);
    expect(sink.stats()).toMatchObject({
      written: 0,
      dropped: MAX_REFUSED_PER_WRITE,
      queued: 1_000 - MAX_REFUSED_PER_WRITE,
    });
    // About two writes per refused event and halving, not two per event of the batch.
    expect(writes).toBeLessThan(2 * (MAX_REFUSED_PER_WRITE + 1) * 10);
    expect(health).toEqual([false]);
  });
});
