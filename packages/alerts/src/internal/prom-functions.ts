// PromQL's range and histogram functions as Prometheus 2.42 computes them, re-derived from its
// documented behaviour so that the bot and a Prometheus on the same data agree.
import type { Sample } from './sample-ring';

/**
 * `rate` (isRate), `increase` (counter) or `delta` (neither) over the samples of one window:
 * the change between the first and last sample (counter resets added back), extrapolated to the
 * window's edges unless a sample sits more than 1.1 average intervals from an edge, and never
 * below zero for a counter. Undefined with fewer than two samples, like Prometheus.
 */
export function extrapolatedRate(
  samples: readonly Sample[],
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  if (samples.length < 2) return undefined;
  const first = samples[0] as Sample;
  const last = samples[samples.length - 1] as Sample;
  let result = last.v - first.v;
  if (isCounter) {
    let previous = first.v;
    for (let i = 1; i < samples.length; i++) {
      const v = (samples[i] as Sample).v;
      if (v < previous) result += previous;
      previous = v;
    }
  }
  const sampled = last.t - first.t;
  if (sampled <= 0) return undefined;
  let toStart = first.t - rangeStart;
  const toEnd = rangeEnd - last.t;
  const average = sampled / (samples.length - 1);
  if (isCounter && result > 0 && first.v >= 0) {
    const toZero = sampled * (first.v / result);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  result *= interval / sampled;
  if (isRate) result /= rangeEnd - rangeStart;
  return result;
}

/** One cumulative bucket: its upper bound and the (rate of the) count at or below it. */
export interface Bucket {
  upper: number;
  count: number;
}

/**
 * `histogram_quantile` over one series' buckets: linear interpolation inside the bucket holding
 * the rank; NaN without a `+Inf` bucket or without observations, like Prometheus.
 */
export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const buckets = [...input].sort((a, b) => a.upper - b.upper);
  if (buckets.length < 2) return Number.NaN;
  if ((buckets[buckets.length - 1] as Bucket).upper !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Rates of neighbouring buckets can come out slightly non-monotonic through float error.
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    const before = buckets[i - 1] as Bucket;
    if (b.count < before.count) buckets[i] = { upper: b.upper, count: before.count };
  }
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (!(observations > 0)) return Number.NaN;
  let rank = q * observations;
  let index = buckets.findIndex((b) => b.count >= rank);
  if (index === -1) index = buckets.length - 1;
  if (index === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upper;
  const bucket = buckets[index] as Bucket;
  if (index === 0 && bucket.upper <= 0) return bucket.upper;
  let start = 0;
  let count = bucket.count;
  if (index > 0) {
    const before = buckets[index - 1] as Bucket;
    start = before.upper;
    count -= before.count;
    rank -= before.count;
  }
  return start + (bucket.upper - start) * (rank / count);
}
