import {
  type ArgusEvent,
  BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type EventSink,
  type SinkCloseReport,
} from '@argus/core';
import type { ClickHouseEngine } from './engine';
import { DEFAULT_TABLE, ensureSchema, validateTableName, validateTtlDays } from './schema';

/** One row of the events table, as sent in JSONEachRow. */
export interface EventRow {
  time: string;
  cluster: string;
  shard: number;
  guild_id: string;
  event: string;
  type: string;
  command: string;
  status: string;
  error_type: string;
  duration_ms: number | null;
  response_ms: number | null;
}

/** `2026-01-02 03:04:05.678` in UTC: the DateTime64(3) text form every ClickHouse parses by default. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function toRow(event: ArgusEvent): EventRow {
  return {
    time: formatTime(event.time),
    cluster: event.cluster,
    shard: event.shard,
    guild_id: event.guildId ?? '',
    event: event.event,
    type: event.type,
    command: event.command,
    status: event.status,
    error_type: event.errorType,
    duration_ms: finiteOrNull(event.durationMs),
    response_ms: finiteOrNull(event.responseMs),
  };
}

export interface ClickHouseSinkOptions extends Omit<BatchingSinkOptions<ArgusEvent>, 'write'> {
  engine: ClickHouseEngine;
  /** Default `argus_events`. */
  table?: string;
  /** Retention in days for a table this sink creates. Default: none. */
  ttlDays?: number;
  /** A write that has not settled by then counts as failed and is retried. Default 10,000 ms. */
  writeTimeoutMs?: number;
  /** Close the engine when the sink closes. Default true. */
  closeEngine?: boolean;
}

/**
 * The per-guild event sink. `record` is synchronous and O(1) (core's {@link BatchingSink}); batches
 * go to ClickHouse as JSONEachRow. The schema is created on the first write; a failed setup is
 * retried like a failed write. Wire `onDrop` to `argus_history_events_dropped_total{reason}` and
 * `onHealth` to `argus_subsystem_up{subsystem="sink"}`.
 *
 * Delivery is at least once: a write that times out but lands later is retried and may be stored twice.
 */
export class ClickHouseSink implements EventSink<ArgusEvent> {
  readonly table: string;
  private readonly engine: ClickHouseEngine;
  private readonly ttlDays: number | undefined;
  private readonly writeTimeoutMs: number;
  private readonly closeEngine: boolean;
  private readonly batching: BatchingSink<ArgusEvent>;
  private schema: Promise<unknown> | undefined;

  constructor(options: ClickHouseSinkOptions) {
    const { engine, table, ttlDays, writeTimeoutMs, closeEngine, ...batching } = options;
    this.engine = engine;
    this.table = validateTableName(table ?? DEFAULT_TABLE);
    this.ttlDays = validateTtlDays(ttlDays);
    this.writeTimeoutMs = writeTimeoutMs ?? 10_000;
    if (!Number.isInteger(this.writeTimeoutMs) || this.writeTimeoutMs < 1)
      throw new RangeError(`ClickHouseSink writeTimeoutMs must be a positive integer, got ${writeTimeoutMs}`);
    this.closeEngine = closeEngine ?? true;
    this.batching = new BatchingSink<ArgusEvent>({ ...batching, write: (batch) => this.write(batch) });
  }

  record(event: ArgusEvent): void {
    this.batching.record(event);
  }

  /** produced = written + dropped + queued, at any moment. */
  stats(): BatchingSinkStats {
    return this.batching.stats();
  }

  /** Writes one batch now when the circuit and backoff allow it. */
  flush(): Promise<void> {
    return this.batching.flush();
  }

  /** Flushes what it can within `deadlineMs`; the rest is dropped as `shutdown` and counted. */
  async close(deadlineMs = 5_000): Promise<SinkCloseReport> {
    const report = await this.batching.close(deadlineMs);
    if (this.closeEngine) {
      try {
        await withTimeout(this.engine.close(), 1_000, 'closing the ClickHouse engine');
      } catch {
        // Fail open: a stuck engine must not hold the bot's shutdown.
      }
    }
    return report;
  }

  private async write(batch: ArgusEvent[]): Promise<void> {
    if (!this.schema) {
      const setup = ensureSchema(this.engine, { table: this.table, ttlDays: this.ttlDays });
      this.schema = setup;
      setup.catch(() => {
        if (this.schema === setup) this.schema = undefined;
      });
    }
    await withTimeout(
      this.schema.then(() => this.engine.insert(this.table, batch.map(toRow))),
      this.writeTimeoutMs,
      'ClickHouse write',
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
