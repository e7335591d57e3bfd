import type { MetricsSnapshot } from '@argus/core';
import { type Sample, SampleRing } from './sample-ring';

export type Labels = Readonly<Record<string, string>>;

/** How far back every sample is kept; older history is kept one sample per COARSE_STEP. */
const FINE_SPAN_SECONDS = 3600;
const COARSE_STEP_SECONDS = 300;

interface StoredSeries {
  labels: Labels;
  fine: SampleRing;
  coarse: SampleRing | undefined;
  /** Time of the latest ingest that carried this series. */
  seen: number;
}

/** A series' identity: its sorted label pairs (empty values dropped, as Prometheus drops them). */
export function labelKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

function matches(labels: Labels, match: Labels | undefined): boolean {
  if (!match) return true;
  for (const name in match) if ((labels[name] ?? '') !== match[name]) return false;
  return true;
}

/**
 * The recent history of the metrics the rules read, fed one snapshot per tick. Histograms are
 * stored as their `_bucket` series with an `le` label, like a scrape stores them.
 */
export class SampleStore {
  private readonly series = new Map<string, Map<string, StoredSeries>>();
  private readonly wanted: ReadonlySet<string>;
  private readonly fineCapacity: number;
  private readonly coarseCapacity: number;
  private readonly keepSeconds: number;
  /** Time of the latest ingest, in seconds. */
  now = Number.NEGATIVE_INFINITY;

  constructor(wanted: Iterable<string>, longestWindowSeconds: number, intervalSeconds: number) {
    this.wanted = new Set(wanted);
    this.keepSeconds = longestWindowSeconds + intervalSeconds;
    this.fineCapacity = Math.ceil(Math.min(longestWindowSeconds, FINE_SPAN_SECONDS) / intervalSeconds) + 2;
    this.coarseCapacity =
      longestWindowSeconds > FINE_SPAN_SECONDS
        ? Math.ceil(longestWindowSeconds / COARSE_STEP_SECONDS) + 2
        : 0;
  }

  /** How many series are held, for tests and the benchmark. */
  get size(): number {
    let n = 0;
    for (const m of this.series.values()) n += m.size;
    return n;
  }

  ingest(snapshot: MetricsSnapshot): void {
    const t = snapshot.time / 1000;
    if (!(t > this.now)) return;
    this.now = t;
    for (const [name, family] of Object.entries(snapshot.metrics)) {
      if (family.type === 'histogram') {
        const bucketName = `${name}_bucket`;
        if (!this.wanted.has(bucketName)) continue;
        for (const [values, buckets] of family.series) {
          const labels = labelsOf(family.labelNames, values);
          for (let i = 0; i < family.le.length; i++) {
            const value = buckets[i];
            if (value === undefined) continue;
            this.add(bucketName, { ...labels, le: family.le[i] as string }, t, value);
          }
        }
        continue;
      }
      if (!this.wanted.has(name)) continue;
      for (const [values, value] of family.series)
        this.add(name, labelsOf(family.labelNames, values), t, value);
    }
    this.evict(t);
  }

  private add(name: string, labels: Labels, t: number, v: number): void {
    let bySeries = this.series.get(name);
    if (!bySeries) {
      bySeries = new Map();
      this.series.set(name, bySeries);
    }
    const key = labelKey(labels);
    let stored = bySeries.get(key);
    if (!stored) {
      stored = {
        labels,
        fine: new SampleRing(this.fineCapacity),
        coarse: this.coarseCapacity > 0 ? new SampleRing(this.coarseCapacity) : undefined,
        seen: t,
      };
      bySeries.set(key, stored);
    }
    stored.seen = t;
    stored.fine.push(t, v);
    if (stored.coarse && t - stored.coarse.lastTime() >= COARSE_STEP_SECONDS) stored.coarse.push(t, v);
  }

  private evict(now: number): void {
    for (const [name, bySeries] of this.series) {
      for (const [key, stored] of bySeries) if (now - stored.seen > this.keepSeconds) bySeries.delete(key);
      if (bySeries.size === 0) this.series.delete(name);
    }
  }

  /** The series present in the latest ingest, with their current value. */
  *instant(metric: string, match?: Labels): Generator<{ labels: Labels; value: number }> {
    for (const stored of this.series.get(metric)?.values() ?? []) {
      if (stored.seen !== this.now || !matches(stored.labels, match)) continue;
      yield { labels: stored.labels, value: stored.fine.lastValue() };
    }
  }

  /** Every series' samples in `[now - window, now]`, full resolution where still held. */
  *range(
    metric: string,
    match: Labels | undefined,
    windowSeconds: number,
  ): Generator<{ labels: Labels; samples: Sample[] }> {
    const from = this.now - windowSeconds;
    for (const stored of this.series.get(metric)?.values() ?? []) {
      if (!matches(stored.labels, match)) continue;
      const samples: Sample[] = [];
      if (stored.coarse && stored.fine.firstTime() > from) {
        stored.coarse.collect(from, stored.fine.firstTime() - 1e-9, samples);
      }
      stored.fine.collect(from, this.now, samples);
      if (samples.length > 0) yield { labels: stored.labels, samples };
    }
  }
}

function labelsOf(names: readonly string[], values: readonly string[]): Labels {
  const labels: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const value = values[i];
    if (value) labels[names[i] as string] = value;
  }
  return labels;
}
