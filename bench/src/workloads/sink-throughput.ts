// Sustained per-guild event rate into a real ClickHouse: a producer records events at a fixed high
// rate (1 ms ticks) into a ClickHouseSink for a few seconds; we measure the rate the sink actually
// wrote (until its queue is empty), what it dropped, and the event loop's delay while it flushed.
// Engines: chdb (ClickHouse 26.7 in-process, production schema) and Debian's clickhouse-server 18.16
// over HTTP (@clickhouse/client, an 18.16-compatible table, createTable: false), with their data on
// tmpfs, plus the same server on the machine's disk. The same producer with a NullSink is the
// baseline: its rate is the offered load, its loop delay the floor.
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  type ClickHouseEngine,
  ClickHouseSink,
  type EmbeddedEngine,
  ensureSchema,
  HttpEngine,
} from '@argus/clickhouse';
import type { ArgusEvent, EventSink } from '@argus/core';
import { NullSink } from '@argus/core';
import { type ClickHouseServer, startClickHouse } from '@argus/test-services';
import { createTable1816Sql, DATA_ROOT, makeEvents, openEmbedded } from '../fixtures/clickhouse';
import { type Goal, median, type Workload } from '../harness';

const TABLE = 'bench_throughput';
const RATE = 60_000; // events per second offered
const POOL = 65_536; // prebuilt events, cycled (a power of two)
const GOAL_RATE = 50_000;
const GOAL_LOOP_P99_MS = 10;
const BASELINE = 'NullSink (offered load)';
/** Unrecorded rounds per variant; the observations below skip them (`.slice(WARMUP)`). */
const WARMUP = 1;

interface Config {
  name: string;
  /** `18.16 disk`: a second server with its data on the default temp dir (the machine's disk). */
  engine: 'chdb' | '18.16' | '18.16 disk';
  batchSize: number;
  /** Largest insert when a backlog builds up; default the sink's (ten batches, at most capacity). */
  maxBatchSize?: number;
  capacity: number;
}

// "argus() defaults" is what argus() gives the sink (the same ClickHouseSink): batches of 1,000 and
// a queue of 20,000; the sink's own default drains a backlog up to ten batches per insert. The
// fixed rows show one batch size per insert throughout.
const ARGUS = { batchSize: 1_000, capacity: 20_000 } as const;
const fixed = (batchSize: number) => ({ batchSize, maxBatchSize: batchSize, capacity: 10_000 });
const CONFIGS: readonly Config[] = [
  { name: 'chdb, argus() defaults', engine: 'chdb', ...ARGUS },
  { name: 'chdb, batch 500 fixed', engine: 'chdb', ...fixed(500) },
  { name: '18.16 HTTP, argus() defaults', engine: '18.16', ...ARGUS },
  { name: '18.16 HTTP, batch 500 fixed', engine: '18.16', ...fixed(500) },
  { name: '18.16 HTTP on disk, argus() defaults', engine: '18.16 disk', ...ARGUS },
  { name: '18.16 HTTP on disk, batch 500 fixed', engine: '18.16 disk', ...fixed(500) },
  { name: '18.16 HTTP on disk, batch 5,000 fixed', engine: '18.16 disk', ...fixed(5_000) },
];

interface Observed {
  loopP99Ms: number[];
  loopMaxMs: number[];
  dropped: number[];
  offered: number[];
  inserts: number[];
  /** Events still queued at the end of the window. */
  backlog: number[];
  /** How long writing that backlog took after the window. */
  drainMs: number[];
}

/** Counts inserts on the way to the real engine. */
class CountingEngine implements ClickHouseEngine {
  inserts = 0;
  constructor(private readonly inner: ClickHouseEngine) {}
  get kind() {
    return this.inner.kind;
  }
  command(sql: string, params?: Record<string, string | number | boolean | null>) {
    return this.inner.command(sql, params);
  }
  insert(table: string, rows: readonly object[]) {
    this.inserts++;
    return this.inner.insert(table, rows);
  }
  query<T>(sql: string, params?: Record<string, string | number | boolean | null>) {
    return this.inner.query<T>(sql, params);
  }
  close() {
    return this.inner.close();
  }
}

export const sinkThroughput: Workload = {
  name: 'sink-throughput',
  title: 'Sustained event rate into ClickHouse (chdb and a clickhouse-server 18.16)',
  description:
    `A producer records ${RATE.toLocaleString('en-US')} events/s (1 ms ticks) into a ClickHouseSink for a fixed window; ` +
    'the figure is events written per second, from the window start until the queue is empty (the last partial ' +
    'batch flushed at once). Event-loop delay p99 during the window (monitorEventLoopDelay, 1 ms resolution) and ' +
    'drops are in the notes and the goal. Baseline: the same producer into a NullSink (its figure is the offered load).',
  unit: 'events/s',
  baseline: BASELINE,
  rounds: 3,
  warmupRounds: WARMUP,
  async setup(ctx) {
    const windowMs = ctx.quick ? 1_000 : 4_000;
    const events = makeEvents(POOL);
    const observed = new Map<string, Observed>();
    const seen = (name: string): Observed => {
      let o = observed.get(name);
      if (!o) {
        o = { loopP99Ms: [], loopMaxMs: [], dropped: [], offered: [], inserts: [], backlog: [], drainMs: [] };
        observed.set(name, o);
      }
      return o;
    };

    let embedded: EmbeddedEngine | undefined;
    let server: ClickHouseServer | undefined;
    let http: HttpEngine | undefined;
    let diskServer: ClickHouseServer | undefined;
    let diskHttp: HttpEngine | undefined;
    const release = async () => {
      await embedded?.close();
      await http?.close();
      await server?.stop();
      await diskHttp?.close();
      await diskServer?.stop();
    };

    /**
     * Offers RATE events/s to `sink` for the window; returns what was produced, the loop delay, and
     * the time the window really took.
     */
    const produce = async (sink: EventSink<ArgusEvent>) => {
      const loop = monitorEventLoopDelay({ resolution: 1 });
      let produced = 0;
      const start = performance.now();
      loop.enable();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = performance.now() - start;
          const due = Math.floor((Math.min(elapsed, windowMs) * RATE) / 1000);
          while (produced < due) sink.record(events[produced++ & (POOL - 1)]!);
          if (elapsed >= windowMs) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      loop.disable();
      return {
        start,
        produced,
        seconds: (performance.now() - start) / 1000,
        p99Ms: loop.percentile(99) / 1e6,
        maxMs: loop.max / 1e6,
      };
    };

    /**
     * After the window: the partial last batch goes at once (flush), then the rest of the queue.
     * Resolves when the queue is empty (or after 30 s), so a sink that keeps up is not charged for
     * waiting out its flush interval, and one that falls behind is charged for its backlog.
     */
    const drain = async (sink: ClickHouseSink) => {
      const until = performance.now() + 30_000;
      while (sink.stats().queued > 0 && performance.now() < until) {
        const before = sink.stats().written;
        await sink.flush();
        // A write held back by backoff: wait instead of spinning.
        if (sink.stats().written === before) await new Promise((r) => setTimeout(r, 5));
      }
    };

    try {
      embedded = await openEmbedded();
      server = await startClickHouse({ baseDir: DATA_ROOT });
      http = new HttpEngine({ url: server.url });
      diskServer = await startClickHouse();
      diskHttp = new HttpEngine({ url: diskServer.url });
      const engines = { chdb: embedded, '18.16': http, '18.16 disk': diskHttp } as const;
      const servers = { '18.16': server, '18.16 disk': diskServer } as const;
      const chdb = embedded;
      // One table per round, made before the window and dropped after it: the parts (and the
      // background merges) of earlier rounds must not slow down the next one. The production DDL
      // on chdb; 18.16 gets its compatible table.
      const dropTable = async (engine: Config['engine']) => {
        if (engine !== 'chdb') await servers[engine].query(`DROP TABLE IF EXISTS ${TABLE}`);
        else await chdb.command('DROP TABLE IF EXISTS {table:Identifier}', { table: TABLE });
      };
      const freshTable = async (engine: Config['engine']) => {
        await dropTable(engine);
        if (engine !== 'chdb') await servers[engine].query(createTable1816Sql(TABLE));
        else await ensureSchema(chdb, { table: TABLE });
      };

      const goalFor = (name: string): Goal => ({
        text: `≥ ${GOAL_RATE.toLocaleString('en-US')} events/s, loop p99 < ${GOAL_LOOP_P99_MS} ms`,
        met: (r) => r.median >= GOAL_RATE && median(seen(name).loopP99Ms.slice(WARMUP)) < GOAL_LOOP_P99_MS,
      });
      return {
        notes: [
          `${(windowMs / 1000).toFixed(0)} s window per round and configuration; events from a pool of ` +
            `${POOL.toLocaleString('en-US')} prebuilt ones; each round uses a fresh sink (flushIntervalMs 1,000, one ` +
            'write in flight, as the defaults) and then closes it, draining what is left outside the window',
          'clickhouse-server 18.16 on 127.0.0.1 (Debian package, started by @argus/test-services); chdb and the ' +
            `first server keep their data under ${DATA_ROOT}` +
            (DATA_ROOT === '/dev/shm' ? ' (tmpfs: the disk is out of those figures)' : '') +
            `, the "on disk" rows use a second server with its data under ${tmpdir()}`,
        ],
        variants: [
          {
            name: BASELINE,
            async sample() {
              const run = await produce(new NullSink<ArgusEvent>());
              const o = seen(BASELINE);
              o.loopP99Ms.push(run.p99Ms);
              o.loopMaxMs.push(run.maxMs);
              o.offered.push(run.produced / run.seconds);
              o.dropped.push(0);
              return run.produced / run.seconds;
            },
          },
          ...CONFIGS.map((config) => ({
            name: config.name,
            goal: goalFor(config.name),
            async sample() {
              await freshTable(config.engine);
              const engine = new CountingEngine(engines[config.engine]);
              const sink = new ClickHouseSink({
                engine,
                table: TABLE,
                createTable: false,
                closeEngine: false,
                batchSize: config.batchSize,
                ...(config.maxBatchSize ? { maxBatchSize: config.maxBatchSize } : {}),
                capacity: config.capacity,
              });
              const run = await produce(sink);
              const atWindowEnd = sink.stats();
              const insertsInWindow = engine.inserts;
              await drain(sink);
              const seconds = (performance.now() - run.start) / 1000;
              const s = sink.stats();
              const o = seen(config.name);
              o.loopP99Ms.push(run.p99Ms);
              o.loopMaxMs.push(run.maxMs);
              o.offered.push(run.produced / run.seconds);
              o.dropped.push(s.dropped);
              o.inserts.push(insertsInWindow);
              o.backlog.push(atWindowEnd.queued);
              o.drainMs.push((seconds - run.seconds) * 1000);
              const report = await sink.close(1_000);
              if (report.unflushed > 0)
                throw new Error(`${config.name}: ${report.unflushed} events left unflushed`);
              if (s.produced !== s.written + s.dropped)
                throw new Error(`${config.name}: accounting is off: ${JSON.stringify(s)}`);
              await dropTable(config.engine);
              return s.written / seconds;
            },
          })),
        ],
        conclude(rows) {
          const base = median(seen(BASELINE).loopP99Ms.slice(WARMUP));
          const notes = [
            `loop p99 / max with the NullSink: ${base.toFixed(2)} / ${median(seen(BASELINE).loopMaxMs.slice(WARMUP)).toFixed(1)} ms; ` +
              `offered ${Math.round(median(seen(BASELINE).offered.slice(WARMUP))).toLocaleString('en-US')} events/s`,
          ];
          for (const config of CONFIGS) {
            const o = seen(config.name);
            const row = rows.find((r) => r.variant === config.name);
            const p99 = median(o.loopP99Ms.slice(WARMUP));
            const inserts = median(o.inserts.slice(WARMUP));
            notes.push(
              `${config.name} (capacity ${config.capacity.toLocaleString('en-US')}): ` +
                `${Math.round(row?.median ?? 0).toLocaleString('en-US')} events/s written, ` +
                `loop p99 ${p99.toFixed(2)} ms (${(p99 / base).toFixed(2)}x NullSink), max ${median(o.loopMaxMs.slice(WARMUP)).toFixed(1)} ms, ` +
                `dropped ${Math.round(median(o.dropped.slice(WARMUP))).toLocaleString('en-US')}, ` +
                `backlog at window end ${Math.round(median(o.backlog.slice(WARMUP))).toLocaleString('en-US')} ` +
                `(written in ${median(o.drainMs.slice(WARMUP)).toFixed(0)} ms more), ` +
                `${Math.round(inserts)} inserts started in the window (${((inserts / windowMs) * 1000).toFixed(0)}/s) (medians)`,
            );
          }
          return notes;
        },
        teardown: release,
      };
    } catch (error) {
      await release();
      throw error;
    }
  },
};
