// One class per metric kind. Each is at once
//  - the adapter's own store of series state (plain number fields, Float64Array bucket counts),
//  - a fast renderer of that state into text / OpenMetrics lines from strings cached per series,
//  - and a prom-client collector: an object registered in the prom-client Registry whose `get()`
//    returns the `{ name, help, type, aggregator, values }` shape prom-client's own metrics return,
//    so `registry.metrics()`, `getMetricsAsJSON()`, cluster aggregation and the Pushgateway see
//    Argus metrics exactly like native ones.
import type { BackendMetricDef, CounterSeries, HistogramSeries, LabelValues } from '@argus/core';
import { escapeHelp, escapeLabelValue, formatLabels, formatValue } from './format';

type Def<K extends BackendMetricDef['kind']> = Extract<BackendMetricDef, { kind: K }>;
type Report = (hook: string, error: unknown) => void;
type LabelObject = Record<string, string | number>;

/** A sample as prom-client's Registry formats it (`metricName` defaults to the family name). */
export interface CollectedValue {
  value: number;
  labels: LabelObject;
  metricName?: string;
}

/** What prom-client's Registry reads from `get()` (the `MetricObjectWithValues` contract). */
export interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'info';
  aggregator: 'sum' | 'first';
  values: CollectedValue[];
}

function labelObject(names: readonly string[], values: LabelValues): LabelObject {
  const labels: LabelObject = {};
  for (let i = 0; i < names.length; i++) labels[names[i]!] = values[i]!;
  return labels;
}

function header(name: string, help: string, type: string, format: 'text' | 'openmetrics'): string {
  return `# HELP ${name} ${escapeHelp(help, format)}\n# TYPE ${name} ${type}\n`;
}

export abstract class Family {
  /** prom-client's collector type (info metrics are gauges to prom-client). */
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  abstract readonly aggregator: 'sum' | 'first';
  readonly help: string;
  readonly labelNames: readonly string[];
  /** The family's `# HELP` / `# TYPE` lines, per format. */
  protected abstract readonly textHeader: string;
  protected abstract readonly openMetricsHeader: string;

  constructor(
    readonly fullName: string,
    def: BackendMetricDef,
    private readonly isOpenMetricsRegistry: () => boolean,
    protected readonly report: Report,
  ) {
    this.help = def.help;
    this.labelNames = def.labelNames;
  }

  /**
   * The registry key. prom-client's `Registry.metrics()` renames counters in place when it
   * renders OpenMetrics (`metric.name = name.replace(/_total$/, '')`); the setter ignores that
   * so the text format and later lookups keep the real name.
   */
  get name(): string {
    return this.fullName;
  }
  set name(_renamedByRegistry: string) {}

  /** prom-client collector contract: called by `registry.metrics()` and `getMetricsAsJSON()`. */
  async get(): Promise<CollectedMetric> {
    const openMetrics = this.isOpenMetricsRegistry();
    try {
      const data = this.collect(openMetrics);
      if (data) return data;
    } catch (error) {
      this.report(`scrape:${this.fullName}`, error);
    }
    return { name: this.fullName, help: this.help, type: this.type, aggregator: this.aggregator, values: [] };
  }

  /** prom-client's `registry.resetMetrics()`; series stay bound, their values return to zero. */
  reset(): void {}

  /** The family in prom-client's `get()` shape for one format; null drops it from this scrape. */
  abstract collect(openMetrics: boolean): CollectedMetric | null;

  /** The fast path: the family's exposition (ending in a newline), or '' to drop it. */
  abstract render(openMetrics: boolean): string;

  /** Whether `def` can share this family's state (same kind, labels and buckets). */
  compatible(def: BackendMetricDef): boolean {
    if (def.kind !== this.kind) return false;
    const names = def.labelNames;
    if (names.length !== this.labelNames.length) return false;
    for (let i = 0; i < names.length; i++) if (names[i] !== this.labelNames[i]) return false;
    return true;
  }

  /** Takes over a compatible definition (a gauge reads through the newest reader). */
  adopt(_def: BackendMetricDef): void {}

  protected abstract readonly kind: BackendMetricDef['kind'];

  protected checkArity(labelValues: LabelValues): void {
    if (labelValues.length !== this.labelNames.length) {
      throw new RangeError(
        `@argus/prometheus: ${this.fullName} takes ${this.labelNames.length} label value(s) (${this.labelNames.join(', ')}), got ${labelValues.length}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Counter

export class CounterState implements CounterSeries {
  value = 0;
  constructor(
    /** `name{labels} `, built once. */
    readonly prefix: string,
    readonly labels: LabelObject,
  ) {}

  inc(value: number): void {
    this.value += value;
  }
}

export class CounterFamily extends Family {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  protected readonly kind = 'counter';
  protected readonly textHeader: string;
  protected readonly openMetricsHeader: string;
  /** OpenMetrics names the family without `_total`; its samples keep it. */
  private readonly baseName: string;
  private readonly series: CounterState[] = [];
  private readonly byKey = new Map<string, CounterState>();

  constructor(def: Def<'counter'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.baseName = def.name.replace(/_total$/, '');
    this.textHeader = header(def.name, def.help, 'counter', 'text');
    this.openMetricsHeader = header(this.baseName, def.help, 'counter', 'openmetrics');
  }

  seriesFor(labelValues: LabelValues): CounterState {
    this.checkArity(labelValues);
    const key = JSON.stringify(labelValues);
    let state = this.byKey.get(key);
    if (!state) {
      state = new CounterState(
        `${this.fullName}${formatLabels(this.labelNames, labelValues)} `,
        labelObject(this.labelNames, labelValues),
      );
      this.byKey.set(key, state);
      this.series.push(state);
    }
    return state;
  }

  render(openMetrics: boolean): string {
    let out = openMetrics ? this.openMetricsHeader : this.textHeader;
    const series = this.series;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      out += `${s.prefix}${formatValue(s.value)}\n`;
    }
    return out;
  }

  collect(openMetrics: boolean): CollectedMetric {
    const values: CollectedValue[] = [];
    for (const s of this.series) values.push({ value: s.value, labels: s.labels });
    // prom-client appends `_total` to counter samples in OpenMetrics, so hand it the base name there.
    const name = openMetrics ? this.baseName : this.fullName;
    return { name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }

  override reset(): void {
    for (const s of this.series) s.value = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Histogram

export class HistogramState implements HistogramSeries {
  /** Per-bucket (not cumulative) counts; the last slot is the +Inf-only bucket. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    /** The upper bounds followed by +Inf, shared by every series of the family. */
    private readonly bounds: Float64Array,
    /** `name_bucket{labels,le="..."} ` per bound including +Inf, then `name_sum{labels} `, `name_count{labels} `. */
    readonly prefixes: readonly string[],
    readonly labels: LabelObject,
    readonly bucketLabels: readonly LabelObject[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    // A short linear scan: ~10 bounds, and the +Inf sentinel ends it without a length check.
    const bounds = this.bounds;
    let i = 0;
    while (value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

export class HistogramFamily extends Family {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  protected readonly kind = 'histogram';
  protected readonly textHeader: string;
  protected readonly openMetricsHeader: string;
  readonly buckets: readonly number[];
  private readonly bounds: Float64Array;
  private readonly series: HistogramState[] = [];
  private readonly byKey = new Map<string, HistogramState>();

  constructor(def: Def<'histogram'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.buckets = def.buckets;
    this.bounds = Float64Array.from([...def.buckets, Number.POSITIVE_INFINITY]);
    this.textHeader = header(def.name, def.help, 'histogram', 'text');
    this.openMetricsHeader = header(def.name, def.help, 'histogram', 'openmetrics');
  }

  override compatible(def: BackendMetricDef): boolean {
    if (!super.compatible(def) || def.kind !== 'histogram') return false;
    return def.buckets.length === this.buckets.length && def.buckets.every((b, i) => b === this.buckets[i]);
  }

  seriesFor(labelValues: LabelValues): HistogramState {
    this.checkArity(labelValues);
    const key = JSON.stringify(labelValues);
    let state = this.byKey.get(key);
    if (!state) {
      const names = this.labelNames;
      const name = this.fullName;
      const labels = labelObject(names, labelValues);
      const prefixes: string[] = [];
      const bucketLabels: LabelObject[] = [];
      // `le` as prom-client spells it: the JS number, and "+Inf" for the last bucket.
      for (const bound of this.buckets) {
        prefixes.push(`${name}_bucket${formatLabels(names, labelValues, `le="${bound}"`)} `);
        bucketLabels.push({ ...labels, le: bound });
      }
      prefixes.push(`${name}_bucket${formatLabels(names, labelValues, 'le="+Inf"')} `);
      bucketLabels.push({ ...labels, le: '+Inf' });
      const plain = formatLabels(names, labelValues);
      prefixes.push(`${name}_sum${plain} `, `${name}_count${plain} `);
      state = new HistogramState(this.bounds, prefixes, labels, bucketLabels);
      this.byKey.set(key, state);
      this.series.push(state);
    }
    return state;
  }

  render(openMetrics: boolean): string {
    let out = openMetrics ? this.openMetricsHeader : this.textHeader;
    const series = this.series;
    const n = this.bounds.length;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      const prefixes = s.prefixes;
      const counts = s.counts;
      let cumulative = 0;
      for (let b = 0; b < n; b++) {
        cumulative += counts[b]!;
        out += `${prefixes[b]}${cumulative}\n`;
      }
      out += `${prefixes[n]}${formatValue(s.sum)}\n${prefixes[n + 1]}${s.count}\n`;
    }
    return out;
  }

  collect(): CollectedMetric {
    const name = this.fullName;
    const values: CollectedValue[] = [];
    for (const s of this.series) {
      let cumulative = 0;
      for (let b = 0; b < s.counts.length; b++) {
        cumulative += s.counts[b]!;
        values.push({ value: cumulative, labels: s.bucketLabels[b]!, metricName: `${name}_bucket` });
      }
      values.push(
        { value: s.sum, labels: s.labels, metricName: `${name}_sum` },
        { value: s.count, labels: s.labels, metricName: `${name}_count` },
      );
    }
    return { name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  override reset(): void {
    for (const s of this.series) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Gauge: read at scrape time through core's guarded reader; never stored.

export class GaugeFamily extends Family {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  protected readonly kind = 'gauge';
  protected readonly textHeader: string;
  protected readonly openMetricsHeader: string;
  private read: Def<'gauge'>['read'];
  /** `{name="` / `,name="` per label, so a sample line is a few concatenations. */
  private readonly labelOpeners: readonly string[];
  private lines = '';
  private readonly appendLine = (value: number, labelValues: LabelValues): void => {
    const openers = this.labelOpeners;
    let line = this.fullName;
    for (let i = 0; i < openers.length; i++)
      line += `${openers[i]}${escapeLabelValue(String(labelValues[i]))}"`;
    this.lines += `${line}${openers.length > 0 ? '} ' : ' '}${formatValue(value)}\n`;
  };

  constructor(def: Def<'gauge'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.read = def.read;
    this.labelOpeners = def.labelNames.map((label, i) => `${i === 0 ? '{' : ','}${label}="`);
    this.textHeader = header(def.name, def.help, 'gauge', 'text');
    this.openMetricsHeader = header(def.name, def.help, 'gauge', 'openmetrics');
  }

  override adopt(def: BackendMetricDef): void {
    if (def.kind === 'gauge') this.read = def.read;
  }

  render(openMetrics: boolean): string {
    this.lines = '';
    // `read` runs the callback inside core's guard; false means it threw (already counted as
    // scrape:<name>), and the whole gauge, including samples emitted before the throw, is dropped.
    const ok = this.read(this.appendLine);
    const lines = this.lines;
    this.lines = '';
    if (!ok) return '';
    return (openMetrics ? this.openMetricsHeader : this.textHeader) + lines;
  }

  collect(): CollectedMetric | null {
    const values: CollectedValue[] = [];
    const names = this.labelNames;
    const ok = this.read((value, labelValues) => {
      values.push({ value, labels: labelObject(names, labelValues) });
    });
    if (!ok) return null;
    return { name: this.fullName, help: this.help, type: 'gauge', aggregator: 'sum', values };
  }
}

// ---------------------------------------------------------------------------------------------
// Info: one sample of value 1. A gauge in the text format; the `info` type in OpenMetrics,
// where the family is named without `_info` and its sample keeps the suffix.

export class InfoFamily extends Family {
  readonly type = 'gauge';
  readonly aggregator = 'first';
  protected readonly kind = 'info';
  protected readonly textHeader: string;
  protected readonly openMetricsHeader: string;
  private readonly baseName: string;
  private sample = '';
  private labels: LabelObject | undefined;

  constructor(def: Def<'info'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.baseName = def.name.replace(/_info$/, '');
    this.textHeader = header(def.name, def.help, 'gauge', 'text');
    this.openMetricsHeader = header(this.baseName, def.help, 'info', 'openmetrics');
  }

  set(labelValues: LabelValues): void {
    this.checkArity(labelValues);
    this.sample = `${this.fullName}${formatLabels(this.labelNames, labelValues)} 1\n`;
    this.labels = labelObject(this.labelNames, labelValues);
  }

  render(openMetrics: boolean): string {
    return (openMetrics ? this.openMetricsHeader : this.textHeader) + this.sample;
  }

  collect(openMetrics: boolean): CollectedMetric {
    const values: CollectedValue[] = this.labels
      ? [{ value: 1, labels: this.labels, ...(openMetrics ? { metricName: this.fullName } : {}) }]
      : [];
    return openMetrics
      ? { name: this.baseName, help: this.help, type: 'info', aggregator: 'first', values }
      : { name: this.fullName, help: this.help, type: 'gauge', aggregator: 'first', values };
  }
}
