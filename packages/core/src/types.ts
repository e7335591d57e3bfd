// Public types of @argus/core. Everything a backend, an instrumentation or a user needs to name.

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'info';

/** Label values in the order of a metric's `labelNames`. */
export type LabelValues = readonly string[];
export type Labels = Readonly<Record<string, string>>;

/** Called by a gauge's collect callback once per sample. Non-finite values are dropped. */
export type GaugeEmit = (value: number, labels?: Labels) => void;
export type GaugeCollect = (emit: GaugeEmit) => void;

interface MetricDefBase {
  /** Full metric name, e.g. `discord_interactions_total`. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

export interface CounterDef extends MetricDefBase {
  readonly kind: 'counter';
}
export interface GaugeDef extends MetricDefBase {
  readonly kind: 'gauge';
  /** Read at scrape time; never cached by a poller. */
  readonly collect: GaugeCollect;
}
export interface HistogramDef extends MetricDefBase {
  readonly kind: 'histogram';
  /** Upper bounds, strictly increasing; `+Inf` is implied. */
  readonly buckets: readonly number[];
}
export interface InfoDef extends MetricDefBase {
  readonly kind: 'info';
}

export type MetricDef = CounterDef | GaugeDef | HistogramDef | InfoDef;

/**
 * What a backend receives: the definition after validation, with default labels appended and,
 * for gauges, a guarded reader instead of the raw callback.
 */
export type BackendMetricDef =
  | (Omit<CounterDef, 'labelNames'> & { readonly labelNames: readonly string[] })
  | (Omit<HistogramDef, 'labelNames'> & { readonly labelNames: readonly string[] })
  | (Omit<InfoDef, 'labelNames'> & { readonly labelNames: readonly string[] })
  | {
      readonly kind: 'gauge';
      readonly name: string;
      readonly help: string;
      readonly labelNames: readonly string[];
      /**
       * Runs the gauge callback inside the fail-open guard. Returns false when it threw: the
       * backend must then drop this gauge from the current scrape (the failure is already counted).
       */
      readonly read: (emit: (value: number, labelValues: LabelValues) => void) => boolean;
    };

/** A backend's own series for one fixed label set; called on the hot path. */
export interface CounterSeries {
  inc(value: number): void;
}
export interface HistogramSeries {
  /**
   * `traceId` (32 hex digits) links this observation to a trace: a backend that can keep
   * exemplars (OpenMetrics) keeps it, any other ignores it.
   */
  observe(value: number, traceId?: string): void;
}

/** Implemented by adapters (Prometheus, OTLP...). Core never imports one. */
export interface MetricBackend {
  readonly name: string;
  define(def: BackendMetricDef): void;
  counterSeries(name: string, labelValues: LabelValues): CounterSeries;
  histogramSeries(name: string, labelValues: LabelValues): HistogramSeries;
  setInfo(name: string, labelValues: LabelValues): void;
  close?(): void | Promise<void>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
