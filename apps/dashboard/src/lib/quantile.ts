// Prometheus-style `histogram_quantile` over cumulative bucket counts.

export interface Bucket {
  /** Upper bound; Infinity for `+Inf`. */
  le: number;
  /** Cumulative count of observations <= le. */
  count: number;
}

/** Parses an `le` label: a number, or `+Inf` / `Inf`. NaN when it is neither. */
export function parseLe(le: string | undefined): number {
  if (le === undefined) return Number.NaN;
  const s = le.trim();
  if (s === '+Inf' || s === 'Inf' || s === 'inf' || s === '+inf') return Number.POSITIVE_INFINITY;
  if (s === '') return Number.NaN;
  return Number(s);
}

/**
 * The q-quantile of a histogram, as Prometheus computes it:
 * - buckets are sorted by `le`; counts are made monotonic (a reset inside a window can break that);
 * - the total is the `+Inf` bucket (without one, the largest bucket);
 * - the rank `q * total` falls in the first bucket whose count reaches it, and the answer is
 *   interpolated linearly inside that bucket, from the previous bound (0 for the first bucket);
 * - a rank inside `+Inf` answers the largest finite bound.
 * NaN when there are no observations or no buckets; -Inf / +Inf for q < 0 / q > 1.
 */
export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  const buckets = input.filter((b) => !Number.isNaN(b.le) && Number.isFinite(b.count));
  if (buckets.length === 0) return Number.NaN;
  buckets.sort((a, b) => a.le - b.le);
  // Make counts monotonic, like Prometheus' ensureMonotonic.
  let max = 0;
  const sorted = buckets.map((b) => {
    max = Math.max(max, b.count);
    return { le: b.le, count: max };
  });
  const last = sorted[sorted.length - 1]!;
  const total = last.count;
  if (!(total > 0)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const rank = q * total;
  let i = 0;
  while (i < sorted.length - 1 && sorted[i]!.count < rank) i++;
  const b = sorted[i]!;
  if (b.le === Number.POSITIVE_INFINITY) {
    // The rank lies in the open-ended bucket: the best answer is the largest finite bound.
    return sorted.length > 1 ? sorted[sorted.length - 2]!.le : Number.NaN;
  }
  const lower = i === 0 ? 0 : sorted[i - 1]!.le;
  const below = i === 0 ? 0 : sorted[i - 1]!.count;
  if (i === 0 && b.le <= 0) return b.le;
  const inBucket = b.count - below;
  if (inBucket <= 0) return b.le;
  return lower + (b.le - lower) * ((rank - below) / inBucket);
}

/** The fraction of observations at or below `bound` (exact when `bound` is a bucket bound). */
export function fractionAtOrBelow(bound: number, input: readonly Bucket[]): number {
  const buckets = [...input].filter((b) => !Number.isNaN(b.le)).sort((a, b) => a.le - b.le);
  if (buckets.length === 0) return Number.NaN;
  const total = buckets[buckets.length - 1]!.count;
  if (!(total > 0)) return Number.NaN;
  let below = 0;
  let lower = 0;
  for (const b of buckets) {
    if (b.le === bound) return b.count / total;
    if (b.le > bound) {
      if (b.le === Number.POSITIVE_INFINITY) return below / total;
      // Interpolate inside the bucket, as histogram_quantile does.
      return (below + (b.count - below) * ((bound - lower) / (b.le - lower))) / total;
    }
    below = b.count;
    lower = b.le;
  }
  return 1;
}
