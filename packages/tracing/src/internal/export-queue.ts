// The last stage before the collector: a bounded queue sent in batches, one request at a time.
// The SDK's BatchSpanProcessor drops silently when full; this one counts every span it loses,
// so a slow, down or failing collector shows in argus_tracing_spans_dropped_total.
import type { SpanDropReason } from '../types';
import type { FinishedSpan, SpanExporterLike } from './span-shapes';

export interface ExportQueueOptions {
  maxQueueSize: number;
  maxExportBatchSize: number;
  exportIntervalMs: number;
  exportTimeoutMs: number;
  onDrop(reason: SpanDropReason, count: number): void;
}

export class ExportQueue {
  private queue: FinishedSpan[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly exporter: SpanExporterLike,
    private readonly options: ExportQueueOptions,
  ) {}

  /** O(1), never throws, never waits: the span is queued or counted as dropped. */
  add(span: FinishedSpan): void {
    if (this.closed || this.queue.length >= this.options.maxQueueSize) {
      this.options.onDrop('queue_full', 1);
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.options.maxExportBatchSize) this.kick();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.kick(), this.options.exportIntervalMs);
      this.timer.unref();
    }
  }

  /** Sends everything queued now (waiting for a request already under way). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      if (this.inFlight) await this.inFlight;
      else await this.sendBatch();
    }
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.exporter.shutdown();
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight || this.queue.length === 0) return;
    void this.sendBatch().then(() => {
      if (this.queue.length > 0 && this.timer === undefined && !this.inFlight) {
        this.timer = setTimeout(() => this.kick(), this.options.exportIntervalMs);
        this.timer.unref();
      }
    });
  }

  private sendBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.options.maxExportBatchSize);
    if (batch.length === 0) return Promise.resolve();
    const sent = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        if (!ok) this.options.onDrop('export_failed', batch.length);
        resolve();
      };
      // A collector that never answers must not hold the queue: the batch counts as failed.
      const timeout = setTimeout(() => settle(false), this.options.exportTimeoutMs);
      timeout.unref();
      try {
        this.exporter.export(batch, (result) => settle(result.code === 0));
      } catch {
        settle(false);
      }
    });
    this.inFlight = sent.finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }
}
