import {
  type ArgusEvent,
  BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type EventSink,
  type SinkCloseReport,
  withTimeout,
} from '@argus/core';
import type { ClickHouseEngine } from './engine';
import { isClickHouseRefusal } from './refusal';
import { ClickHouseWriter, type ClickHouseWriterOptions, resolveWriterOptions } from './writer';

/** How many batches one insert may carry by default when the queue is backed up. */
export const BACKLOG_BATCHES = 10;

export interface ClickHouseSinkOptions
  extends Omit<BatchingSinkOptions<ArgusEvent>, 'write'>,
    Omit<ClickHouseWriterOptions, 'engine'> {
  /**
   * The engine, or a function that opens it. A function is called at the first write (or the
   * first {@link ClickHouseSink.ready}) and again after it failed, like a failed write: the sink
   * exists, and queues, before the engine does.
   */
  engine: ClickHouseEngine | (() => Promise<ClickHouseEngine>);
  /** Close the engine when the sink closes. Default true. */
  closeEngine?: boolean;
  /**
   * Largest insert when a backlog builds up (a burst, or ClickHouse back after an outage).
   * Default {@link BACKLOG_BATCHES} batches, at most `capacity`.
   */
  maxBatchSize?: number;
}

type Open = { engine: ClickHouseEngine; writer: ClickHouseWriter };

/**
 * The per-guild event sink, the one `argus()` uses. `record` is synchronous and O(1) (core's
 * {@link BatchingSink}); batches go to ClickHouse as JSONEachRow through a {@link ClickHouseWriter};
 * a batch ClickHouse refuses for its content is split and the refused rows are dropped as
 * `invalid`. Wire `onDrop` to `argus_history_events_dropped_total{reason}` and `onHealth` to
 * `argus_subsystem_up{subsystem="sink"}`.
 *
 * Delivery is at least once: a write that times out but lands later is retried and may be stored twice.
 */
export class ClickHouseSink implements EventSink<ArgusEvent> {
  readonly table: string;
  private readonly closeEngine: boolean;
  private readonly batching: BatchingSink<ArgusEvent>;
  private readonly openEngine: () => Promise<ClickHouseEngine>;
  private readonly writerOptions: Omit<ClickHouseWriterOptions, 'engine'>;
  private opening: Promise<Open> | undefined;
  private closed = false;

  constructor(options: ClickHouseSinkOptions) {
    const { engine, table, ttlDays, createTable, writeTimeoutMs, closeEngine, ...batching } = options;
    this.writerOptions = {
      ...(table !== undefined ? { table } : {}),
      ...(ttlDays !== undefined ? { ttlDays } : {}),
      ...(createTable !== undefined ? { createTable } : {}),
      ...(writeTimeoutMs !== undefined ? { writeTimeoutMs } : {}),
    };
    // Checked now, whatever the engine: a bad table name fails at construction, not at a write.
    this.table = resolveWriterOptions(this.writerOptions).table;
    this.closeEngine = closeEngine ?? true;
    this.openEngine = typeof engine === 'function' ? engine : () => Promise.resolve(engine);
    const capacity = batching.capacity ?? 10_000;
    const batchSize = batching.batchSize ?? 500;
    this.batching = new BatchingSink<ArgusEvent>({
      isRefusal: isClickHouseRefusal,
      ...batching,
      maxBatchSize:
        batching.maxBatchSize ?? Math.max(batchSize, Math.min(capacity, batchSize * BACKLOG_BATCHES)),
      write: async (batch) => (await this.open()).writer.write(batch),
    });
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

  /**
   * The engine, once open and (with `createTable`) its table made, e.g. for analytics queries.
   * Rejects when that fails; the next call (or write) tries again.
   */
  async ready(): Promise<ClickHouseEngine> {
    const open = await this.open();
    await open.writer.ready();
    return open.engine;
  }

  /** Flushes what it can within `deadlineMs`; the rest is dropped as `shutdown` and counted. */
  async close(deadlineMs = 5_000): Promise<SinkCloseReport> {
    const report = await this.batching.close(deadlineMs);
    this.closed = true;
    const opening = this.opening;
    if (this.closeEngine && opening) {
      try {
        const { engine } = await withTimeout(opening, 1_000, 'opening the ClickHouse engine');
        await withTimeout(engine.close(), 1_000, 'closing the ClickHouse engine');
      } catch {
        // Fail open: an engine that never opened, or is stuck, must not hold the bot's shutdown.
      }
    }
    return report;
  }

  private open(): Promise<Open> {
    if (this.opening) return this.opening;
    const attempt = (async (): Promise<Open> => {
      const engine = await this.openEngine();
      if (this.closed && this.closeEngine) {
        await engine.close().catch(() => {});
        throw new Error('the ClickHouse sink is closed');
      }
      return { engine, writer: new ClickHouseWriter({ engine, ...this.writerOptions }) };
    })();
    this.opening = attempt;
    // A failed open is forgotten, so the next write tries again.
    attempt.catch(() => {
      if (this.opening === attempt) this.opening = undefined;
    });
    return attempt;
  }
}
