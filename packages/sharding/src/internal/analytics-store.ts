import {
  type AnalyticsSource,
  type ArgusEvent,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type DropReason,
  type FailOpenGuard,
  type Logger,
  normalizeEvent,
  type SinkCloseReport,
} from '@argus/core';

/** Per-guild analytics held by the manager, for children that forward their events to it. */
export interface ManagerAnalyticsOptions {
  /**
   * Where the events go: "embedded" (in-process engine in ./.argus/clickhouse, needs chdb),
   * "embedded:<dir>", a directory, or an http(s):// ClickHouse URL.
   */
  clickhouseDsn: string;
  /** Default argus_events. */
  table?: string;
  /** Retention of a table Argus creates, in days. Default: kept forever. */
  ttlDays?: number;
  /** Bearer token for /api/analytics/*; without one they answer 403 (analytics fails closed). */
  token?: string;
  /** Events held while the store is slow or down; past it they are dropped and counted. Default 20 000. */
  queueCapacity?: number;
  /** Events per insert. Default 1 000. */
  batchSize?: number;
  /** Milliseconds between inserts when fewer than a batch are queued. Default 2 000. */
  flushIntervalMs?: number;
}

// What the store uses of @argus/clickhouse, declared here since the package is an optional peer.
/** An engine of the package: the store only hands it from the sink to the queries. */
type Engine = object;

interface SinkOptions extends Omit<BatchingSinkOptions<ArgusEvent>, 'write'> {
  engine: () => Promise<Engine>;
  table: string;
  ttlDays?: number;
}

interface Sink {
  record(event: ArgusEvent): void;
  stats(): BatchingSinkStats;
  ready(): Promise<Engine>;
  close(deadlineMs: number): Promise<SinkCloseReport>;
}

export type ClickHouseModule = {
  createEngine(dsn: string): Promise<Engine>;
  ClickHouseSink: new (options: SinkOptions) => Sink;
  AnalyticsQueries: new (engine: Engine, options: { table: string }) => AnalyticsSource;
};

type Reason = DropReason | 'malformed';

/** The package the store needs; an optional peer of @argus/sharding. */
export const CLICKHOUSE_PACKAGE = '@argus/clickhouse';

// A package that failed to load is tried again no sooner than this, doubling per failure, like
// the sink's own retries of a failed write.
const LOAD_BACKOFF_MS = 500;
const MAX_LOAD_BACKOFF_MS = 30_000;

/**
 * One store for the whole bot: every child's forwarded events, written once, through
 * @argus/clickhouse's ClickHouseSink (a bounded queue, batches, retries, and a row ClickHouse
 * refuses set aside as `invalid` instead of blocking its batch). The package loads and the engine
 * opens in the background; events taken before the package is loaded wait, bounded by the same
 * capacity, and a failure to load or open is retried.
 * At any moment: received + malformed = written + dropped (malformed included) + queued.
 */
export class ManagerAnalyticsStore {
  readonly analytics: AnalyticsSource;
  private readonly dropped: Record<Reason, number> = { overflow: 0, shutdown: 0, invalid: 0, malformed: 0 };
  private received = 0;
  private written = 0;
  private readonly table: string;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  /** Events taken before the sink exists; they move into it when it does. */
  private waiting: ArgusEvent[] = [];
  private loaded: { clickhouse: ClickHouseModule; sink: Sink } | undefined;
  private loading: Promise<{ clickhouse: ClickHouseModule; sink: Sink }> | undefined;
  private loadFailures = 0;
  private nextLoadAt = 0;
  private queries: { engine: Engine; source: AnalyticsSource } | undefined;
  private closing = false;
  private closed = false;

  constructor(
    private readonly options: ManagerAnalyticsOptions,
    private readonly guard: FailOpenGuard,
    private readonly logger: Logger,
    private readonly load: () => Promise<ClickHouseModule> = async () => {
      // A variable specifier keeps the optional package out of the build and the type check.
      const specifier = CLICKHOUSE_PACKAGE;
      return (await import(specifier)) as ClickHouseModule;
    },
  ) {
    this.table = options.table ?? 'argus_events';
    // Checked now, as the sink would: it is built only once the package has loaded.
    this.capacity = positiveInteger('queueCapacity', options.queueCapacity ?? 20_000);
    this.batchSize = positiveInteger('batchSize', Math.min(options.batchSize ?? 1_000, this.capacity));
    this.flushIntervalMs = positiveInteger('flushIntervalMs', options.flushIntervalMs ?? 2_000);
    void this.attach().catch(() => {});
    // Queries wait for the engine like writes do; a failure to open answers as a store failure.
    const q = () => this.source();
    this.analytics = {
      interactionVolume: async (query) => (await q()).interactionVolume(query),
      topCommands: async (query) => (await q()).topCommands(query),
      commandStats: async (query) => (await q()).commandStats(query),
      overall: async (query) => (await q()).overall(query),
      responseShare: async (query) => (await q()).responseShare(query),
      topGuilds: async (query) => (await q()).topGuilds(query),
    };
  }

  /** Takes a forwarded batch; never throws, never waits. */
  take(events: readonly ArgusEvent[], malformed: number): void {
    this.received += events.length;
    this.dropped.malformed += malformed;
    const sink = this.loaded?.sink;
    for (const event of events) {
      // Normalised on the way in, so one odd row from a child can never block the batch it is in.
      if (sink) sink.record(normalizeEvent(event));
      else if (this.closing) this.dropped.shutdown++;
      else if (this.waiting.length >= this.capacity) this.dropped.overflow++;
      else this.waiting.push(normalizeEvent(event));
    }
    if (!sink && !this.loading && !this.closing && Date.now() >= this.nextLoadAt)
      void this.attach().catch(() => {});
  }

  /** Counts since start; received + malformed = written + every dropped reason + queued. */
  stats(): { received: number; written: number; dropped: Readonly<Record<Reason, number>>; queued: number } {
    return {
      received: this.received,
      written: this.written,
      dropped: { ...this.dropped },
      queued: this.waiting.length + (this.loaded?.sink.stats().queued ?? 0),
    };
  }

  render(): string {
    const lines = [
      '# HELP argus_manager_events_received_total Per-guild events children forwarded to the manager.\n',
      '# TYPE argus_manager_events_received_total counter\n',
      `argus_manager_events_received_total ${this.received}\n`,
      '# HELP argus_manager_events_written_total Forwarded per-guild events the manager wrote to its store.\n',
      '# TYPE argus_manager_events_written_total counter\n',
      `argus_manager_events_written_total ${this.written}\n`,
      '# HELP argus_manager_events_dropped_total Forwarded per-guild events the manager dropped, by reason.\n',
      '# TYPE argus_manager_events_dropped_total counter\n',
    ];
    for (const [reason, count] of Object.entries(this.dropped))
      lines.push(`argus_manager_events_dropped_total{reason="${reason}"} ${count}\n`);
    return lines.join('');
  }

  async close(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    this.closing = true;
    // A package still loading may yet take the waiting events, within the deadline.
    if (!this.loaded && this.loading) await settledWithin(this.loading, deadlineMs);
    this.closed = true;
    const loaded = this.loaded;
    if (loaded) {
      await loaded.sink.close(Math.max(0, deadline - Date.now()));
      return;
    }
    this.dropped.shutdown += this.waiting.length;
    this.waiting = [];
  }

  /** The sink, once the package has loaded; loads it (again, after a failure) when needed. */
  private attach(): Promise<{ clickhouse: ClickHouseModule; sink: Sink }> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (this.loading) return this.loading;
    if (this.closed) return Promise.reject(new Error('the manager analytics store is closed'));
    const attempt = (async () => {
      const clickhouse = await this.load();
      if (this.closed) throw new Error('the manager analytics store is closed');
      const sink = new clickhouse.ClickHouseSink({
        engine: async () => {
          const engine = await clickhouse.createEngine(this.options.clickhouseDsn);
          this.logger.info(`per-guild analytics of every child goes to table ${this.table}`);
          return engine;
        },
        table: this.table,
        ...(this.options.ttlDays !== undefined ? { ttlDays: this.options.ttlDays } : {}),
        capacity: this.capacity,
        batchSize: this.batchSize,
        flushIntervalMs: this.flushIntervalMs,
        onDrop: (reason, count) => {
          this.dropped[reason] += count;
        },
        onWritten: (count) => {
          this.written += count;
        },
        onError: (error) => this.guard.report('manager:analytics-write', error),
      });
      // The sink starts empty with the same capacity, so every waiting event fits.
      for (const event of this.waiting) sink.record(event);
      this.waiting = [];
      this.loaded = { clickhouse, sink };
      // Opened now rather than at the first write, so a bad DSN shows at start.
      sink.ready().catch((error: unknown) => this.guard.report('manager:analytics-open', error));
      return this.loaded;
    })();
    this.loading = attempt;
    attempt.then(
      () => {
        this.loading = undefined;
      },
      (error: unknown) => {
        this.loading = undefined;
        this.loadFailures++;
        this.nextLoadAt =
          Date.now() + Math.min(MAX_LOAD_BACKOFF_MS, LOAD_BACKOFF_MS * 2 ** (this.loadFailures - 1));
        // A load that lost the race with close() is no failure worth a log line.
        if (!this.closed) this.guard.report('manager:analytics-open', error);
      },
    );
    return attempt;
  }

  private async source(): Promise<AnalyticsSource> {
    const { clickhouse, sink } = await this.attach();
    const engine = await sink.ready();
    if (this.queries?.engine !== engine)
      this.queries = { engine, source: new clickhouse.AnalyticsQueries(engine, { table: this.table }) };
    return this.queries.source;
  }
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`analytics.${option} must be a positive integer, got ${value}`);
  return value;
}

/** Waits for `promise` to settle, or `ms` at most; never rejects. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  return Promise.race([promise.then(noop, noop), timeout]).finally(() => clearTimeout(timer));
}

function noop(): void {}
