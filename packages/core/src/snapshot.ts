// The dashboard's view of the metrics: what `/api/snapshot` and each `/api/stream` frame carry.
// Compact on the wire: label names and bucket bounds are sent once per family, and each series
// carries only its values, so a 16-shard, 100-command bot fits in tens of KiB, not hundreds.

export type SnapshotMetricType = 'counter' | 'gauge' | 'histogram' | 'info' | 'untyped';

/** A counter, gauge, info or untyped series: its label values (in `labelNames` order) and value. */
export type SnapshotSeries = [labelValues: string[], value: number];

/**
 * A histogram series: label values, cumulative bucket counts aligned with the family's `le`
 * (the last is `+Inf`, so it equals `count`), then sum and count.
 */
export type SnapshotHistogramSeries = [labelValues: string[], buckets: number[], sum: number, count: number];

export interface SnapshotScalarFamily {
  type: 'counter' | 'gauge' | 'info' | 'untyped';
  help: string;
  labelNames: string[];
  series: SnapshotSeries[];
}

export interface SnapshotHistogramFamily {
  type: 'histogram';
  help: string;
  labelNames: string[];
  /** Upper bounds as Prometheus spells them in `le`, ending with `+Inf`. */
  le: string[];
  series: SnapshotHistogramSeries[];
}

export type SnapshotFamily = SnapshotScalarFamily | SnapshotHistogramFamily;

/**
 * Every metric at one instant, keyed by metric name as defined (counters keep `_total`;
 * histograms use their base name). Values are finite. Built once per dashboard tick and shared by
 * every viewer.
 */
export interface MetricsSnapshot {
  /** Milliseconds since the epoch. */
  time: number;
  metrics: Record<string, SnapshotFamily>;
}
