import type { FailOpenGuard, MetricsSnapshot, SnapshotFamily } from '@argus/core';
import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  type DataPoint,
  DataPointType,
  type Histogram,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { OtlpTemporality } from '../types';
import { unitOf } from './units';

export interface SnapshotProducerOptions {
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  temporality: OtlpTemporality;
  clusterId: string;
  /** Only for the type: a reader ignores a producer's resource and sends its provider's. */
  resource: Resource;
  scope: { name: string; version: string };
  guard: FailOpenGuard;
  now?: () => number;
}

/** What the previous export saw of one series: enough to compute deltas and to notice resets. */
interface SeriesState {
  /** Counter value, or histogram count. */
  last: number;
  sum: number;
  /** Cumulative bucket counts of a histogram. */
  buckets: number[] | undefined;
  /** Start of the running total: the producer's start, moved to the last export after a reset. */
  start: HrTime;
  /** End of the previous export: the start of the next delta. */
  lastEnd: HrTime;
  generation: number;
  /** Built once per series: the serializer only reads it. */
  attributes: Attributes;
}

/** The series of one family, found by the identity of their label-value arrays when the backend keeps them. */
interface FamilyState {
  byArray: WeakMap<readonly string[], SeriesState>;
  byKey: Map<string, SeriesState>;
}

/**
 * Turns Argus' snapshot into OpenTelemetry metric data when the reader collects, so the hot path
 * records nothing for OTLP and histograms keep Argus' own bucket bounds. Counters become monotonic
 * sums, histograms explicit-bucket histograms (per-bucket counts), gauges gauges; an info metric
 * becomes a gauge of 1 whose attributes are the info, and an untyped sample a gauge.
 */
export class SnapshotProducer implements MetricProducer {
  private readonly families = new Map<string, FamilyState>();
  private readonly started: HrTime;
  private readonly delta: boolean;
  private readonly temporality: AggregationTemporality;
  private readonly now: () => number;
  private generation = 0;

  constructor(private readonly options: SnapshotProducerOptions) {
    this.now = options.now ?? Date.now;
    this.started = hrTime(this.now());
    this.delta = options.temporality === 'delta';
    this.temporality = this.delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  }

  async collect(): Promise<CollectionResult> {
    let snapshot: MetricsSnapshot;
    try {
      snapshot = await this.options.snapshot();
    } catch (error) {
      this.options.guard.report('otlp:snapshot', error);
      return this.result([], [error]);
    }
    const generation = ++this.generation;
    const end = hrTime(snapshot.time);
    const metrics: MetricData[] = [];
    for (const name in snapshot.metrics) {
      const family = snapshot.metrics[name]!;
      try {
        const data = this.convert(name, family, end, generation);
        if (data) metrics.push(data);
      } catch (error) {
        this.options.guard.report(`otlp:convert:${name}`, error);
      }
    }
    // Forget series that are gone, so a long-running bot does not accumulate them. (Series found
    // by array identity are forgotten with their array.)
    for (const [name, family] of this.families) {
      if (!(name in snapshot.metrics)) this.families.delete(name);
      else
        for (const [key, state] of family.byKey)
          if (state.generation !== generation) family.byKey.delete(key);
    }
    return this.result(metrics, []);
  }

  private result(metrics: MetricData[], errors: unknown[]): CollectionResult {
    const scopeMetrics = metrics.length > 0 ? [{ scope: this.options.scope, metrics }] : [];
    return { resourceMetrics: { resource: this.options.resource, scopeMetrics }, errors };
  }

  private convert(
    name: string,
    family: SnapshotFamily,
    end: HrTime,
    generation: number,
  ): MetricData | undefined {
    const descriptor = { name, description: family.help, unit: unitOf(name), valueType: ValueType.DOUBLE };
    const labelNames = family.labelNames;
    let states = this.families.get(name);
    if (!states) {
      states = { byArray: new WeakMap(), byKey: new Map() };
      this.families.set(name, states);
    }
    if (family.type === 'histogram') {
      const boundaries = family.le.slice(0, -1).map(Number);
      const dataPoints: DataPoint<Histogram>[] = [];
      for (const [labelValues, cumulative, sum, count] of family.series) {
        const state = this.state(states, labelNames, labelValues, generation);
        const reset = state.buckets !== undefined && count < state.last;
        const base = this.delta && !reset ? state.buckets : undefined;
        const counts = new Array<number>(cumulative.length);
        let below = 0;
        let baseBelow = 0;
        for (let i = 0; i < cumulative.length; i++) {
          const at = cumulative[i]!;
          const baseAt = base ? base[i]! : 0;
          counts[i] = at - below - (baseAt - baseBelow);
          below = at;
          baseBelow = baseAt;
        }
        const start = this.startOf(state, reset);
        const value: Histogram = {
          buckets: { boundaries, counts },
          sum: base ? sum - state.sum : sum,
          count: base ? count - state.last : count,
        };
        dataPoints.push({ startTime: start, endTime: end, attributes: state.attributes, value });
        state.last = count;
        state.sum = sum;
        state.buckets = cumulative;
        state.lastEnd = end;
      }
      return {
        descriptor,
        aggregationTemporality: this.temporality,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints,
      };
    }
    if (family.type === 'counter') {
      const dataPoints: DataPoint<number>[] = [];
      for (const [labelValues, value] of family.series) {
        const state = this.state(states, labelNames, labelValues, generation);
        const seen = state.buckets !== undefined;
        const reset = seen && value < state.last;
        const start = this.startOf(state, reset);
        const point = this.delta && seen && !reset ? value - state.last : value;
        dataPoints.push({ startTime: start, endTime: end, attributes: state.attributes, value: point });
        state.last = value;
        state.buckets = NO_BUCKETS;
        state.lastEnd = end;
      }
      return {
        descriptor,
        aggregationTemporality: this.temporality,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints,
      };
    }
    const dataPoints: DataPoint<number>[] = family.series.map(([labelValues, value]) => ({
      startTime: this.started,
      endTime: end,
      attributes: this.attributes(labelNames, labelValues),
      value,
    }));
    return {
      descriptor,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints,
    };
  }

  private state(
    states: FamilyState,
    labelNames: readonly string[],
    labelValues: readonly string[],
    generation: number,
  ): SeriesState {
    // Argus' own families hand out the arrays they bound, so identity finds the series without
    // building a key; other collectors build fresh arrays and are found by their joined values.
    let state = states.byArray.get(labelValues);
    if (state) {
      state.generation = generation;
      return state;
    }
    const key = labelValues.join('\u0000');
    state = states.byKey.get(key);
    if (!state) {
      state = {
        last: 0,
        sum: 0,
        buckets: undefined,
        start: this.started,
        lastEnd: this.started,
        generation,
        attributes: this.attributes(labelNames, labelValues),
      };
      states.byKey.set(key, state);
    }
    state.generation = generation;
    states.byArray.set(labelValues, state);
    return state;
  }

  /**
   * The start time of this point. A reset (a value below the last export's: the series restarted)
   * starts a new running total at the previous export, which is when the reset happened at the latest.
   */
  private startOf(state: SeriesState, reset: boolean): HrTime {
    if (reset) state.start = state.lastEnd;
    return this.delta ? state.lastEnd : state.start;
  }

  private attributes(labelNames: readonly string[], labelValues: readonly string[]): Attributes {
    const attributes: Attributes = {};
    for (let i = 0; i < labelNames.length; i++) attributes[labelNames[i]!] = labelValues[i] ?? '';
    // Foreign collectors (prom-client's process metrics) carry no cluster label of their own.
    if (attributes.cluster === undefined) attributes.cluster = this.options.clusterId;
    return attributes;
  }
}

/** Marks a counter series as seen (counters keep no buckets). */
const NO_BUCKETS: number[] = [];

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}
