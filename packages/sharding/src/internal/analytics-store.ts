import {
  type AnalyticsSource,
  type ArgusEvent,
  BatchingSink,
  type DropReason,
  type FailOpenGuard,
  type Logger,
  normalizeEvent,
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

type ClickHouseModule = {
  createEngine(dsn: string): Promise<{ close(): Promise<void> }>;
  ensureSchema(engine: unknown, options: { table: string; ttlDays?: number }): Promise<unknown>;
  ClickHouseWriter: new (options: {
    engine: unknown;
    table: string;
    createTable: boolean;
  }) => { write(batch: ArgusEvent[]): Promise<void> };
  AnalyticsQueries: new (engine: unknown, options: { table: string }) => AnalyticsSource;
};

type Reason = DropReason | 'malformed';

/** The package the store needs; an optional peer of @argus/sharding. */
export const CLICKHOUSE_PACKAGE = '@argus/clickhouse';

/**
 * One store for the whole bot: every child's forwarded events, written once, in batches, through
 * a bounded queue. The engine opens in the background; a failure to open is retried like a write.
 */
export class ManagerAnalyticsStore {
  private readonly dropped: Record<Reason, number> = { overflow: 0, shutdown: 0, invalid: 0, malformed: 0 };
  private received = 0;
  private written = 0;
  private opening:
    | Promise<{
        engine: { close(): Promise<void> };
        write(b: ArgusEvent[]): Promise<void>;
        queries: AnalyticsSource;
      }>
    | undefined;
  private closed = false;
  private readonly sink: BatchingSink<ArgusEvent>;
  readonly analytics: AnalyticsSource;

  constructor(
    private readonly options: ManagerAnalyticsOptions,
    guard: FailOpenGuard,
    private readonly logger: Logger,
    private readonly load: () => Promise<ClickHouseModule> = async () => {
      // A variable specifier keeps the optional package out of the build and the type check.
      const specifier = CLICKHOUSE_PACKAGE;
      return (await import(specifier)) as ClickHouseModule;
    },
  ) {
    const table = options.table ?? 'argus_events';
    const capacity = options.queueCapacity ?? 20_000;
    const batchSize = Math.min(options.batchSize ?? 1_000, capacity);
    this.sink = new BatchingSink<ArgusEvent>({
      capacity,
      batchSize,
      maxBatchSize: Math.min(capacity, batchSize * 10),
      flushIntervalMs: options.flushIntervalMs ?? 2_000,
      write: async (batch) => (await this.open(table)).write(batch),
      onDrop: (reason, count) => {
        this.dropped[reason] += count;
      },
      onWritten: (count) => {
        this.written += count;
      },
      onError: (error) => guard.report('manager:analytics-write', error),
    });
    void this.open(table).catch((error: unknown) => guard.report('manager:analytics-open', error));
    // Queries wait for the engine like writes do; a failure to open answers as a store failure.
    const q = async () => (await this.open(table)).queries;
    this.analytics = {
      interactionVolume: async (query) => (await q()).interactionVolume(query),
      topCommands: async (query) => (await q()).topCommands(query),
      commandStats: async (query) => (await q()).commandStats(query),
      overall: async (query) => (await q()).overall(query),
      responseShare: async (query) => (await q()).responseShare(query),
      topGuilds: async (query) => (await q()).topGuilds(query),
    };
  }

  private open(table: string) {
    if (this.opening) return this.opening;
    const attempt = (async () => {
      const clickhouse = await this.load();
      const engine = await clickhouse.createEngine(this.options.clickhouseDsn);
      if (this.closed) {
        await engine.close();
        throw new Error('the manager analytics store is closed');
      }
      await clickhouse.ensureSchema(engine, {
        table,
        ...(this.options.ttlDays !== undefined ? { ttlDays: this.options.ttlDays } : {}),
      });
      const writer = new clickhouse.ClickHouseWriter({ engine, table, createTable: false });
      const queries = new clickhouse.AnalyticsQueries(engine, { table });
      this.logger.info(`per-guild analytics of every child goes to table ${table}`);
      return { engine, write: (batch: ArgusEvent[]) => writer.write(batch), queries };
    })();
    this.opening = attempt;
    attempt.catch(() => {
      if (this.opening === attempt) this.opening = undefined;
    });
    return attempt;
  }

  /** Takes a forwarded batch; never throws, never waits. */
  take(events: readonly ArgusEvent[], malformed: number): void {
    this.received += events.length;
    this.dropped.malformed += malformed;
    // Normalised on the way in, so one odd row from a child can never block the batch it is in.
    for (const event of events) this.sink.record(normalizeEvent(event));
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
    await this.sink.close(deadlineMs);
    this.closed = true;
    const pending = this.opening;
    if (!pending) return;
    try {
      const { engine } = await pending;
      await engine.close();
    } catch {
      // Never opened: nothing to release.
    }
  }
}
