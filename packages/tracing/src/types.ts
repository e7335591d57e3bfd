import type { MetricRegistry } from '@argus/core';
import type { TracerProvider } from '@opentelemetry/api';

/** Which Discord ids become span attributes. Ids never become metric labels either way. */
export interface TracingIdAttributes {
  /** `discord.guild.id`. Default true. */
  guild?: boolean;
  /** `discord.channel.id`. Default true. */
  channel?: boolean;
  /** `discord.user.id`: personal data, so off unless asked for. Default false. */
  user?: boolean;
}

/** Options of `tracing()`. */
export interface TracingOptions {
  /**
   * OTLP/HTTP URL of the traces endpoint (`…/v1/traces`). Used only when the bot registered no
   * tracer provider: Argus then starts an OpenTelemetry NodeSDK itself (needs
   * `@opentelemetry/sdk-node`, `@opentelemetry/exporter-trace-otlp-http` and
   * `@opentelemetry/resources`). Without it and without a provider, spans are no-ops.
   */
  endpoint?: string;
  /**
   * The tracer provider to use instead of the global one (which is what the bot registered, if
   * anything). With it, Argus starts no SDK.
   */
  tracerProvider?: TracerProvider;
  /** Headers for the OTLP exporter (an API key, say). Never logged. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Share of ordinary traces kept, 0..1. Traces with an error or a missed 3 s deadline are
   * always kept. Applied by Argus' span processor (used by the SDK Argus starts; add
   * `argusSpanProcessor()` to a provider of your own to get it there). Default 1.
   */
  sampleRatio?: number;
  /** Which ids become attributes. */
  ids?: TracingIdAttributes;
  /** Resource `service.name` of the SDK Argus starts. Default `discord-bot`. */
  serviceName?: string;
  /** `discord.cluster` on every span and the resource `service.instance.id`. Default `default`. */
  clusterId?: string;
  /**
   * Where `argus_tracing_spans_dropped_total{reason}` is defined and counted. argus() passes its
   * own; without one, drops are not counted.
   */
  registry?: MetricRegistry;
  /** Traces awaiting a sampling decision at once; past it new traces are dropped and counted. Default 2048. */
  maxPendingTraces?: number;
  /** Spans buffered per trace awaiting its decision; past it they are dropped and counted. Default 256. */
  maxSpansPerTrace?: number;
  /** Spans queued for export; past it new spans are dropped and counted. Default 2048. */
  maxQueueSize?: number;
  /** Spans per OTLP request. Default 512. */
  maxExportBatchSize?: number;
  /** How often queued spans are sent, in ms. Default 1000. */
  exportIntervalMs?: number;
  /** How long one export may take before it counts as failed, in ms. Default 10000. */
  exportTimeoutMs?: number;
}

/** Why a span never reached the collector (`argus_tracing_spans_dropped_total{reason}`). */
export type SpanDropReason =
  /** Too many traces were awaiting their sampling decision. */
  | 'pending_full'
  /** A trace had more spans than `maxSpansPerTrace` before its decision. */
  | 'trace_too_large'
  /** The export queue was full (the collector is slow or down). */
  | 'queue_full'
  /** The exporter failed or timed out (collector down, answering 5xx). */
  | 'export_failed';
