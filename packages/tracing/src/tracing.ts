import type {
  ArgusAdapter,
  CommandRecord,
  InteractionRecord,
  LifecycleSubscriber,
  MetricRegistry,
  NotableTrace,
} from '@argus/core';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { InteractionTracer } from './internal/interaction-tracer';
import { type OwnSdk, startOwnSdk } from './internal/own-sdk';
import { TRACER_NAME } from './internal/tracer-name';
import type { SpanDropReason, TracingOptions } from './types';

/** Where the spans go. */
export type TracingMode =
  /** The tracer provider the bot registered (its processors and exporters). */
  | 'provider'
  /** A NodeSDK Argus started, exporting to `endpoint`. */
  | 'sdk'
  /** Nowhere: no provider and no endpoint, or the SDK could not start (spans are no-ops). */
  | 'none';

/** A lifecycle subscriber that traces interactions, plus what it owns. */
export interface Tracing extends LifecycleSubscriber, ArgusAdapter {
  readonly kind: 'tracing';
  readonly role: 'tracing';
  /** Resolves once spans go somewhere (the SDK Argus starts loads in the background). */
  readonly ready: Promise<TracingMode>;
  /**
   * The trace an interaction or a command run belongs to while its span records; core's
   * MetricsRecorder puts it on histogram observations as an exemplar.
   */
  traceIdOf(subject: InteractionRecord | CommandRecord): string | undefined;
  /**
   * The newest interactions worth opening in a trace UI (a handler that threw, an answer after
   * the deadline, no answer), newest first; the dashboard lists them. Only traces this process
   * recorded: with the bot's own provider, its sampler may still have dropped one.
   */
  recentNotable(): NotableTrace[];
  /** Ends open spans, flushes and stops the SDK Argus started (never the bot's provider). */
  shutdown(): Promise<void>;
}

export const SPANS_DROPPED = 'argus_tracing_spans_dropped_total';
const REASONS: readonly SpanDropReason[] = ['pending_full', 'trace_too_large', 'queue_full', 'export_failed'];

/**
 * Traces every interaction: give the result to `argus(client, { subscribers: [...] })` (or let
 * `enableTracing` do it). Uses the tracer provider the bot registered; when there is none and
 * `endpoint` is set, starts an OpenTelemetry NodeSDK exporting there.
 */
export function tracing(options: TracingOptions = {}): Tracing {
  const ratio = options.sampleRatio ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`sampleRatio must be between 0 and 1, got ${ratio}`);
  // Given to argus() as an adapter, the registry and cluster default to argus()'s own (start()).
  let registry = options.registry;
  let countDrop = dropCounter(registry);
  const onDrop = (reason: SpanDropReason, count: number) => countDrop(reason, count);
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  const tracerOptions = {
    tracer,
    clusterId: options.clusterId ?? 'default',
    guildIds: options.ids?.guild ?? true,
    channelIds: options.ids?.channel ?? true,
    userIds: options.ids?.user ?? false,
    maxOpen: 10_000,
  };
  const subscriber = new InteractionTracer(tracerOptions);

  let sdk: Promise<OwnSdk | undefined> = Promise.resolve(undefined);
  let ready: Promise<TracingMode>;
  if (options.tracerProvider !== undefined || providerRegistered()) ready = Promise.resolve('provider');
  else if (options.endpoint === undefined) ready = Promise.resolve('none');
  else {
    const endpoint = options.endpoint;
    // One microtask later, so argus() can hand over its cluster id first.
    sdk = Promise.resolve()
      .then(() =>
        startOwnSdk({
          endpoint,
          ...(options.headers ? { headers: options.headers } : {}),
          serviceName: options.serviceName ?? 'discord-bot',
          serviceInstanceId: tracerOptions.clusterId,
          sampleRatio: ratio,
          ...pick(options),
          onDrop,
        }),
      )
      .catch((error: unknown) => {
        registry?.guard.report('tracing:sdk', error);
        return undefined;
      });
    ready = sdk.then((started) => (started ? 'sdk' : 'none'));
  }

  let closed = false;
  const shutdown = async () => {
    if (closed) return;
    closed = true;
    subscriber.endAll();
    const started = await sdk;
    await started?.shutdown();
  };
  return Object.assign(subscriber, {
    kind: 'tracing' as const,
    role: 'tracing' as const,
    ready,
    shutdown,
    start(context: Parameters<ArgusAdapter['start']>[0]) {
      if (registry === undefined) {
        registry = context.registry;
        countDrop = dropCounter(registry);
      }
      if (options.clusterId === undefined) tracerOptions.clusterId = context.clusterId;
      return {
        subscribers: [subscriber],
        traceIdOf: (subject: InteractionRecord | CommandRecord) => subscriber.traceIdOf(subject),
        notableTraces: () => subscriber.recentNotable(),
        close: shutdown,
      };
    },
  });
}

/** Whether the bot registered a tracer provider of its own (the API's proxy has a delegate). */
function providerRegistered(): boolean {
  const global = trace.getTracerProvider();
  if (!(global instanceof ProxyTracerProvider)) return true;
  return global.getDelegate() !== new ProxyTracerProvider().getDelegate();
}

function dropCounter(registry: MetricRegistry | undefined): (reason: SpanDropReason, count: number) => void {
  if (registry === undefined) return () => {};
  if (!registry.has(SPANS_DROPPED))
    registry.define({
      kind: 'counter',
      name: SPANS_DROPPED,
      help: 'Spans that never reached the trace collector, by reason.',
      labelNames: ['reason'],
    });
  const counter = registry.counter(SPANS_DROPPED);
  const handles = new Map(REASONS.map((reason) => [reason, counter.labels(reason)]));
  return (reason, count) => handles.get(reason)?.inc(count);
}

type Tuning = Pick<
  TracingOptions,
  | 'maxPendingTraces'
  | 'maxSpansPerTrace'
  | 'maxQueueSize'
  | 'maxExportBatchSize'
  | 'exportIntervalMs'
  | 'exportTimeoutMs'
>;

function pick(options: TracingOptions): Tuning {
  const out: Tuning = {};
  for (const key of [
    'maxPendingTraces',
    'maxSpansPerTrace',
    'maxQueueSize',
    'maxExportBatchSize',
    'exportIntervalMs',
    'exportTimeoutMs',
  ] as const) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
