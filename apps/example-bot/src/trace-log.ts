// The demo with ARGUS_ENABLE_TRACING=true and no collector: the bot registers its own tracer
// provider (as bots with OpenTelemetry do) and prints one line per interaction trace instead of
// exporting it. With ARGUS_TRACING_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT set, Argus starts its
// OTLP exporter instead and this is not used.
import { ArgusSpanProcessor, type FinishedSpan } from '@argus/tracing';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';

export function logTracesToConsole(): TracerProvider {
  const exporter = {
    export(spans: FinishedSpan[], done: (result: { code: number }) => void) {
      const byTrace = new Map<string, number>();
      for (const span of spans) {
        const id = span.spanContext().traceId;
        byTrace.set(id, (byTrace.get(id) ?? 0) + 1);
      }
      for (const span of spans) {
        if (span.parentSpanContext !== undefined) continue;
        const { traceId } = span.spanContext();
        const timed = span as FinishedSpan & { duration?: [number, number] };
        const ms = timed.duration ? timed.duration[0] * 1e3 + timed.duration[1] / 1e6 : 0;
        const status = span.status.code === 2 ? ' ERROR' : '';
        console.log(
          `[trace] ${traceId} ${span.name} ${ms.toFixed(1)} ms, ${byTrace.get(traceId) ?? 1} spans${status}`,
        );
      }
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new TracerProvider({
    spanProcessors: [new ArgusSpanProcessor({ exporter, sampleRatio: 0.1 })],
  });
  trace.setGlobalTracerProvider(provider);
  return provider;
}
