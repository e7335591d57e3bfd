import {
  type ArgusEvent,
  BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type EventSink,
  type SinkCloseReport,
} from '@argus/core';
import { isClickHouseRefusal } from './refusal';
import { ClickHouseWriter, type ClickHouseWriterOptions, withTimeout } from './writer';

export interface ClickHouseSinkOptions
  extends Omit<BatchingSinkOptions<ArgusEvent>, 'write'>,
    ClickHouseWriterOptions {
  /** Close the engine when the sink closes. Default true. */
  closeEngine?: boolean;
}

/**
 * The per-guild event sink. `record` is synchronous and O(1) (core's {@link BatchingSink}); batches
 * go to ClickHouse as JSONEachRow through a {@link ClickHouseWriter}. Wire `onDrop` to
 * `argus_history_events_dropped_total{reason}` and `onHealth` to `argus_subsystem_up{subsystem="sink"}`.
 *
 * Delivery is at least once: a write that times out but lands later is retried and may be stored twice.
 */
export class ClickHouseSink implements EventSink<ArgusEvent> {
  readonly table: string;
  private readonly writer: ClickHouseWriter;
  private readonly closeEngine: boolean;
  private readonly batching: BatchingSink<ArgusEvent>;

  constructor(options: ClickHouseSinkOptions) {
    const { engine, table, ttlDays, createTable, writeTimeoutMs, closeEngine, ...batching } = options;
    this.writer = new ClickHouseWriter({
      engine,
      ...(table !== undefined ? { table } : {}),
      ...(ttlDays !== undefined ? { ttlDays } : {}),
      ...(createTable !== undefined ? { createTable } : {}),
      ...(writeTimeoutMs !== undefined ? { writeTimeoutMs } : {}),
    });
    this.table = this.writer.table;
    this.closeEngine = closeEngine ?? true;
    this.batching = new BatchingSink<ArgusEvent>({
      isRefusal: isClickHouseRefusal,
      ...batching,
      write: (batch) => this.writer.write(batch),
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

  /** Flushes what it can within `deadlineMs`; the rest is dropped as `shutdown` and counted. */
  async close(deadlineMs = 5_000): Promise<SinkCloseReport> {
    const report = await this.batching.close(deadlineMs);
    if (this.closeEngine) {
      try {
        await withTimeout(this.writer.engine.close(), 1_000, 'closing the ClickHouse engine');
      } catch {
        // Fail open: a stuck engine must not hold the bot's shutdown.
      }
    }
    return report;
  }
}
