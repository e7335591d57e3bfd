import type { Context } from '@opentelemetry/api';
import type { SpanDropReason } from '../types';
import { ExportQueue } from './export-queue';
import type { FinishedSpan, SpanExporterLike, SpanProcessorLike } from './span-shapes';
import { TailSampler } from './tail-sampler';

export interface ArgusSpanProcessorOptions {
  /** Where kept spans go: an OTLP exporter, say. */
  exporter: SpanExporterLike;
  sampleRatio?: number;
  maxPendingTraces?: number;
  maxSpansPerTrace?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  exportIntervalMs?: number;
  exportTimeoutMs?: number;
  /** Called for every span lost on the way (argus() counts them in a metric). */
  onDrop?(reason: SpanDropReason, count: number): void;
}

/**
 * A span processor for any OpenTelemetry tracer provider: decides at the end of each Argus root
 * span whether its trace is kept (errors and missed deadlines always, the rest at
 * `sampleRatio`), then sends kept spans in batches, counting every span it has to drop.
 */
export class ArgusSpanProcessor implements SpanProcessorLike {
  private readonly sampler: TailSampler;
  private readonly queue: ExportQueue;

  constructor(options: ArgusSpanProcessorOptions) {
    const onDrop = options.onDrop ?? (() => {});
    this.queue = new ExportQueue(options.exporter, {
      maxQueueSize: options.maxQueueSize ?? 2_048,
      maxExportBatchSize: options.maxExportBatchSize ?? 512,
      exportIntervalMs: options.exportIntervalMs ?? 1_000,
      exportTimeoutMs: options.exportTimeoutMs ?? 10_000,
      onDrop,
    });
    const queue = this.queue;
    this.sampler = new TailSampler({
      sampleRatio: options.sampleRatio ?? 1,
      maxPendingTraces: options.maxPendingTraces ?? 2_048,
      maxSpansPerTrace: options.maxSpansPerTrace ?? 256,
      keep: (span) => queue.add(span),
      onDrop,
    });
  }

  onStart(span: FinishedSpan, parentContext: Context): void {
    this.sampler.onStart(span, parentContext);
  }

  onEnd(span: FinishedSpan): void {
    this.sampler.onEnd(span);
  }

  /** Traces whose root has not ended yet. */
  get waitingTraces(): number {
    return this.sampler.waiting;
  }

  forceFlush(): Promise<void> {
    return this.queue.flush();
  }

  async shutdown(): Promise<void> {
    await this.sampler.shutdown();
    await this.queue.shutdown();
  }
}
