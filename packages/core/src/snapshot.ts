// The dashboard's view of the metrics: what `/api/snapshot` and each `/api/stream` frame carry.

export type SnapshotMetricType = 'counter' | 'gauge' | 'histogram' | 'info' | 'summary' | 'untyped';

export interface SnapshotSample {
  /** Sample name: the family name, or `<name>_bucket` (with an `le` label), `_sum`, `_count`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface SnapshotFamily {
  type: SnapshotMetricType;
  help: string;
  samples: SnapshotSample[];
}

/**
 * Every metric at one instant, keyed by metric name as defined (counters keep `_total`;
 * histograms use their base name). Values are finite: a bucket's `le` is `"+Inf"` as a label,
 * never a value. Built once per dashboard tick and shared by every viewer.
 */
export interface MetricsSnapshot {
  /** Milliseconds since the epoch. */
  time: number;
  metrics: Record<string, SnapshotFamily>;
}
