import type { FailOpenGuard, HealthState, Logger, MetricRegistry, MetricsSnapshot } from '@argus/core';

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';
export type OtlpTemporality = 'cumulative' | 'delta';

/** Options of `otlp()`: where and how Argus' metrics are pushed. */
export interface OtlpOptions {
  /** The full OTLP/HTTP metrics URL, e.g. `http://collector:4318/v1/metrics`. A URL with no path gets `/v1/metrics`. */
  url: string;
  /** Default http/protobuf. */
  protocol?: OtlpProtocol;
  /** Sent with every export, e.g. vendor auth. Never logged. */
  headers?: Readonly<Record<string, string>>;
  /** Default none. */
  compression?: OtlpCompression;
  /** Counters and histograms as running totals (default) or as the change since the last export. */
  temporality?: OtlpTemporality;
  /** Milliseconds between exports. Default 60000. */
  intervalMs?: number;
  /** Milliseconds one export may take before it counts as failed. Default 10000, at most `intervalMs`. */
  timeoutMs?: number;
  /** Resource `service.name`. Default: `service.name` from `resourceAttributes`, else discord-bot. */
  serviceName?: string;
  /** Resource `service.version`. */
  serviceVersion?: string;
  /** More resource attributes (e.g. what OTEL_RESOURCE_ATTRIBUTES holds). */
  resourceAttributes?: Readonly<Record<string, string>>;
}

/** What the bot side hands the adapter when it starts. */
export interface OtlpContext {
  /** Argus' metrics at one instant; read once per export, never on the hot path. */
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  /** Where `argus_otlp_exports_total{result}` is defined. */
  registry: MetricRegistry;
  /** The `cluster` label value: on every point, and the resource's `service.instance.id`. */
  clusterId: string;
  /** Reports `otlp` up or down after each export. */
  health?: HealthState;
  /** Where a failing snapshot is counted. Default: the registry's guard. */
  guard?: FailOpenGuard;
  /** Told when exports start failing and when they recover (once each way). */
  logger?: Logger;
}

/** A running push. */
export interface OtlpPush {
  /** Exports now (beside the interval); resolves when done, never rejects. */
  flush(): Promise<void>;
  /** Sends a last export and stops, within `deadlineMs` (default 5000). Safe to call twice; never rejects. */
  close(deadlineMs?: number): Promise<void>;
}

/** The value `otlp()` returns: options checked, nothing started yet. */
export interface OtlpAdapter {
  readonly kind: 'otlp';
  readonly role: 'metrics';
  readonly options: Readonly<
    Required<
      Pick<OtlpOptions, 'url' | 'protocol' | 'compression' | 'temporality' | 'intervalMs' | 'timeoutMs'>
    >
  > &
    Readonly<Pick<OtlpOptions, 'headers' | 'serviceName' | 'serviceVersion' | 'resourceAttributes'>>;
  start(context: OtlpContext): OtlpPush;
}
