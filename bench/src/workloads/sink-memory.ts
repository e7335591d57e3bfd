// What a full event queue costs in memory: ClickHouse is down, the sink holds `capacity` events
// and refuses the rest. Measured like memory-catalogue (live heap without code space, plus
// ArrayBuffer stores, after a forced GC), from a fresh build per round, per queued event.

import { ClickHouseSink } from '@argus/clickhouse';
import type { ArgusEvent } from '@argus/core';
import { DownEngine, makeEvent } from '../fixtures/clickhouse';
import type { Workload } from '../harness';
import { canCollectGarbage, prng, retainedKiB } from '../measure';

const CAPACITIES = [10_000, 100_000] as const;

const label = (n: number) => n.toLocaleString('en-US');
const arrayName = (capacity: number) => `plain array of ${label(capacity)} events`;
const fullName = (capacity: number) => `ClickHouseSink, ${label(capacity)} queued (full)`;
const emptyName = (capacity: number) => `ClickHouseSink, empty, capacity ${label(capacity)}`;

function buildEvents(count: number): ArgusEvent[] {
  const random = prng(11);
  const time = Date.now();
  const events = new Array<ArgusEvent>(count);
  for (let i = 0; i < count; i++) events[i] = makeEvent(i, random, time);
  return events;
}

export const sinkMemory: Workload = {
  name: 'sink-memory',
  title: 'Memory per queued event, full queue',
  description:
    'Bytes retained per event (live heap without code space plus ArrayBuffer stores after a forced GC) by a ' +
    'ClickHouseSink whose engine is down, filled to capacity (10,000 and 100,000) with fresh events, vs the same ' +
    'events in a plain array. The empty-sink rows divide the preallocated queue by its capacity.',
  unit: 'B/event',
  baseline: arrayName(CAPACITIES[0]),
  rounds: 5,
  warmupRounds: 1,
  setup() {
    if (!canCollectGarbage) throw new Error('needs a forced GC: run node with --expose-gc');
    const open: ClickHouseSink[] = [];
    const newSink = (capacity: number) => {
      const sink = new ClickHouseSink({
        engine: new DownEngine(),
        createTable: false,
        closeEngine: false,
        capacity,
        // One failed attempt, then no retry for the rest of the measurement.
        backoffMs: 60_000,
        flushIntervalMs: 60_000,
      });
      open.push(sink);
      return sink;
    };
    /** Closes the sinks a sample built (their flush timers would keep them alive). */
    const release = async () => {
      for (const sink of open.splice(0)) await sink.close(0);
    };
    const checks = new Map<number, string>();

    const variants = CAPACITIES.flatMap((capacity) => [
      {
        name: arrayName(capacity),
        ...(capacity === CAPACITIES[0] ? {} : { compareTo: arrayName(CAPACITIES[0]) }),
        sample: async () => ((await retainedKiB(() => buildEvents(capacity))) * 1024) / capacity,
      },
      {
        name: fullName(capacity),
        compareTo: arrayName(capacity),
        sample: async () => {
          const kib = await retainedKiB(async () => {
            const sink = newSink(capacity);
            const random = prng(11);
            const time = Date.now();
            for (let i = 0; i < capacity + 100; i++) sink.record(makeEvent(i, random, time));
            // Let the one failed write settle, so no batch is held by a pending promise.
            await new Promise((resolve) => setImmediate(resolve));
            const s = sink.stats();
            checks.set(
              capacity,
              `capacity ${label(capacity)}: queued ${label(s.queued)}, dropped ${s.dropped} (overflow)`,
            );
            if (s.queued !== capacity) throw new Error(`expected a full queue, got ${s.queued}`);
            return sink;
          });
          await release();
          return (kib * 1024) / capacity;
        },
      },
      {
        name: emptyName(capacity),
        compareTo: arrayName(capacity),
        sample: async () => {
          // Enough empty sinks for a million slots, so the figure stands well above the noise.
          const count = Math.ceil(1_000_000 / capacity);
          const kib = await retainedKiB(() => Array.from({ length: count }, () => newSink(capacity)));
          await release();
          return (kib * 1024) / (count * capacity);
        },
      },
    ]);

    return {
      notes: [
        'events as the hooks make them (60% commands, 40% interactions; guild ids and command names from shared pools, ' +
          'as discord.js caches them): the event objects are in both the plain array and the sink',
      ],
      variants,
      conclude(rows) {
        const notes = CAPACITIES.map(
          (capacity) => checks.get(capacity) ?? `capacity ${label(capacity)}: not measured`,
        );
        for (const capacity of CAPACITIES) {
          const array = rows.find((r) => r.variant === arrayName(capacity))?.median ?? Number.NaN;
          const full = rows.find((r) => r.variant === fullName(capacity))?.median ?? Number.NaN;
          const empty = rows.find((r) => r.variant === emptyName(capacity))?.median ?? Number.NaN;
          notes.push(
            `capacity ${label(capacity)}: a full queue holds ${((full * capacity) / 1024 / 1024).toFixed(2)} MiB; ` +
              `the sink adds ${(full - array).toFixed(1)} B per event over the events themselves; the empty sink ` +
              `preallocates ${((empty * capacity) / 1024).toFixed(0)} KiB (${empty.toFixed(1)} B per slot)`,
          );
        }
        return notes;
      },
      teardown: release,
    };
  },
};
