// The per-guild event sink's hot path: `record(event)` runs inside the bot's interaction handling,
// so it must cost about as much as storing a reference. Every variant records the same events in
// chunks of 500 (one batch), the flusher runs between chunks, and only the record loops are timed
// (one hrtime pair per chunk, ~0.1 ns per event). A round's figure is the median chunk: a chunk
// takes ~10 µs, so one preemption on a busy machine would otherwise outweigh thousands of chunks.

import { ClickHouseSink, type EmbeddedEngine } from '@argus/clickhouse';
import type { ArgusEvent } from '@argus/core';
import { NullSink } from '@argus/core';
import { InstantEngine, makeEvents, openEmbedded } from '../fixtures/clickhouse';
import { goals, median, type Workload } from '../harness';

const CHUNK = 500;
const POOL = 4_096; // events cycled through (a power of two)
const CAPACITY = 10_000;

const noop = (_event: ArgusEvent): void => {};
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const sinkEnqueue: Workload = {
  name: 'sink-enqueue',
  title: 'Per-event record() on the ClickHouse sink',
  description:
    'ns per ClickHouseSink.record(event), default batching (500 per batch, 10,000 capacity), flusher running between ' +
    'chunks of 500; engines: one whose insert resolves at once, and chdb (real inserts on its thread pool). ' +
    'Baseline: the same event stored into a preallocated array slot.',
  unit: 'ns/event',
  baseline: 'array slot store',
  rounds: 7,
  warmupRounds: 2,
  async setup(ctx) {
    const events = makeEvents(POOL);
    const total = ctx.quick ? 20_000 : 100_000;
    const instant = new InstantEngine();
    const instantSinks: ClickHouseSink[] = [];
    const newInstantSink = () => {
      const sink = new ClickHouseSink({ engine: instant, createTable: false, closeEngine: false });
      instantSinks.push(sink);
      return sink;
    };
    const recordOnly = newInstantSink();
    const recordAndFlush = newInstantSink();
    const nullSink = new NullSink<ArgusEvent>();
    const ring: (ArgusEvent | undefined)[] = new Array(CAPACITY);
    let slot = 0;
    let consumed = 0;

    let embedded: EmbeddedEngine | undefined;
    let chdbSink: ClickHouseSink | undefined;
    const checks: string[] = [];

    /** Times `total` events recorded by `loop` in chunks; `between` runs untimed after each chunk. */
    const measure = async (
      loop: (from: number, to: number) => void,
      between: () => Promise<void>,
    ): Promise<number> => {
      const perEvent: number[] = [];
      for (let from = 0; from < total; from += CHUNK) {
        const to = Math.min(total, from + CHUNK);
        const start = process.hrtime.bigint();
        loop(from, to);
        perEvent.push(Number(process.hrtime.bigint() - start) / (to - from));
        await between();
      }
      return median(perEvent);
    };

    try {
      embedded = await openEmbedded();
      const chdb = new ClickHouseSink({ engine: embedded, table: 'bench_enqueue', closeEngine: false });
      chdbSink = chdb;

      return {
        notes: [
          `${total.toLocaleString('en-US')} events per round in chunks of ${CHUNK} (a round's figure: the median chunk), from a pool of ${POOL.toLocaleString('en-US')} ` +
            'prebuilt events (60% commands, 40% interactions, 1,000 guilds)',
          'record + flush times the record loop and the whole flush that follows it (toRow per event, the write ' +
            "timeout timer, the promise chain) into an engine that stores nothing: the sink's full in-process cost",
        ],
        variants: [
          {
            name: 'array slot store',
            sample: () =>
              measure(
                (from, to) => {
                  for (let i = from; i < to; i++) {
                    ring[slot] = events[i & (POOL - 1)];
                    slot = slot + 1 === CAPACITY ? 0 : slot + 1;
                  }
                },
                async () => {
                  // Empty the ring between chunks, as a flush would.
                  ring.fill(undefined);
                  await yieldToLoop();
                },
              ),
          },
          {
            name: 'no-op function call',
            sample: () =>
              measure((from, to) => {
                for (let i = from; i < to; i++) noop(events[i & (POOL - 1)]!);
              }, yieldToLoop),
          },
          {
            name: 'NullSink.record()',
            sample: () =>
              measure((from, to) => {
                for (let i = from; i < to; i++) nullSink.record(events[i & (POOL - 1)]!);
              }, yieldToLoop),
          },
          {
            name: 'ClickHouseSink.record(), instant engine',
            goal: goals.below(200, 'ns/event'),
            sample: () =>
              measure(
                (from, to) => {
                  for (let i = from; i < to; i++) recordOnly.record(events[i & (POOL - 1)]!);
                },
                async () => {
                  await recordOnly.flush();
                  await yieldToLoop();
                },
              ),
          },
          {
            name: 'ClickHouseSink.record(), chdb engine',
            goal: goals.below(200, 'ns/event'),
            sample: () =>
              measure(
                (from, to) => {
                  for (let i = from; i < to; i++) chdb.record(events[i & (POOL - 1)]!);
                },
                async () => {
                  // chdb writes concurrently; wait only when the queue could overflow.
                  await yieldToLoop();
                  while (chdb.stats().queued > CAPACITY - 2 * CHUNK) await chdb.flush();
                },
              ),
          },
          {
            name: 'ClickHouseSink record + flush, instant engine',
            sample: async () => {
              const perEvent: number[] = [];
              for (let from = 0; from < total; from += CHUNK) {
                const to = Math.min(total, from + CHUNK);
                const start = process.hrtime.bigint();
                for (let i = from; i < to; i++) recordAndFlush.record(events[i & (POOL - 1)]!);
                await recordAndFlush.flush();
                perEvent.push(Number(process.hrtime.bigint() - start) / (to - from));
                await yieldToLoop();
              }
              return median(perEvent);
            },
          },
        ],
        async conclude() {
          consumed += slot; // keeps the baseline's stores observable
          for (const [name, sink] of [
            ['instant, record only', recordOnly],
            ['instant, record + flush', recordAndFlush],
            ['chdb', chdb],
          ] as const) {
            await sink.flush();
            while (sink.stats().queued > 0) await sink.flush();
            const s = sink.stats();
            checks.push(
              `${name}: produced ${s.produced.toLocaleString('en-US')}, written ${s.written.toLocaleString('en-US')}, ` +
                `dropped ${s.dropped}`,
            );
          }
          return [...checks, `array slot store ended at slot ${consumed % CAPACITY}`];
        },
        async teardown() {
          for (const sink of instantSinks) await sink.close(1_000);
          await chdbSink?.close(10_000);
          await embedded?.close();
        },
      };
    } catch (error) {
      await chdbSink?.close(1_000);
      await embedded?.close();
      throw error;
    }
  },
};
