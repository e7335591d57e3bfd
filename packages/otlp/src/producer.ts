import { version as argusVersion, FailOpenGuard, type MetricsSnapshot } from '@argus/core';
import { emptyResource } from '@opentelemetry/resources';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { SnapshotProducer } from './internal/snapshot-producer';
import type { OtlpTemporality } from './types';

export interface ArgusMetricProducerOptions {
  /** Argus' metrics at one instant, read once per collection. */
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  /** Added as `cluster` to points that have none (e.g. process metrics). */
  clusterId: string;
  /** Default cumulative. */
  temporality?: OtlpTemporality;
  /** Where a failing snapshot is counted. */
  guard?: FailOpenGuard;
}

/**
 * Argus' metrics as an OpenTelemetry `MetricProducer`, for a bot that runs its own MeterProvider:
 * hand it to a reader (`new PeriodicExportingMetricReader({ exporter, metricProducers: [producer] })`)
 * and Argus' families are exported beside the bot's own instruments, read at collection time.
 */
export function argusMetricProducer(options: ArgusMetricProducerOptions): MetricProducer {
  return new SnapshotProducer({
    snapshot: options.snapshot,
    temporality: options.temporality ?? 'cumulative',
    clusterId: options.clusterId,
    resource: emptyResource(),
    scope: { name: '@argus/otlp', version: argusVersion },
    guard: options.guard ?? new FailOpenGuard(),
  });
}
