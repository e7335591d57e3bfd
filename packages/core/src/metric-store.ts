// Core's own series store: the backend argus() attaches when no metrics adapter keeps series
// itself (an OTLP-only bot), so the dashboard, the SSE stream and OTLP read one snapshot. A
// bound series is a plain object: inc() and observe() touch a number and a Float64Array slot.
import type { MetricsSnapshot, SnapshotFamily, SnapshotHistogramSeries, SnapshotSeries } from './snapshot';
import type { BackendMetricDef, CounterSeries, HistogramSeries, LabelValues, MetricBackend } from './types';

class StoredCounter implements CounterSeries {
  value = 0;
  constructor(readonly labelValues: LabelValues) {}
  inc(value: number): void {
    this.value += value;
  }
}

class StoredHistogram implements HistogramSeries {
  sum = 0;
  count = 0;
  readonly counts: Float64Array;
  constructor(
    readonly labelValues: LabelValues,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

interface StoredFamily {
  def: BackendMetricDef;
  series: Map<string, StoredCounter | StoredHistogram>;
  info?: LabelValues;
}

/** The key of one label set; label values never contain U+0000 in practice, and a clash only merges. */
const keyOf = (labelValues: LabelValues): string => labelValues.join('\u0000');

/** A metric backend that only keeps values, for snapshots (no exposition format of its own). */
export class MetricStore implements MetricBackend {
  readonly name = 'store';
  private readonly families = new Map<string, StoredFamily>();

  define(def: BackendMetricDef): void {
    const existing = this.families.get(def.name);
    if (existing) existing.def = def;
    else this.families.set(def.name, { def, series: new Map() });
  }

  counterSeries(name: string, labelValues: LabelValues): CounterSeries {
    const family = this.families.get(name);
    const key = keyOf(labelValues);
    let series = family?.series.get(key);
    if (!series) {
      series = new StoredCounter([...labelValues]);
      family?.series.set(key, series);
    }
    return series as CounterSeries;
  }

  histogramSeries(name: string, labelValues: LabelValues): HistogramSeries {
    const family = this.families.get(name);
    const key = keyOf(labelValues);
    let series = family?.series.get(key);
    if (!series) {
      const bounds = family?.def.kind === 'histogram' ? family.def.buckets : [];
      series = new StoredHistogram([...labelValues], bounds);
      family?.series.set(key, series);
    }
    return series as HistogramSeries;
  }

  setInfo(name: string, labelValues: LabelValues): void {
    const family = this.families.get(name);
    if (family) family.info = [...labelValues];
  }

  /** Every metric now, in definition order; a gauge whose callback throws is left out (counted by the registry's guard). */
  snapshot(): MetricsSnapshot {
    const metrics: Record<string, SnapshotFamily> = {};
    for (const [name, { def, series, info }] of this.families) {
      const labelNames = [...def.labelNames];
      const help = def.help;
      if (def.kind === 'counter') {
        const out: SnapshotSeries[] = [];
        for (const s of series.values()) out.push([[...s.labelValues], (s as StoredCounter).value]);
        metrics[name] = { type: 'counter', help, labelNames, series: out };
      } else if (def.kind === 'histogram') {
        const out: SnapshotHistogramSeries[] = [];
        for (const s of series.values()) {
          const h = s as StoredHistogram;
          const buckets: number[] = [];
          let cumulative = 0;
          for (const c of h.counts) {
            cumulative += c;
            buckets.push(cumulative);
          }
          out.push([[...h.labelValues], buckets, h.sum, h.count]);
        }
        metrics[name] = {
          type: 'histogram',
          help,
          labelNames,
          le: [...def.buckets.map(String), '+Inf'],
          series: out,
        };
      } else if (def.kind === 'gauge') {
        const out: SnapshotSeries[] = [];
        if (def.read((value, labelValues) => out.push([[...labelValues], value])))
          metrics[name] = { type: 'gauge', help, labelNames, series: out };
      } else {
        metrics[name] = { type: 'info', help, labelNames, series: info ? [[[...info], 1]] : [] };
      }
    }
    return { time: Date.now(), metrics };
  }
}
