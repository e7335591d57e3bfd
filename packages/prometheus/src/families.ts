// One class per metric kind. Each is at once
//  - the adapter's own store of series state (plain number fields, Float64Array bucket counts),
//  - a fast renderer of that state into text / OpenMetrics lines from strings cached per series,
//  - and a prom-client collector: an object registered in the prom-client Registry whose `get()`
//    returns the `{ name, help, type, aggregator, values }` shape prom-client's own metrics return,
//    so `registry.metrics()`, `getMetricsAsJSON()`, cluster aggregation and the Pushgateway see
//    Argus metrics exactly like native ones.
import type {
  BackendMetricDef,
  CounterSeries,
  HistogramSeries,
  LabelValues,
  SnapshotFamily,
  SnapshotHistogramSeries,
  SnapshotSeries,
} from '@argus/core';
import {
  escapeHelp,
  escapeLabelValue,
  flatten,
  formatLabels,
  formatValue,
  labelPairs,
  parseLabelPairs,
} from './format';
import { type ExpositionBuffer, isAscii, utf8 } from './internal/exposition-buffer';

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

/** The label object of a series, read back from the label pairs it renders. */
function labelsFromPairs(names: readonly string[], pairs: string): LabelObject {
  return names.length === 0 ? {} : labelObject(names, parseLabelPairs(names, pairs));
}

// A family renders as its header, then sample lines that each start with a newline (the one
// that ends the line before), then a final newline. Counters and histograms append flat strings
// cached per series and family to one rope, with the value as the last piece of a line, so no
// string is built per line; for bytes, they write the same pieces, encoded once, into the
// exposition buffer, so no string is built at all.

/**
 * The `# HELP` and `# TYPE` lines without the final newline, per format: one string when both
 * formats spell them the same.
 */
function headers(
  help: string,
  name: string,
  type: string,
  openMetricsName = name,
  openMetricsType = type,
): { text: string; openMetrics: string } {
  // Left as ropes: a few per family, their long parts (name, help) shared with core's definition.
  const text = `# HELP ${name} ${escapeHelp(help, 'text')}\n# TYPE ${name} ${type}`;
  const openMetrics = `# HELP ${openMetricsName} ${escapeHelp(help, 'openmetrics')}\n# TYPE ${openMetricsName} ${openMetricsType}`;
  return { text, openMetrics: openMetrics === text ? text : openMetrics };
}

interface HeaderBytes {
  text: Uint8Array;
  openMetrics: Uint8Array;
}

/** The header lines of both formats as UTF-8. */
function headerBytes(head: { text: string; openMetrics: string }): HeaderBytes {
  const text = utf8(head.text);
  return { text, openMetrics: head.openMetrics === head.text ? text : utf8(head.openMetrics) };
}

/** Series' per-bucket counts are views into slabs of this many series or fewer (the family's size so far). */
const MAX_SLAB_SERIES = 256;

export abstract class Family {
  /** prom-client's collector type (info metrics are gauges to prom-client). */
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  abstract readonly aggregator: 'sum' | 'first';
  readonly help: string;
  readonly labelNames: readonly string[];
  /** The family's `# HELP` / `# TYPE` lines, per format, without the final newline. */
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

  /** The fast path for text: the family's exposition (ending in a newline), or '' to drop it. */
  abstract render(openMetrics: boolean): string;

  /**
   * The fast path for bytes: writes what `render` returns into `out`, or nothing to drop it.
   * Families with many lines write pre-encoded bytes instead of building the string.
   */
  write(out: ExpositionBuffer, openMetrics: boolean): void {
    const text = this.render(openMetrics);
    if (text !== '') out.text(text);
  }

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

  /** The dashboard's view of this family, straight from the stored state; null when a gauge failed. */
  abstract snapshot(): SnapshotFamily | null;

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
    /** `\nname{labels} `, built once, flat: the sample line before its value. */
    readonly prefix: string,
    /** The label values as bound (a reference, not a copy), for the dashboard snapshot. */
    readonly values: LabelValues,
    /** The label object prom-client reads: built from `prefix` on the first `collect()`, not before. */
    public labels: LabelObject | undefined = undefined,
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
  /**
   * In binding order, keyed by prefix: escaped label values are exact (two label sets never
   * share one), and the prefix is kept anyway, so the key costs no string of its own.
   */
  private readonly series = new Map<string, CounterState>();
  private readonly head: HeaderBytes;
  /** Whether every series' prefix is ASCII, so it can be copied into bytes as it is. */
  private ascii = true;

  constructor(def: Def<'counter'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.baseName = def.name.replace(/_total$/, '');
    const head = headers(def.help, def.name, 'counter', this.baseName);
    this.textHeader = head.text;
    this.openMetricsHeader = head.openMetrics;
    this.head = headerBytes(head);
  }

  seriesFor(labelValues: LabelValues): CounterState {
    this.checkArity(labelValues);
    const prefix = `\n${this.fullName}${formatLabels(this.labelNames, labelValues)} `;
    let state = this.series.get(prefix);
    if (!state) {
      const flat = flatten(prefix);
      // Written from the string at each scrape: one line per series is not worth a copy in bytes.
      if (!isAscii(flat)) this.ascii = false;
      state = new CounterState(flat, labelValues);
      this.series.set(flat, state);
    }
    return state;
  }

  render(openMetrics: boolean): string {
    let out = openMetrics ? this.openMetricsHeader : this.textHeader;
    for (const s of this.series.values()) {
      out += s.prefix;
      out += formatValue(s.value);
    }
    return `${out}\n`;
  }

  override write(out: ExpositionBuffer, openMetrics: boolean): void {
    const ascii = this.ascii;
    out.bytes(openMetrics ? this.head.openMetrics : this.head.text);
    for (const s of this.series.values()) {
      if (ascii) out.asciiText(s.prefix);
      else out.text(s.prefix);
      out.number(s.value);
    }
    out.newline();
  }

  collect(openMetrics: boolean): CollectedMetric {
    const values: CollectedValue[] = [];
    const names = this.labelNames;
    // `\nname{pairs} `: the pairs start after the name and its brace, and end before `} `.
    const start = this.fullName.length + 2;
    for (const s of this.series.values()) {
      s.labels ??= labelsFromPairs(names, s.prefix.slice(start, -2));
      values.push({ value: s.value, labels: s.labels });
    }
    // prom-client appends `_total` to counter samples in OpenMetrics, so hand it the base name there.
    const name = openMetrics ? this.baseName : this.fullName;
    return { name, help: this.help, type: 'counter', aggregator: 'sum', values };
  }

  snapshot(): SnapshotFamily {
    const series: SnapshotSeries[] = [];
    for (const s of this.series.values()) series.push([s.values as string[], s.value]);
    return { type: 'counter', help: this.help, labelNames: this.labelNames as string[], series };
  }

  override reset(): void {
    for (const s of this.series.values()) s.value = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Histogram

export class HistogramState implements HistogramSeries {
  sum = 0;
  count = 0;
  /** The label object of `_sum` / `_count` for prom-client: built on the first `collect()`. */
  labels: LabelObject | undefined = undefined;
  /** Per bucket, the last observation that came with a trace id, as its OpenMetrics exemplar text. */
  exemplars: (string | undefined)[] | undefined = undefined;

  constructor(
    /** The upper bounds followed by +Inf, shared by every series of the family. */
    private readonly bounds: Float64Array,
    /**
     * Per-bucket (not cumulative) counts; the last slot is the +Inf-only bucket. A view into a
     * buffer shared with other series of the family.
     */
    readonly counts: Float64Array,
    /** `a="x",b="y"`, flat: the label pairs every line of the series repeats ('' without labels). */
    readonly pairs: string,
    /** `pairs` as UTF-8, what the exposition writes. */
    readonly bytes: Uint8Array,
    /** The label values as bound (a reference, not a copy), for the dashboard snapshot. */
    readonly values: LabelValues,
  ) {}

  observe(value: number, traceId?: string): void {
    // A short linear scan: ~10 bounds, and the +Inf sentinel ends it without a length check.
    const bounds = this.bounds;
    let i = 0;
    while (value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
    if (traceId !== undefined && TRACE_ID.test(traceId)) {
      this.exemplars ??= [];
      this.exemplars[i] = ` # {trace_id="${traceId}"} ${formatValue(value)} ${Date.now() / 1000}`;
    }
  }
}

/** What an exemplar label may hold: a W3C trace id, so nothing needs escaping. */
const TRACE_ID = /^[0-9a-f]{32}$/;

export class HistogramFamily extends Family {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  protected readonly kind = 'histogram';
  protected readonly textHeader: string;
  protected readonly openMetricsHeader: string;
  readonly buckets: readonly number[];
  private readonly bounds: Float64Array;
  /** `\nname_bucket{`, `\nname_sum{`, `\nname_count{` (the last two without a brace when unlabelled). */
  private readonly bucketHead: string;
  private readonly sumHead: string;
  private readonly countHead: string;
  /** `,le="0.1"} ` per bound, then `,le="+Inf"} ` (no comma without labels). */
  private readonly bucketTails: readonly string[];
  /** `} ` after the pairs of a `_sum` / `_count` line (` ` without labels). */
  private readonly close: string;
  /** The pieces above as UTF-8 (all ASCII: names and bounds are). */
  private readonly pieces: {
    bucketHead: Uint8Array;
    sumHead: Uint8Array;
    countHead: Uint8Array;
    bucketTails: readonly Uint8Array[];
    close: Uint8Array;
  };
  private readonly head: HeaderBytes;
  /** `le` as prom-client spells it: the JS number, and "+Inf" for the last bucket. */
  private readonly le: readonly (number | string)[];
  /** In binding order, keyed by label pairs: escaped values are exact, and the pairs are kept anyway. */
  private readonly series = new Map<string, HistogramState>();
  /** Where the newest series' counts are, `slabUsed` slots of it taken. */
  private slab: Float64Array | undefined;
  private slabUsed = 0;

  constructor(def: Def<'histogram'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    const name = def.name;
    this.buckets = def.buckets;
    this.bounds = Float64Array.from([...def.buckets, Number.POSITIVE_INFINITY]);
    const head = headers(def.help, name, 'histogram');
    this.textHeader = head.text;
    this.openMetricsHeader = head.openMetrics;
    this.head = headerBytes(head);
    const labelled = def.labelNames.length > 0;
    const open = labelled ? '{' : '';
    this.bucketHead = flatten(`\n${name}_bucket{`);
    this.sumHead = flatten(`\n${name}_sum${open}`);
    this.countHead = flatten(`\n${name}_count${open}`);
    this.le = [...def.buckets, '+Inf'];
    this.bucketTails = this.le.map((le) => flatten(`${labelled ? ',' : ''}le="${le}"} `));
    this.close = labelled ? '} ' : ' ';
    this.pieces = {
      bucketHead: utf8(this.bucketHead),
      sumHead: utf8(this.sumHead),
      countHead: utf8(this.countHead),
      bucketTails: this.bucketTails.map(utf8),
      close: utf8(this.close),
    };
  }

  override compatible(def: BackendMetricDef): boolean {
    if (!super.compatible(def) || def.kind !== 'histogram') return false;
    return def.buckets.length === this.buckets.length && def.buckets.every((b, i) => b === this.buckets[i]);
  }

  seriesFor(labelValues: LabelValues): HistogramState {
    this.checkArity(labelValues);
    const pairs = labelPairs(this.labelNames, labelValues);
    let state = this.series.get(pairs);
    if (!state) {
      const n = this.bounds.length;
      let slab = this.slab;
      if (slab === undefined || this.slabUsed + n > slab.length) {
        // Slabs grow with the family (4 series, then as many as it has, up to 256): few waste little.
        slab = new Float64Array(Math.min(Math.max(this.series.size, 4), MAX_SLAB_SERIES) * n);
        this.slab = slab;
        this.slabUsed = 0;
      }
      const flat = flatten(pairs);
      state = new HistogramState(
        this.bounds,
        slab.subarray(this.slabUsed, this.slabUsed + n),
        flat,
        utf8(flat),
        labelValues,
      );
      this.slabUsed += n;
      this.series.set(flat, state);
    }
    return state;
  }

  render(openMetrics: boolean): string {
    let out = openMetrics ? this.openMetricsHeader : this.textHeader;
    const { bucketHead, bucketTails, sumHead, countHead, close } = this;
    const n = bucketTails.length;
    for (const s of this.series.values()) {
      const pairs = s.pairs;
      const counts = s.counts;
      // Exemplars exist in OpenMetrics only; the text format has no place for them.
      const exemplars = openMetrics ? s.exemplars : undefined;
      let cumulative = 0;
      for (let b = 0; b < n; b++) {
        cumulative += counts[b]!;
        out += bucketHead;
        out += pairs;
        out += bucketTails[b]!;
        out += cumulative;
        if (exemplars?.[b] !== undefined) out += exemplars[b];
      }
      out += sumHead;
      out += pairs;
      out += close;
      out += formatValue(s.sum);
      out += countHead;
      out += pairs;
      out += close;
      out += s.count;
    }
    return `${out}\n`;
  }

  override write(out: ExpositionBuffer, openMetrics: boolean): void {
    const { bucketHead, bucketTails, sumHead, countHead, close } = this.pieces;
    out.bytes(openMetrics ? this.head.openMetrics : this.head.text);
    const n = bucketTails.length;
    for (const s of this.series.values()) {
      const pairs = s.bytes;
      const counts = s.counts;
      // Exemplars exist in OpenMetrics only; their text is ASCII (a trace id and numbers).
      const exemplars = openMetrics ? s.exemplars : undefined;
      let cumulative = 0;
      for (let b = 0; b < n; b++) {
        cumulative += counts[b]!;
        out.bytes(bucketHead);
        out.bytes(pairs);
        out.bytes(bucketTails[b]!);
        out.number(cumulative);
        const exemplar = exemplars?.[b];
        if (exemplar !== undefined) out.asciiText(exemplar);
      }
      out.bytes(sumHead);
      out.bytes(pairs);
      out.bytes(close);
      out.number(s.sum);
      out.bytes(countHead);
      out.bytes(pairs);
      out.bytes(close);
      out.number(s.count);
    }
    out.newline();
  }

  collect(): CollectedMetric {
    // prom-client's own histograms label buckets with numbers; keep them numbers here.
    const values: CollectedValue[] = this.samples(this.le).map((sample) => ({
      value: sample.value,
      labels: sample.labels,
      metricName: sample.name,
    }));
    return { name: this.fullName, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  snapshot(): SnapshotFamily {
    this.leText ??= this.le.map(String);
    const series: SnapshotHistogramSeries[] = [];
    for (const s of this.series.values()) {
      const counts = s.counts;
      const buckets: number[] = new Array(counts.length);
      let cumulative = 0;
      for (let b = 0; b < counts.length; b++) {
        cumulative += counts[b]!;
        buckets[b] = cumulative;
      }
      series.push([s.values as string[], buckets, s.sum, s.count]);
    }
    return {
      type: 'histogram',
      help: this.help,
      labelNames: this.labelNames as string[],
      le: this.leText as string[],
      series,
    };
  }

  private leText: readonly string[] | undefined;

  /** Cumulative buckets, sum and count of every series, with `le` spelled as given. */
  private samples<L extends string | number>(
    le: readonly L[],
  ): { name: string; labels: Record<string, string | L>; value: number }[] {
    const name = this.fullName;
    const bucketName = `${name}_bucket`;
    const sumName = `${name}_sum`;
    const countName = `${name}_count`;
    const names = this.labelNames;
    const out: { name: string; labels: Record<string, string | L>; value: number }[] = [];
    for (const s of this.series.values()) {
      s.labels ??= labelsFromPairs(names, s.pairs);
      const labels = s.labels as Record<string, string>;
      const counts = s.counts;
      let cumulative = 0;
      // Per-bucket label objects are built for this call only, never kept per series. Not with
      // `{ ...labels, le }`: V8 gives each object copied that way a map of its own.
      for (let b = 0; b < le.length; b++) {
        cumulative += counts[b]!;
        const bucketLabels: Record<string, string | L> = {};
        for (let l = 0; l < names.length; l++) bucketLabels[names[l]!] = labels[names[l]!]!;
        bucketLabels.le = le[b]!;
        out.push({ name: bucketName, labels: bucketLabels, value: cumulative });
      }
      out.push({ name: sumName, labels, value: s.sum }, { name: countName, labels, value: s.count });
    }
    return out;
  }

  override reset(): void {
    for (const s of this.series.values()) {
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
    this.lines += `\n${line}${openers.length > 0 ? '} ' : ' '}${formatValue(value)}`;
  };

  constructor(def: Def<'gauge'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.read = def.read;
    this.labelOpeners = def.labelNames.map((label, i) => `${i === 0 ? '{' : ','}${label}="`);
    const head = headers(def.help, def.name, 'gauge');
    this.textHeader = head.text;
    this.openMetricsHeader = head.openMetrics;
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
    return `${openMetrics ? this.openMetricsHeader : this.textHeader}${lines}\n`;
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

  snapshot(): SnapshotFamily | null {
    const series: SnapshotSeries[] = [];
    // Core hands each sample a fresh array of label values: keep it as is.
    const ok = this.read((value, labelValues) => series.push([labelValues as string[], value]));
    return ok ? { type: 'gauge', help: this.help, labelNames: this.labelNames as string[], series } : null;
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
  private values: LabelValues | undefined;

  constructor(def: Def<'info'>, isOpenMetrics: () => boolean, report: Report) {
    super(def.name, def, isOpenMetrics, report);
    this.baseName = def.name.replace(/_info$/, '');
    const head = headers(def.help, def.name, 'gauge', this.baseName, 'info');
    this.textHeader = head.text;
    this.openMetricsHeader = head.openMetrics;
  }

  snapshot(): SnapshotFamily {
    const series: SnapshotSeries[] = this.values ? [[this.values as string[], 1]] : [];
    return { type: 'info', help: this.help, labelNames: this.labelNames as string[], series };
  }

  set(labelValues: LabelValues): void {
    this.checkArity(labelValues);
    this.sample = flatten(`\n${this.fullName}${formatLabels(this.labelNames, labelValues)} 1`);
    this.labels = labelObject(this.labelNames, labelValues);
    this.values = labelValues;
  }

  render(openMetrics: boolean): string {
    return `${openMetrics ? this.openMetricsHeader : this.textHeader}${this.sample}\n`;
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
