// What every section's numbers are computed from, and what they share. The section modules beside
// this one are pure functions: the components only format and draw what they return.

import type { Frame } from '../buffer';
import type { MetricNames } from '../names';
import { labelValues, type Match } from '../series';

/** Inputs of every section: the whole buffer (for charts), the rolling window (for numbers). */
export interface StatsInput {
  /** Every buffered frame, oldest first. */
  frames: readonly Frame[];
  /** The frames of the rolling window (see SnapshotBuffer.window). */
  window: readonly Frame[];
  names: MetricNames;
  /** `{ cluster }` when a cluster is selected, else `{}`. */
  match: Match;
}

/** Trailing window used for smoothed lines (quantiles, ratios) in charts and sparklines. */
export const SMOOTH_MS = 60_000;

/** A quantile of no data (NaN) reads as "no value". */
export const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Cluster values present in the newest frame (for the cluster filter). */
export function clustersOf(frame: Frame | undefined, names: MetricNames): string[] {
  const preferred = labelValues(frame, 'cluster', [names.guilds, names.shardsConfigured, names.up]);
  return preferred.length > 0 ? preferred : labelValues(frame, 'cluster');
}
