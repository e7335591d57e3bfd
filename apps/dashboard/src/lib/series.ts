// Selecting samples out of snapshots and turning counters into windowed increases and rates.
//
// Counters: the increase between two frames is summed per series over every adjacent pair of
// frames, so a counter reset (the bot restarted) clamps that step to 0 instead of going
// negative. A series that appears between two frames was created (at 0) in that step, so its
// whole value counts as increase.

import type { Frame } from './buffer';
import { type Bucket, histogramQuantile, parseLe } from './quantile';
import type { Labels, Sample } from './types';

/** Label equality constraints; a `null`/`undefined` value means "any". */
export type Match = Readonly<Record<string, string | null | undefined>>;

export function matches(labels: Labels, match?: Match): boolean {
  if (!match) return true;
  for (const key in match) {
    const want = match[key];
    if (want === null || want === undefined) continue;
    // Samples without a `cluster` label (e.g. process metrics) belong to every cluster.
    const have = labels[key];
    if (have === undefined && key === 'cluster') continue;
    if (have !== want) return false;
  }
  return true;
}

function seriesKey(s: Sample): string {
  const keys = Object.keys(s.labels).sort();
  let k = s.name;
  for (const key of keys) k += `\u0000${key}\u0001${s.labels[key]}`;
  return k;
}

/** The samples of a family, optionally only those with a given sample name. */
export function samplesOf(
  frame: Frame | undefined,
  metric: string,
  sampleName?: string,
  match?: Match,
): Sample[] {
  const fam = frame?.snap.metrics[metric];
  if (!fam) return [];
  const out: Sample[] = [];
  for (const s of fam.samples) {
    if (sampleName !== undefined && s.name !== sampleName) continue;
    if (!matches(s.labels, match)) continue;
    out.push(s);
  }
  return out;
}

/** Sum of a gauge's matching samples; null when there are none. */
export function gaugeSum(frame: Frame | undefined, metric: string, match?: Match): number | null {
  const ss = samplesOf(frame, metric, undefined, match);
  if (ss.length === 0) return null;
  let sum = 0;
  for (const s of ss) sum += s.value;
  return sum;
}

export function gaugeMax(frame: Frame | undefined, metric: string, match?: Match): number | null {
  const ss = samplesOf(frame, metric, undefined, match);
  if (ss.length === 0) return null;
  return Math.max(...ss.map((s) => s.value));
}

/** Gauge values summed by the values of `label`. */
export function gaugeBy(
  frame: Frame | undefined,
  metric: string,
  label: string,
  match?: Match,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samplesOf(frame, metric, undefined, match)) {
    const k = s.labels[label] ?? '';
    out.set(k, (out.get(k) ?? 0) + s.value);
  }
  return out;
}

/** Distinct values of `label` across the samples of some metrics in a frame. */
export function labelValues(frame: Frame | undefined, label: string, metrics?: readonly string[]): string[] {
  const out = new Set<string>();
  if (!frame) return [];
  const names = metrics ?? Object.keys(frame.snap.metrics);
  for (const m of names) {
    const fam = frame.snap.metrics[m];
    if (!fam) continue;
    for (const s of fam.samples) {
      const v = s.labels[label];
      if (v !== undefined) out.add(v);
    }
  }
  return [...out].sort();
}

interface Indexed {
  labels: Labels;
  value: number;
}

/** The samples of one sample name, keyed by series (memoised per frame). */
function indexOf(frame: Frame, metric: string, sampleName: string): Map<string, Indexed> {
  const key = `idx\u0000${metric}\u0000${sampleName}`;
  let idx = frame.cache.get(key) as Map<string, Indexed> | undefined;
  if (idx) return idx;
  idx = new Map();
  const fam = frame.snap.metrics[metric];
  if (fam) {
    for (const s of fam.samples)
      if (s.name === sampleName) idx.set(seriesKey(s), { labels: s.labels, value: s.value });
  }
  frame.cache.set(key, idx);
  return idx;
}

export interface StepDelta {
  labels: Labels;
  delta: number;
}

/**
 * Per-series increase of a counter-like sample from `frame.prev` to `frame` (memoised);
 * null for a frame with no predecessor.
 */
export function stepIncreases(frame: Frame, metric: string, sampleName = metric): StepDelta[] | null {
  const prev = frame.prev;
  if (!prev) return null;
  const key = `step\u0000${metric}\u0000${sampleName}`;
  let out = frame.cache.get(key) as StepDelta[] | undefined;
  if (out) return out;
  out = [];
  const before = indexOf(prev, metric, sampleName);
  for (const [k, cur] of indexOf(frame, metric, sampleName)) {
    const old = before.get(k);
    // New series: created at 0 during this step. Lower than before: a reset, clamped to 0.
    const delta = old === undefined ? cur.value : cur.value >= old.value ? cur.value - old.value : 0;
    if (delta > 0) out.push({ labels: cur.labels, delta });
  }
  frame.cache.set(key, out);
  return out;
}

export interface IncreaseOptions {
  /** Sample name (default: the metric name; `<base>_count` etc. for histograms). */
  sample?: string;
  match?: Match;
  /** Group by these labels (default: one group, key ''). */
  by?: readonly string[];
  /** Keeps only the series this accepts (after `match`). */
  filter?: (labels: Labels) => boolean;
}

const accepts = (labels: Labels, opts: IncreaseOptions) =>
  matches(labels, opts.match) && (!opts.filter || opts.filter(labels));

const SEP = '\u0001';

export function groupKey(labels: Labels, by: readonly string[] | undefined): string {
  if (!by || by.length === 0) return '';
  let k = labels[by[0]!] ?? '';
  for (let i = 1; i < by.length; i++) k += SEP + (labels[by[i]!] ?? '');
  return k;
}

export function splitKey(key: string): string[] {
  return key.split(SEP);
}

/** Seconds spanned by a window of frames (0 with fewer than two). */
export function spanSeconds(frames: readonly Frame[]): number {
  if (frames.length < 2) return 0;
  return (frames[frames.length - 1]!.t - frames[0]!.t) / 1000;
}

/** Increase of a counter over the frames (first frame is the baseline), grouped. */
export function increase(
  frames: readonly Frame[],
  metric: string,
  opts: IncreaseOptions = {},
): Map<string, number> {
  const out = new Map<string, number>();
  const sample = opts.sample ?? metric;
  for (let i = 1; i < frames.length; i++) {
    const frame = frames[i]!;
    // Only count steps whose baseline is inside the window.
    if (frame.prev !== frames[i - 1]) continue;
    const steps = stepIncreases(frame, metric, sample);
    if (!steps) continue;
    for (const s of steps) {
      if (!accepts(s.labels, opts)) continue;
      const k = groupKey(s.labels, opts.by);
      out.set(k, (out.get(k) ?? 0) + s.delta);
    }
  }
  return out;
}

/** Total increase over the frames (all groups summed). */
export function increaseTotal(frames: readonly Frame[], metric: string, opts: IncreaseOptions = {}): number {
  let sum = 0;
  for (const v of increase(frames, metric, { ...opts, by: undefined }).values()) sum += v;
  return sum;
}

/** Per-second rate over the window, grouped; an empty map when the window has no span. */
export function rate(
  frames: readonly Frame[],
  metric: string,
  opts: IncreaseOptions = {},
): Map<string, number> {
  const span = spanSeconds(frames);
  const out = new Map<string, number>();
  if (span <= 0) return out;
  for (const [k, v] of increase(frames, metric, opts)) out.set(k, v / span);
  return out;
}

/** Per-second rate of all matching series over the window; null when the window has no span. */
export function rateTotal(
  frames: readonly Frame[],
  metric: string,
  opts: IncreaseOptions = {},
): number | null {
  const span = spanSeconds(frames);
  if (span <= 0) return null;
  return increaseTotal(frames, metric, opts) / span;
}

/** Time series for charts: x in seconds since the epoch (uPlot's time scale), one array per group. */
export interface TimeSeries {
  x: number[];
  groups: Map<string, (number | null)[]>;
}

/**
 * Per-step rate (increase / seconds between frames) of a counter, grouped. The first point
 * is null (no step yet), as is any step whose baseline was evicted.
 */
export function rateSeries(frames: readonly Frame[], metric: string, opts: IncreaseOptions = {}): TimeSeries {
  const sample = opts.sample ?? metric;
  const x = frames.map((f) => f.t / 1000);
  const groups = new Map<string, (number | null)[]>();
  const seen = new Set<string>();
  // Discover every group first so each array is full length.
  for (const f of frames) {
    for (const s of samplesOf(f, metric, sample, opts.match)) seen.add(groupKey(s.labels, opts.by));
  }
  // Ungrouped, a defined counter with no series yet is a flat 0 (nothing happened), not "no data".
  if ((!opts.by || opts.by.length === 0) && frames.some((f) => f.snap.metrics[metric])) seen.add('');
  for (const g of seen) groups.set(g, new Array<number | null>(frames.length).fill(null));
  for (let i = 1; i < frames.length; i++) {
    const f = frames[i]!;
    if (f.prev !== frames[i - 1]) continue;
    const dt = (f.t - f.prev.t) / 1000;
    if (dt <= 0) continue;
    for (const arr of groups.values()) arr[i] = 0;
    for (const s of stepIncreases(f, metric, sample) ?? []) {
      if (!accepts(s.labels, opts)) continue;
      const arr = groups.get(groupKey(s.labels, opts.by));
      if (arr) arr[i] = (arr[i] ?? 0) + s.delta / dt;
    }
  }
  return { x, groups };
}

/** A gauge over time: per frame, the sum of matching samples in each group (null if absent). */
export function gaugeSeries(
  frames: readonly Frame[],
  metric: string,
  opts: Omit<IncreaseOptions, 'sample'> = {},
): TimeSeries {
  const x = frames.map((f) => f.t / 1000);
  const groups = new Map<string, (number | null)[]>();
  frames.forEach((f, i) => {
    for (const s of samplesOf(f, metric, undefined, opts.match)) {
      const g = groupKey(s.labels, opts.by);
      let arr = groups.get(g);
      if (!arr) {
        arr = new Array<number | null>(frames.length).fill(null);
        groups.set(g, arr);
      }
      arr[i] = (arr[i] ?? 0) + s.value;
    }
  });
  return { x, groups };
}

/**
 * Histogram bucket increases over the window, grouped (the `le` label is always split out).
 * Returns, per group, cumulative buckets ready for `histogramQuantile`.
 */
export function bucketIncreases(
  frames: readonly Frame[],
  base: string,
  opts: Omit<IncreaseOptions, 'sample'> = {},
): Map<string, Bucket[]> {
  const by = [...(opts.by ?? []), 'le'];
  const flat = increase(frames, base, { sample: `${base}_bucket`, match: opts.match, by });
  // Every bucket bound seen in the newest frame, so empty buckets count as 0, not missing.
  const bounds = new Map<string, Set<string>>();
  const last = frames[frames.length - 1];
  for (const s of samplesOf(last, base, `${base}_bucket`, opts.match)) {
    const g = groupKey(s.labels, opts.by);
    let set = bounds.get(g);
    if (!set) {
      set = new Set();
      bounds.set(g, set);
    }
    set.add(s.labels.le ?? '');
  }
  const out = new Map<string, Bucket[]>();
  for (const [g, les] of bounds) {
    const list: Bucket[] = [];
    for (const le of les) {
      const k = opts.by && opts.by.length > 0 ? `${g}${SEP}${le}` : le;
      list.push({ le: parseLe(le), count: flat.get(k) ?? 0 });
    }
    out.set(
      g,
      list.filter((b) => !Number.isNaN(b.le)).sort((a, b) => a.le - b.le),
    );
  }
  return out;
}

/** The q-quantile per group over the window; NaN where nothing was observed. */
export function quantiles(
  frames: readonly Frame[],
  base: string,
  q: number,
  opts: Omit<IncreaseOptions, 'sample'> = {},
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [g, buckets] of bucketIncreases(frames, base, opts)) out.set(g, histogramQuantile(q, buckets));
  return out;
}

/** The q-quantile over the window of every matching series together. */
export function quantile(frames: readonly Frame[], base: string, q: number, match?: Match): number {
  return quantiles(frames, base, q, { match }).get('') ?? Number.NaN;
}

export interface Sliding {
  /** Per frame, the grouped increase over the trailing window ending at it (null: no step yet). */
  values: (Map<string, number> | null)[];
  /** Per frame, the seconds that window actually spans. */
  spans: number[];
}

/**
 * Grouped counter increases over a trailing window ending at every frame, with running sums
 * (one pass over the step increases instead of one window computation per frame).
 */
export function slidingIncreases(
  frames: readonly Frame[],
  metric: string,
  windowMs: number,
  opts: IncreaseOptions = {},
): Sliding {
  const sample = opts.sample ?? metric;
  const steps: Map<string, number>[] = frames.map((f, i) => {
    const m = new Map<string, number>();
    if (i === 0 || f.prev !== frames[i - 1]) return m;
    for (const s of stepIncreases(f, metric, sample) ?? []) {
      if (!accepts(s.labels, opts)) continue;
      const k = groupKey(s.labels, opts.by);
      m.set(k, (m.get(k) ?? 0) + s.delta);
    }
    return m;
  });
  const values: (Map<string, number> | null)[] = [];
  const spans: number[] = [];
  const acc = new Map<string, number>();
  let start = 1; // first step inside the window: step j goes from frame j-1 to frame j
  for (let i = 0; i < frames.length; i++) {
    if (i >= 1) for (const [k, v] of steps[i]!) acc.set(k, (acc.get(k) ?? 0) + v);
    const edge = frames[i]!.t - windowMs;
    while (start <= i && frames[start]!.t <= edge) {
      for (const [k, v] of steps[start]!) acc.set(k, Math.max(0, (acc.get(k) ?? 0) - v));
      start++;
    }
    if (start > i || i === 0) {
      values.push(null);
      spans.push(0);
      continue;
    }
    values.push(new Map(acc));
    spans.push((frames[i]!.t - frames[start - 1]!.t) / 1000);
  }
  return { values, spans };
}

/**
 * Trailing-window histograms ending at every frame, per group, from one pass over the bucket
 * increases: per group, per frame, cumulative buckets (null before the first step). Every bucket
 * bound takes part, as 0 when it did not move, so interpolation starts from the right bound.
 */
export function slidingBuckets(
  frames: readonly Frame[],
  base: string,
  windowMs: number,
  opts: Omit<IncreaseOptions, 'sample'> = {},
): Map<string, (Bucket[] | null)[]> {
  const by = opts.by ?? [];
  const { values } = slidingIncreases(frames, base, windowMs, {
    sample: `${base}_bucket`,
    match: opts.match,
    filter: opts.filter,
    by: [...by, 'le'],
  });
  const bounds = new Map<string, Map<string, number>>();
  const boundsOf = (g: string) => {
    let b = bounds.get(g);
    if (!b) {
      b = new Map();
      bounds.set(g, b);
    }
    return b;
  };
  for (const s of samplesOf(frames[frames.length - 1], base, `${base}_bucket`, opts.match)) {
    if (opts.filter && !opts.filter(s.labels)) continue;
    const le = s.labels.le ?? '';
    boundsOf(groupKey(s.labels, by)).set(le, parseLe(le));
  }
  const split = (key: string): [string, string] => {
    if (by.length === 0) return ['', key];
    const i = key.lastIndexOf(SEP);
    return [key.slice(0, i), key.slice(i + 1)];
  };
  for (const m of values) {
    if (!m) continue;
    for (const k of m.keys()) {
      const [g, le] = split(k);
      boundsOf(g).set(le, parseLe(le));
    }
  }
  const out = new Map<string, (Bucket[] | null)[]>();
  for (const [g, les] of bounds) {
    const list = [...les].filter(([, v]) => !Number.isNaN(v)).sort((a, b) => a[1] - b[1]);
    out.set(
      g,
      values.map((m) => {
        if (!m) return null;
        return list.map(([le, bound]) => ({
          le: bound,
          count: m.get(by.length === 0 ? le : `${g}${SEP}${le}`) ?? 0,
        }));
      }),
    );
  }
  return out;
}

/** Quantiles over a trailing window ending at every frame (null where nothing was observed). */
export function slidingQuantiles(
  frames: readonly Frame[],
  base: string,
  qs: readonly number[],
  windowMs: number,
  match?: Match,
): (number | null)[][] {
  const buckets = slidingBuckets(frames, base, windowMs, { match }).get('');
  return qs.map((q) =>
    frames.map((_, i) => {
      const b = buckets?.[i];
      if (!b) return null;
      const v = histogramQuantile(q, b);
      return Number.isNaN(v) ? null : v;
    }),
  );
}

/** One quantile over a trailing window ending at every frame. */
export function slidingQuantile(
  frames: readonly Frame[],
  base: string,
  q: number,
  windowMs: number,
  match?: Match,
): (number | null)[] {
  return slidingQuantiles(frames, base, [q], windowMs, match)[0]!;
}
