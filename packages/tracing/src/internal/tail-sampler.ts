// Sampling decided at the end of a trace's root span, so that errors and missed deadlines are
// always kept while ordinary traces are kept at a ratio. The spans of an Argus trace wait here
// until its root ends; both the traces waiting and the spans per trace are bounded, and what
// does not fit is dropped and counted rather than held.
import { type Context, SpanStatusCode } from '@opentelemetry/api';
import type { SpanDropReason } from '../types';
import type { FinishedSpan, SpanProcessorLike } from './span-shapes';
import { DEADLINE_MET, TRACER_NAME } from './tracer-name';

export interface TailSamplerOptions {
  sampleRatio: number;
  maxPendingTraces: number;
  maxSpansPerTrace: number;
  /** Where kept spans go. */
  keep(span: FinishedSpan): void;
  onDrop(reason: SpanDropReason, count: number): void;
}

interface Pending {
  readonly rootSpanId: string;
  /** Made when the first child ends: many traces are a root alone. */
  spans: FinishedSpan[] | undefined;
  error: boolean;
}

type Decision = 'keep' | 'drop' | 'overflow';

/** Decisions remembered for spans that end after their root (a follow-up sent later). */
const REMEMBERED_DECISIONS = 4_096;

export class TailSampler implements SpanProcessorLike {
  private readonly pending = new Map<string, Pending>();
  // Decisions in two generations: when the young one is full it becomes the old one, so memory
  // stays under 2 x REMEMBERED_DECISIONS with no per-entry eviction.
  private decided = new Map<string, Decision>();
  private decidedBefore = new Map<string, Decision>();
  private readonly threshold: number;

  constructor(private readonly options: TailSamplerOptions) {
    // Trace ids are random: their last 8 hex digits compared to a threshold are a fair coin
    // that every process deciding on the same trace agrees with.
    this.threshold = Math.floor(options.sampleRatio * 0x1_0000_0000);
  }

  onStart(span: FinishedSpan, _parentContext: Context): void {
    if (span.instrumentationScope?.name !== TRACER_NAME || span.parentSpanContext !== undefined) return;
    const { traceId, spanId } = span.spanContext();
    if (this.pending.size >= this.options.maxPendingTraces) {
      this.remember(traceId, 'overflow');
      return;
    }
    this.pending.set(traceId, { rootSpanId: spanId, spans: undefined, error: false });
  }

  onEnd(span: FinishedSpan): void {
    const { traceId, spanId } = span.spanContext();
    const pending = this.pending.get(traceId);
    if (pending === undefined) {
      const decision = this.decided.get(traceId) ?? this.decidedBefore.get(traceId);
      if (decision === undefined || decision === 'keep') this.options.keep(span);
      else if (decision === 'overflow') this.options.onDrop('pending_full', 1);
      return;
    }
    if (span.status.code === SpanStatusCode.ERROR) pending.error = true;
    if (spanId !== pending.rootSpanId) {
      pending.spans ??= [];
      if (pending.spans.length < this.options.maxSpansPerTrace) pending.spans.push(span);
      else this.options.onDrop('trace_too_large', 1);
      return;
    }
    this.pending.delete(traceId);
    const keep = pending.error || span.attributes[DEADLINE_MET] === false || this.sampled(traceId);
    this.remember(traceId, keep ? 'keep' : 'drop');
    if (!keep) return;
    if (pending.spans) for (const child of pending.spans) this.options.keep(child);
    this.options.keep(span);
  }

  /** Spans of traces still waiting for their root. */
  get waiting(): number {
    return this.pending.size;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.pending.clear();
    this.decided.clear();
    this.decidedBefore.clear();
  }

  private sampled(traceId: string): boolean {
    if (this.threshold >= 0x1_0000_0000) return true;
    if (this.threshold <= 0) return false;
    return Number.parseInt(traceId.slice(-8), 16) < this.threshold;
  }

  private remember(traceId: string, decision: Decision): void {
    // Keeping every span is what an unknown trace gets anyway: only drops need remembering.
    if (decision === 'keep') return;
    if (this.decided.size >= REMEMBERED_DECISIONS) {
      this.decidedBefore = this.decided;
      this.decided = new Map();
    }
    this.decided.set(traceId, decision);
  }
}
