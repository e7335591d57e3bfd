// The parts of the OpenTelemetry SDK's span-processor contract Argus uses, written structurally
// so that this package needs no SDK at runtime or in its types (2.x and 3.x both fit).
import type { Attributes, Context, SpanContext, SpanStatus } from '@opentelemetry/api';

/** A finished span as the SDK hands it to processors (its ReadableSpan). */
export interface FinishedSpan {
  spanContext(): SpanContext;
  readonly name: string;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  /** 2.x and later; 1.x had parentSpanId. */
  readonly parentSpanContext?: SpanContext | undefined;
  readonly instrumentationScope?: { readonly name: string };
}

/** The SDK's SpanExporter: one call per batch, `code` 0 on success. */
export interface SpanExporterLike {
  export(spans: FinishedSpan[], done: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** The SDK's SpanProcessor. */
export interface SpanProcessorLike {
  onStart(span: FinishedSpan, parentContext: Context): void;
  onEnd(span: FinishedSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
