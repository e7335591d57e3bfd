import { MetricDefinitionError, UnknownMetricError } from './errors';
import { FailOpenGuard } from './guard';
import { isForbiddenLabel, isValidLabelName, isValidMetricName } from './label-rules';
import type {
  BackendMetricDef,
  CounterSeries,
  HistogramSeries,
  Labels,
  LabelValues,
  MetricBackend,
  MetricDef,
  MetricKind,
} from './types';

export const FOLDED_LABEL_VALUE = 'other';
export const DEFAULT_LABEL_VALUE_CAP = 300;

export interface MetricRegistryOptions {
  /** Labels added to every metric with a fixed value, e.g. `{ cluster: 'eu-1' }`. */
  defaultLabels?: Labels;
  /** Distinct values kept per label of one metric before new ones fold into `other`. */
  labelValueCap?: number;
  guard?: FailOpenGuard;
}

/**
 * The neutral registry: it validates definitions, replays them to backends attached later and
 * fans mutations out through pre-bound handles.
 */
export class MetricRegistry {
  readonly guard: FailOpenGuard;
  readonly defaultLabelNames: readonly string[];
  readonly defaultLabelValues: LabelValues;
  readonly labelValueCap: number;
  private readonly entries = new Map<string, Entry>();
  private readonly backends: MetricBackend[] = [];
  private readonly folded: Counter;
  private readonly errors: Counter;

  constructor(options: MetricRegistryOptions = {}) {
    this.guard = options.guard ?? new FailOpenGuard();
    const defaults = options.defaultLabels ?? {};
    for (const name of Object.keys(defaults)) {
      if (!isValidLabelName(name) || isForbiddenLabel(name)) {
        throw new MetricDefinitionError('(default labels)', `"${name}" cannot be a label`);
      }
    }
    this.defaultLabelNames = Object.freeze(Object.keys(defaults));
    this.defaultLabelValues = Object.freeze(Object.values(defaults));
    const cap = options.labelValueCap ?? DEFAULT_LABEL_VALUE_CAP;
    if (!Number.isInteger(cap) || cap < 1)
      throw new RangeError(`labelValueCap must be a positive integer, got ${cap}`);
    this.labelValueCap = cap;

    this.define({
      kind: 'counter',
      name: 'argus_label_values_folded_total',
      help: 'Label values folded into "other" because a metric reached its distinct-value cap.',
      labelNames: ['metric'],
    });
    this.define({
      kind: 'counter',
      name: 'argus_instrumentation_errors_total',
      help: 'Instrumentation failures that were counted and swallowed, by hook.',
      labelNames: ['hook'],
    });
    this.folded = this.counter('argus_label_values_folded_total');
    this.errors = this.counter('argus_instrumentation_errors_total');
    this.guard.setErrorCounter((hook) => this.errors.labels(hook).inc());
  }

  /** Validates and records a definition, and defines it on every attached backend. */
  define(def: MetricDef): void {
    const backendDef = this.validate(def);
    const entry: Entry = { def, backendDef, family: undefined, info: undefined };
    this.entries.set(def.name, entry);
    for (const backend of this.backends) backend.define(backendDef);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Every definition, in definition order, as backends see them. */
  definitions(): readonly BackendMetricDef[] {
    return [...this.entries.values()].map((e) => e.backendDef);
  }

  counter(name: string): Counter {
    const entry = this.entry(name, 'counter');
    entry.family ??= new Counter(this, entry.backendDef, this.userLabelCount(entry));
    return entry.family as Counter;
  }

  histogram(name: string): Histogram {
    const entry = this.entry(name, 'histogram');
    entry.family ??= new Histogram(this, entry.backendDef, this.userLabelCount(entry));
    return entry.family as Histogram;
  }

  /** Sets the single sample of an info metric (value 1). */
  setInfo(name: string, labels: Labels): void {
    const entry = this.entry(name, 'info');
    const values = this.labelValuesOf(entry.backendDef, labels);
    entry.info = values;
    for (const backend of this.backends) backend.setInfo(name, values);
  }

  /** Attaches a backend: every definition, bound series and info value so far is replayed. */
  attach(backend: MetricBackend): void {
    if (this.backends.includes(backend)) return;
    this.backends.push(backend);
    for (const entry of this.entries.values()) {
      backend.define(entry.backendDef);
      entry.family?.addBackend(backend);
      if (entry.info) backend.setInfo(entry.def.name, entry.info);
    }
  }

  detach(backend: MetricBackend): void {
    const index = this.backends.indexOf(backend);
    if (index === -1) return;
    this.backends.splice(index, 1);
    for (const entry of this.entries.values()) entry.family?.rebuild(this.backends);
  }

  /** @internal used by families to build series on every backend. */
  get attachedBackends(): readonly MetricBackend[] {
    return this.backends;
  }

  /** @internal counts a folded label value. */
  countFolded(metric: string): void {
    this.folded.labels(metric).inc();
  }

  private entry(name: string, kind: MetricKind): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownMetricError(name);
    if (entry.def.kind !== kind) throw new UnknownMetricError(name, `is a ${entry.def.kind}, not a ${kind}`);
    return entry;
  }

  private userLabelCount(entry: Entry): number {
    return entry.backendDef.labelNames.length - this.defaultLabelNames.length;
  }

  private labelValuesOf(def: BackendMetricDef, labels: Labels): LabelValues {
    const names = def.labelNames;
    const values: string[] = [];
    for (let i = 0; i < names.length - this.defaultLabelNames.length; i++) {
      values.push(String(labels[names[i]!] ?? ''));
    }
    values.push(...this.defaultLabelValues);
    return values;
  }

  private validate(def: MetricDef): BackendMetricDef {
    const { name } = def;
    const fail = (reason: string): never => {
      throw new MetricDefinitionError(name, reason);
    };
    if (typeof name !== 'string' || !isValidMetricName(name)) fail('not a valid Prometheus metric name');
    if (this.entries.has(name)) fail('is already defined');
    if (typeof def.help !== 'string' || def.help.trim() === '') fail('help text is required');
    const kinds: MetricKind[] = ['counter', 'gauge', 'histogram', 'info'];
    if (!kinds.includes(def.kind)) fail(`unknown kind "${String(def.kind)}"`);

    const own = def.labelNames ?? [];
    const labelNames = [...own];
    for (const label of this.defaultLabelNames) if (!own.includes(label)) labelNames.push(label);
    const seen = new Set<string>();
    for (const label of labelNames) {
      if (typeof label !== 'string' || !isValidLabelName(label)) fail(`"${label}" is not a valid label name`);
      if (isForbiddenLabel(label)) fail(`"${label}" has unbounded cardinality and can never be a label`);
      if (seen.has(label)) fail(`label "${label}" is listed twice`);
      seen.add(label);
    }
    if (own.some((l) => this.defaultLabelNames.includes(l))) {
      fail(`default labels (${this.defaultLabelNames.join(', ')}) are added automatically; do not list them`);
    }
    const frozenLabels = Object.freeze(labelNames);

    switch (def.kind) {
      case 'counter':
        if (!name.endsWith('_total')) fail('a counter name must end in "_total"');
        return Object.freeze({ kind: 'counter', name, help: def.help, labelNames: frozenLabels });
      case 'info':
        if (!name.endsWith('_info')) fail('an info metric name must end in "_info"');
        return Object.freeze({ kind: 'info', name, help: def.help, labelNames: frozenLabels });
      case 'histogram': {
        const buckets = def.buckets;
        if (!Array.isArray(buckets) || buckets.length === 0) fail('a histogram needs buckets');
        for (let i = 0; i < buckets.length; i++) {
          const b = buckets[i];
          if (typeof b !== 'number' || !Number.isFinite(b)) fail('buckets must be finite numbers');
          if (i > 0 && b! <= buckets[i - 1]!) fail('buckets must be strictly increasing');
        }
        if (seen.has('le')) fail('"le" is reserved for histogram buckets');
        if (/_(bucket|sum|count)$/.test(name))
          fail('a histogram name must not end in _bucket, _sum or _count');
        return Object.freeze({
          kind: 'histogram',
          name,
          help: def.help,
          labelNames: frozenLabels,
          buckets: Object.freeze([...buckets]),
        });
      }
      case 'gauge': {
        const collect = def.collect;
        if (typeof collect !== 'function')
          fail('a gauge needs a collect callback (gauges are read at scrape time)');
        const ownCount = own.length;
        const defaults = this.defaultLabelValues;
        const guard = this.guard;
        const hook = `scrape:${name}`;
        return Object.freeze({
          kind: 'gauge',
          name,
          help: def.help,
          labelNames: frozenLabels,
          read(emit: (value: number, labelValues: LabelValues) => void): boolean {
            try {
              collect((value, labels) => {
                if (typeof value !== 'number' || !Number.isFinite(value)) return;
                const values: string[] = new Array(ownCount + defaults.length);
                for (let i = 0; i < ownCount; i++) {
                  const v = labels?.[own[i]!];
                  if (v === undefined)
                    throw new Error(`gauge ${name} emitted a sample without label "${own[i]}"`);
                  values[i] = String(v);
                }
                for (let i = 0; i < defaults.length; i++) values[ownCount + i] = defaults[i]!;
                emit(value, values);
              });
              return true;
            } catch (error) {
              guard.report(hook, error);
              return false;
            }
          },
        });
      }
    }
  }
}

interface Entry {
  def: MetricDef;
  backendDef: BackendMetricDef;
  family: Family<CounterHandle | HistogramHandle> | undefined;
  info: LabelValues | undefined;
}

/**
 * Shared by counters and histograms: label values from outside go through a per-label
 * cardinality guard, and each label set is bound once and cached in nested maps.
 */
abstract class Family<H extends CounterHandle | HistogramHandle> {
  private readonly cache = new Map<string, unknown>();
  private readonly distinct: Set<string>[];
  private readonly handles: H[] = [];

  constructor(
    protected readonly registry: MetricRegistry,
    readonly def: BackendMetricDef,
    private readonly userLabels: number,
  ) {
    this.distinct = Array.from({ length: userLabels }, () => new Set<string>());
  }

  protected abstract createHandle(labelValues: LabelValues): H;
  protected abstract seriesFor(
    backend: MetricBackend,
    labelValues: LabelValues,
  ): CounterSeries | HistogramSeries;

  /**
   * The handle for these label values (in `labelNames` order, default labels excluded).
   * Bind once and keep the handle on the hot path; this lookup is for values known only at run time.
   */
  labels(...values: string[]): H {
    if (values.length !== this.userLabels) {
      throw new RangeError(
        `${this.def.name} takes ${this.userLabels} label value(s) (${this.def.labelNames.slice(0, this.userLabels).join(', ')}), got ${values.length}`,
      );
    }
    // A value found in the cache was admitted when it was stored: only a miss is checked
    // against the cardinality guard (and a value past the cap misses, so it is counted each time).
    let node: Map<string, unknown> = this.cache;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) {
        const value = this.admit(i, values[i]!);
        next = node.get(value) as Map<string, unknown> | undefined;
        if (next === undefined) {
          next = new Map();
          node.set(value, next);
        }
      }
      node = next;
    }
    const raw = last === -1 ? '' : values[last]!;
    let handle = node.get(raw) as H | undefined;
    if (handle === undefined) {
      const lastKey = last === -1 ? '' : this.admit(last, raw);
      handle = node.get(lastKey) as H | undefined;
      if (handle === undefined) {
        const full = [...this.pathValues(values), ...this.registry.defaultLabelValues];
        handle = this.createHandle(full);
        node.set(lastKey, handle);
        this.handles.push(handle);
      }
    }
    return handle;
  }

  /** Same as `labels`, from an object keyed by label name. */
  bind(labels: Labels = {}): H {
    const values: string[] = [];
    for (let i = 0; i < this.userLabels; i++) values.push(String(labels[this.def.labelNames[i]!] ?? ''));
    return this.labels(...values);
  }

  addBackend(backend: MetricBackend): void {
    for (const handle of this.handles) {
      const series = handle.series as (CounterSeries | HistogramSeries)[];
      (handle as { series: unknown[] }).series = [...series, this.seriesFor(backend, handle.labelValues)];
    }
  }

  rebuild(backends: readonly MetricBackend[]): void {
    for (const handle of this.handles) {
      (handle as { series: unknown[] }).series = backends.map((b) => this.seriesFor(b, handle.labelValues));
    }
  }

  private pathValues(values: string[]): string[] {
    // Re-derive the admitted values (folding is deterministic once a value has been admitted).
    return values.map((v, i) => (this.distinct[i]!.has(v) ? v : FOLDED_LABEL_VALUE));
  }

  private admit(index: number, value: string): string {
    const set = this.distinct[index]!;
    if (set.has(value)) return value;
    if (set.size >= this.registry.labelValueCap) {
      if (this.def.name !== 'argus_label_values_folded_total') this.registry.countFolded(this.def.name);
      return FOLDED_LABEL_VALUE;
    }
    set.add(value);
    return value;
  }
}

export class Counter extends Family<CounterHandle> {
  protected createHandle(labelValues: LabelValues): CounterHandle {
    return new CounterHandle(
      labelValues,
      this.registry.attachedBackends.map((b) => b.counterSeries(this.def.name, labelValues)),
    );
  }
  protected seriesFor(backend: MetricBackend, labelValues: LabelValues): CounterSeries {
    return backend.counterSeries(this.def.name, labelValues);
  }
  /** Convenience for cold paths: `counter.inc({ command: 'ping' })`. */
  inc(labels?: Labels, value = 1): void {
    this.bind(labels).inc(value);
  }
}

export class Histogram extends Family<HistogramHandle> {
  protected createHandle(labelValues: LabelValues): HistogramHandle {
    return new HistogramHandle(
      labelValues,
      this.registry.attachedBackends.map((b) => b.histogramSeries(this.def.name, labelValues)),
    );
  }
  protected seriesFor(backend: MetricBackend, labelValues: LabelValues): HistogramSeries {
    return backend.histogramSeries(this.def.name, labelValues);
  }
  observe(labels: Labels | undefined, value: number): void {
    this.bind(labels).observe(value);
  }
}

/**
 * A counter bound to one label set: `inc()` does no hashing, string building or lookup. With
 * one backend (the usual case) it calls that backend's series directly, with no loop.
 */
export class CounterHandle {
  private one: CounterSeries | undefined;
  private many: CounterSeries[] | undefined;

  constructor(
    readonly labelValues: LabelValues,
    series: CounterSeries[],
  ) {
    this.series = series;
  }

  /** @internal replaced when backends are attached or detached. */
  set series(series: CounterSeries[]) {
    this.one = series.length === 1 ? series[0] : undefined;
    this.many = series.length > 1 ? series : undefined;
  }
  get series(): CounterSeries[] {
    return this.one ? [this.one] : (this.many ?? []);
  }

  inc(value = 1): void {
    // Negative, NaN and infinite increments would corrupt a counter; drop them silently.
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) return;
    if (this.one !== undefined) {
      this.one.inc(value);
      return;
    }
    const many = this.many;
    if (many !== undefined) for (let i = 0; i < many.length; i++) many[i]!.inc(value);
  }
}

/** A histogram bound to one label set; like `CounterHandle`, direct with one backend. */
export class HistogramHandle {
  private one: HistogramSeries | undefined;
  private many: HistogramSeries[] | undefined;

  constructor(
    readonly labelValues: LabelValues,
    series: HistogramSeries[],
  ) {
    this.series = series;
  }

  /** @internal replaced when backends are attached or detached. */
  set series(series: HistogramSeries[]) {
    this.one = series.length === 1 ? series[0] : undefined;
    this.many = series.length > 1 ? series : undefined;
  }
  get series(): HistogramSeries[] {
    return this.one ? [this.one] : (this.many ?? []);
  }

  /** `traceId` makes the observation an exemplar where the backend keeps them. */
  observe(value: number, traceId?: string): void {
    if (!Number.isFinite(value)) return;
    if (this.one !== undefined) {
      this.one.observe(value, traceId);
      return;
    }
    const many = this.many;
    if (many !== undefined) for (let i = 0; i < many.length; i++) many[i]!.observe(value, traceId);
  }
}
