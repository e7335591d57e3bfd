export {
  ArgusSpanProcessor,
  type ArgusSpanProcessorOptions,
} from './internal/argus-span-processor';
export { SDK_PACKAGES } from './internal/own-sdk';
export type { FinishedSpan, SpanExporterLike } from './internal/span-shapes';
export { TRACER_NAME } from './internal/tracer-name';
export { SPANS_DROPPED, type Tracing, type TracingMode, tracing } from './tracing';
export type { SpanDropReason, TracingIdAttributes, TracingOptions } from './types';
