import type {
  BackendMetricDef,
  CounterSeries,
  FailOpenGuard,
  HistogramSeries,
  LabelValues,
  MetricBackend,
  MetricsSnapshot,
  SnapshotFamily,
  SnapshotHistogramSeries,
  SnapshotScalarFamily,
  SnapshotSeries,
} from '@argus/core';
import { isForbiddenLabel } from '@argus/core';
import {
  collectDefaultMetrics,
  type Metric,
  type PrometheusContentType,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import {
  type CollectedMetric,
  CounterFamily,
  Family,
  GaugeFamily,
  HistogramFamily,
  InfoFamily,
} from './families';
import { contentType, type ExpositionFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './format';
import { ExpositionBuffer } from './internal/exposition-buffer';

export interface PrometheusAdapterOptions<T extends RegistryContentType = PrometheusContentType> {
  /**
   * Collect prom-client's default process and Node.js metrics (CPU, memory, handles, GC,
   * `nodejs_eventloop_lag_seconds`...) into the adapter's registry. Default true.
   */
  processMetrics?: boolean;
  /** Prefix for the default process metrics, e.g. `'bot_'`. Default none. */
  prefix?: string;
  /**
   * Labels every default process metric carries, e.g. `{ cluster: 'eu-1' }`: pass the
   * `MetricRegistry`'s `defaultLabels` so the process metrics carry them like every Argus metric.
   * Default none.
   */
  processMetricsLabels?: Readonly<Record<string, string>>;
  /**
   * The prom-client registry to expose through. Default: a new one owned by the adapter (never
   * prom-client's global registry).
   */
  registry?: Registry<T>;
  /**
   * Where a failure while rendering one metric is counted (`scrape:<name>`). Pass the guard of
   * the `MetricRegistry` this adapter is attached to, so it lands in
   * `argus_instrumentation_errors_total`.
   */
  guard?: Pick<FailOpenGuard, 'report'>;
}

/**
 * The part of prom-client's Registry this adapter uses beyond its typings (present since
 * prom-client 11; test/exposition.test.ts pins the output against prom-client's own).
 */
interface FormattingRegistry {
  /** Formats one metric (what `metrics()` calls per metric); untyped in prom-client's d.ts. */
  getMetricsAsString(metric: { get(): unknown; getForPromString?(): unknown }): Promise<string>;
  _defaultLabels?: Record<string, unknown>;
}

type ForeignMetric = {
  name: string;
  type: unknown;
  get(): Promise<CollectedMetric>;
  getForPromString?(): Promise<CollectedMetric>;
};

const NOOP_SERIES: CounterSeries & HistogramSeries = Object.freeze({ inc() {}, observe() {} });
const PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** prom-client's gauges named like counters; left out of the default metrics (see collectProcessMetrics). */
const MISNAMED_DEFAULT_METRICS = /^(?:\w+_)?nodejs_active_(?:handles|requests|resources)_total$/;

/**
 * Argus' Prometheus backend.
 *
 * Series state lives here, not in prom-client: `inc()` / `observe()` on a bound series touch a
 * number field or a Float64Array slot and nothing else (prom-client's `labels().inc()` hashes the
 * label object on every call). Each Argus metric is registered in the prom-client `Registry` as a
 * collector object whose `get()` returns prom-client's own `{ name, help, type, values }` shape,
 * so anything that reads the registry (`metrics()`, `getMetricsAsJSON()`, cluster aggregation,
 * the Pushgateway) sees every Argus metric. `render()` takes a faster route for the same
 * registry: Argus families write their exposition from strings cached per series, and every
 * other metric (default process metrics, your own prom-client metrics) is formatted by
 * prom-client itself, one metric at a time, so a failing collector only loses its own lines.
 */
export class PrometheusAdapter<T extends RegistryContentType = PrometheusContentType>
  implements MetricBackend
{
  readonly name = 'prometheus';
  /** The prom-client registry: register your own prom-client metrics here to expose them too. */
  readonly registry: Registry<T>;
  private readonly ownsRegistry: boolean;
  private readonly guard: Pick<FailOpenGuard, 'report'> | undefined;
  private readonly families = new Map<string, Family>();
  private readonly processMetricNames: readonly string[];
  /** The registry seen as each format (prom-client decides the format from `this.contentType`). */
  private readonly views: Record<ExpositionFormat, FormattingRegistry>;
  private readonly isOpenMetricsRegistry = (): boolean =>
    this.registry.contentType === OPENMETRICS_CONTENT_TYPE;
  private readonly reportFailure = (hook: string, error: unknown): void => this.report(hook, error);
  private closed = false;
  /** Bytes of the last exposition: the next one starts with room for as much. */
  private lastSize = 0;

  constructor(options: PrometheusAdapterOptions<T> = {}) {
    const { processMetrics = true, prefix, registry, guard, processMetricsLabels } = options;
    if (typeof processMetrics !== 'boolean') {
      throw new TypeError(
        `PrometheusAdapter option "processMetrics" must be a boolean, got ${String(processMetrics)}`,
      );
    }
    if (prefix !== undefined && (typeof prefix !== 'string' || (prefix !== '' && !PREFIX.test(prefix)))) {
      throw new TypeError(
        `PrometheusAdapter option "prefix" must be a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${JSON.stringify(prefix)}`,
      );
    }
    if (registry !== undefined && !(registry instanceof Registry)) {
      throw new TypeError('PrometheusAdapter option "registry" must be a prom-client Registry');
    }
    this.registry = registry ?? (new Registry() as unknown as Registry<T>);
    this.ownsRegistry = registry === undefined;
    this.guard = guard;
    this.views = {
      text: formatView(this.registry, TEXT_CONTENT_TYPE),
      openmetrics: formatView(this.registry, OPENMETRICS_CONTENT_TYPE),
    };
    const labels = checkProcessMetricsLabels(processMetricsLabels);
    this.processMetricNames = processMetrics ? this.collectProcessMetrics(prefix ?? '', labels) : [];
  }

  define(def: BackendMetricDef): void {
    if (this.closed) return;
    const existing = this.families.get(def.name);
    if (existing) {
      // A replay (attach after detach) or the same metric from a second MetricRegistry.
      if (!existing.compatible(def)) {
        throw new Error(
          `@argus/prometheus: "${def.name}" is already defined with a different kind, labels or buckets`,
        );
      }
      existing.adopt(def);
      return;
    }
    const registered = this.registry.getSingleMetric(def.name);
    if (registered !== undefined) {
      throw new Error(
        `@argus/prometheus: cannot define "${def.name}": the prom-client registry already has a metric with that name`,
      );
    }
    const family = this.createFamily(def);
    this.registry.registerMetric(family as unknown as Metric);
    this.families.set(def.name, family);
  }

  counterSeries(name: string, labelValues: LabelValues): CounterSeries {
    const family = this.family(name, CounterFamily, 'counter');
    return family ? family.seriesFor(labelValues) : NOOP_SERIES;
  }

  histogramSeries(name: string, labelValues: LabelValues): HistogramSeries {
    const family = this.family(name, HistogramFamily, 'histogram');
    return family ? family.seriesFor(labelValues) : NOOP_SERIES;
  }

  setInfo(name: string, labelValues: LabelValues): void {
    this.family(name, InfoFamily, 'info')?.set(labelValues);
  }

  /** The `Content-Type` header for `render(format)`. */
  contentType(format: ExpositionFormat = 'text'): string {
    return contentType(format);
  }

  /**
   * Every metric of the registry in the dashboard's shape: Argus families straight from their
   * state, other prom-client metrics (process metrics, your own) through their collectors. A
   * metric that fails is left out and reported (`snapshot:<name>`); this never rejects.
   */
  async snapshot(): Promise<MetricsSnapshot> {
    const metrics: Record<string, SnapshotFamily> = {};
    if (this.closed) return { time: Date.now(), metrics };
    let all: unknown[];
    try {
      all = this.registry.getMetricsAsArray();
    } catch (error) {
      this.report('snapshot', error);
      return { time: Date.now(), metrics };
    }
    for (const metric of all) {
      try {
        if (metric instanceof Family && this.families.get(metric.fullName) === metric) {
          const family = metric.snapshot();
          if (family) metrics[metric.fullName] = family;
          continue;
        }
        const got = (await (metric as unknown as ForeignMetric).get()) as unknown as ForeignCollected;
        for (const [name, family] of foreignSnapshot(got)) metrics[name] = family;
      } catch (error) {
        this.report(`snapshot:${(metric as { name?: string }).name ?? 'unknown'}`, error);
      }
    }
    return { time: Date.now(), metrics };
  }

  /**
   * The exposition of everything in `registry`: the classic text format (default) or
   * OpenMetrics (ends with `# EOF`). Never rejects: a metric whose collection fails is left out
   * of this scrape and counted as `scrape:<name>`.
   */
  async render(format: ExpositionFormat = 'text'): Promise<string> {
    const openMetrics = format === 'openmetrics';
    let out = '';
    for (const piece of await this.collectPieces(openMetrics)) {
      const text = typeof piece === 'string' ? piece : this.renderFamily(piece, openMetrics);
      if (!text) continue;
      // prom-client's layout: a blank line between families in text, none in OpenMetrics.
      out += openMetrics || out === '' ? text : `\n${text}`;
    }
    return openMetrics ? `${out}# EOF\n` : out;
  }

  /**
   * `render(format)` as the UTF-8 bytes an HTTP response sends, in a new buffer per call. Serve
   * this rather than `render()`: the exposition is written as bytes, so there is nothing left to
   * flatten or encode. Never rejects.
   */
  async renderBytes(format: ExpositionFormat = 'text'): Promise<Uint8Array> {
    const openMetrics = format === 'openmetrics';
    const pieces = await this.collectPieces(openMetrics);
    const out = new ExpositionBuffer(this.lastSize);
    for (const piece of pieces) {
      const before = out.length;
      if (!openMetrics && before > 0) out.newline();
      const start = out.length;
      if (typeof piece === 'string') out.text(piece);
      else this.writeFamily(piece, out, openMetrics);
      if (out.length === start) out.truncate(before);
    }
    if (openMetrics) out.asciiText('# EOF\n');
    this.lastSize = out.length;
    return out.toBytes();
  }

  /**
   * The exposition in registry order: the text of each metric prom-client formats (gauges and
   * other collectors, already read), and the stored Argus families, to be rendered right away.
   */
  private async collectPieces(openMetrics: boolean): Promise<(string | Family)[]> {
    if (this.closed) return [];
    let metrics: unknown[];
    try {
      metrics = this.registry.getMetricsAsArray();
    } catch (error) {
      this.report('scrape', error);
      return [];
    }
    // With prom-client default labels set on the registry, let prom-client format Argus families
    // too, so those labels are merged exactly as on its own metrics.
    const fast = !this.registryHasDefaultLabels();
    const pending: (string | Promise<string> | undefined)[] = new Array(metrics.length);
    // Read gauges and other collectors first, then the stored families: a collector that fails
    // in this scrape is then already counted in argus_instrumentation_errors_total below.
    let stored = false;
    for (let i = 0; i < metrics.length; i++) {
      const metric = metrics[i];
      if (!(metric instanceof Family) || this.families.get(metric.fullName) !== metric) {
        pending[i] = this.formatForeign(metric as ForeignMetric, openMetrics);
      } else if (metric instanceof GaugeFamily) {
        pending[i] = fast ? this.renderFamily(metric, openMetrics) : this.formatFamily(metric, openMetrics);
      } else {
        stored = true;
      }
    }
    const pieces: (string | Family)[] = new Array(metrics.length);
    for (let i = 0; i < metrics.length; i++) {
      const chunk = pending[i];
      if (chunk !== undefined) pieces[i] = typeof chunk === 'string' ? chunk : await chunk;
    }
    if (stored) {
      for (let i = 0; i < metrics.length; i++) {
        if (pending[i] !== undefined) continue;
        const family = metrics[i] as Family;
        pieces[i] = fast ? family : await this.formatFamily(family, openMetrics);
      }
    }
    return pieces;
  }

  /**
   * Removes what this adapter exposes: the whole registry when the adapter created it, only
   * the Argus and default process metrics it added when the registry was passed in. Series
   * bound before stay harmless no-ops for the exposition.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.ownsRegistry) {
        this.registry.clear();
      } else {
        for (const [name, family] of this.families) {
          if ((this.registry.getSingleMetric(name) as unknown) === family)
            this.registry.removeSingleMetric(name);
        }
        for (const name of this.processMetricNames) this.registry.removeSingleMetric(name);
      }
    } finally {
      this.families.clear();
    }
  }

  private family<F extends Family>(
    name: string,
    type: abstract new (...args: never[]) => F,
    kind: string,
  ): F | undefined {
    const family = this.families.get(name);
    if (family instanceof type) return family;
    if (this.closed) return undefined;
    throw new Error(
      family
        ? `@argus/prometheus: "${name}" is not a ${kind}`
        : `@argus/prometheus: "${name}" was never defined on this adapter (define() comes first)`,
    );
  }

  private createFamily(def: BackendMetricDef): Family {
    switch (def.kind) {
      case 'counter':
        return new CounterFamily(def, this.isOpenMetricsRegistry, this.reportFailure);
      case 'histogram':
        return new HistogramFamily(def, this.isOpenMetricsRegistry, this.reportFailure);
      case 'gauge':
        return new GaugeFamily(def, this.isOpenMetricsRegistry, this.reportFailure);
      case 'info':
        return new InfoFamily(def, this.isOpenMetricsRegistry, this.reportFailure);
      default:
        throw new Error(
          `@argus/prometheus: unknown metric kind "${String((def as { kind: unknown }).kind)}"`,
        );
    }
  }

  private writeFamily(family: Family, out: ExpositionBuffer, openMetrics: boolean): void {
    const start = out.length;
    try {
      family.write(out, openMetrics);
    } catch (error) {
      out.truncate(start);
      this.report(`scrape:${family.fullName}`, error);
    }
  }

  private renderFamily(family: Family, openMetrics: boolean): string {
    try {
      return family.render(openMetrics);
    } catch (error) {
      this.report(`scrape:${family.fullName}`, error);
      return '';
    }
  }

  private formatFamily(family: Family, openMetrics: boolean): Promise<string> {
    let data: CollectedMetric | null;
    try {
      data = family.collect(openMetrics);
    } catch (error) {
      this.report(`scrape:${family.fullName}`, error);
      return Promise.resolve('');
    }
    if (!data) return Promise.resolve('');
    const collected = data;
    return this.format({ get: () => collected }, family.fullName, openMetrics);
  }

  private formatForeign(metric: ForeignMetric, openMetrics: boolean): Promise<string> {
    if (!openMetrics || metric.type !== 'counter') return this.format(metric, metric.name, openMetrics);
    // prom-client's own `metrics()` strips `_total` from the counter's name in place before an
    // OpenMetrics render (and never puts it back). Do the same on a copy of what `get()` returns.
    const source = metric;
    const renamed = {
      async get(): Promise<CollectedMetric> {
        const data = await (source.getForPromString ? source.getForPromString() : source.get());
        return { ...data, name: data.name.replace(/_total$/, '') };
      },
    };
    return this.format(renamed, metric.name, openMetrics);
  }

  private async format(
    metric: { get(): unknown; getForPromString?(): unknown },
    name: string,
    openMetrics: boolean,
  ): Promise<string> {
    try {
      const text = await this.views[openMetrics ? 'openmetrics' : 'text'].getMetricsAsString(metric);
      return text === '' ? '' : `${text}\n`;
    } catch (error) {
      this.report(`scrape:${name}`, error);
      return '';
    }
  }

  private registryHasDefaultLabels(): boolean {
    const labels = (this.registry as unknown as FormattingRegistry)._defaultLabels;
    return labels !== undefined && labels !== null && Object.keys(labels).length > 0;
  }

  private collectProcessMetrics(prefix: string, labels: Record<string, string>): string[] {
    const before = new Set(this.registry.getMetricsAsArray());
    const added = () => this.registry.getMetricsAsArray().filter((m) => !before.has(m));
    try {
      collectDefaultMetrics({ register: this.registry, prefix, labels });
    } catch (error) {
      for (const metric of added()) this.registry.removeSingleMetric(metric.name);
      throw new Error(
        `@argus/prometheus: could not collect the default process metrics into the registry (${
          error instanceof Error ? error.message : String(error)
        }); pass processMetrics: false if the registry already has them`,
      );
    }
    // prom-client names three gauges `*_total`, which Prometheus reserves for counters; promtool
    // rejects them (prom-client#283). Leave them out so /metrics stays lint-clean.
    for (const metric of added()) {
      if (MISNAMED_DEFAULT_METRICS.test(metric.name)) this.registry.removeSingleMetric(metric.name);
    }
    return added().map((m) => m.name);
  }

  private report(hook: string, error: unknown): void {
    try {
      this.guard?.report(hook, error);
    } catch {
      // A broken guard must not reach the scrape either.
    }
  }
}

/** The `processMetricsLabels` option, checked: a copy, or a TypeError naming what is wrong. */
function checkProcessMetricsLabels(labels: unknown): Record<string, string> {
  if (labels === undefined) return {};
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw new TypeError(
      `PrometheusAdapter option "processMetricsLabels" must be an object of label values, got ${JSON.stringify(labels)}`,
    );
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__') || isForbiddenLabel(name)) {
      throw new TypeError(
        `PrometheusAdapter option "processMetricsLabels": ${JSON.stringify(name)} cannot be a label name`,
      );
    }
    if (typeof value !== 'string') {
      throw new TypeError(
        `PrometheusAdapter option "processMetricsLabels": ${JSON.stringify(name)} must be a string, got ${typeof value}`,
      );
    }
    checked[name] = value;
  }
  return checked;
}

/**
 * The registry as seen in one format: prom-client formats a metric for `this.contentType`,
 * and that read is the only thing overridden here; metrics and default labels are the
 * registry's own, live. This lets both formats render concurrently from one registry without
 * toggling `setContentType` around an async call.
 */
function formatView(registry: Registry<RegistryContentType>, type: string): FormattingRegistry {
  return Object.create(registry, { contentType: { value: type } }) as FormattingRegistry;
}

export interface ForeignCollected {
  name: string;
  help: string;
  type: string;
  values: { value: number; labels?: Record<string, string | number>; metricName?: string }[];
}

/**
 * A prom-client metric in the snapshot's compact shape. Histograms are regrouped by series; a
 * summary's quantiles, sum and count become untyped families named after their samples.
 */
export function foreignSnapshot(got: ForeignCollected): [string, SnapshotFamily][] {
  const values = got.values.filter((v) => Number.isFinite(v.value));
  const labelNamesOf = (rows: typeof values, skip?: string) => {
    const names: string[] = [];
    for (const v of rows)
      for (const k of Object.keys(v.labels ?? {})) if (k !== skip && !names.includes(k)) names.push(k);
    return names;
  };
  const valuesOf = (names: string[], labels: Record<string, string | number> | undefined) =>
    names.map((n) => String(labels?.[n] ?? ''));

  if (got.type === 'histogram') {
    const labelNames = labelNamesOf(values, 'le');
    const le: string[] = [];
    const rows = new Map<string, SnapshotHistogramSeries>();
    for (const v of values) {
      const labelValues = valuesOf(labelNames, v.labels);
      const key = JSON.stringify(labelValues);
      let row = rows.get(key);
      if (!row) {
        row = [labelValues, [], 0, 0];
        rows.set(key, row);
      }
      const sample = v.metricName ?? got.name;
      if (sample === `${got.name}_bucket`) {
        const bound = String(v.labels?.le ?? '');
        let index = le.indexOf(bound);
        if (index === -1) index = le.push(bound) - 1;
        row[1][index] = v.value;
      } else if (sample === `${got.name}_sum`) row[2] = v.value;
      else if (sample === `${got.name}_count`) row[3] = v.value;
    }
    for (const row of rows.values()) for (let i = 0; i < le.length; i++) row[1][i] ??= 0;
    return [[got.name, { type: 'histogram', help: got.help, labelNames, le, series: [...rows.values()] }]];
  }

  const groups = new Map<string, typeof values>();
  for (const v of values) {
    const sample = v.metricName ?? got.name;
    const group = groups.get(sample) ?? [];
    group.push(v);
    groups.set(sample, group);
  }
  if (groups.size === 0) groups.set(got.name, []);
  const out: [string, SnapshotFamily][] = [];
  for (const [sample, rows] of groups) {
    const labelNames = labelNamesOf(rows);
    const series: SnapshotSeries[] = rows.map((v) => [valuesOf(labelNames, v.labels), v.value]);
    const type = sample === got.name ? snapshotType(got.type) : 'untyped';
    out.push([sample, { type, help: got.help, labelNames, series }]);
  }
  return out;
}

function snapshotType(type: string): SnapshotScalarFamily['type'] {
  return type === 'counter' || type === 'gauge' || type === 'info' ? type : 'untyped';
}
