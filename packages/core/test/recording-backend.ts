import type { BackendMetricDef, LabelValues, MetricBackend } from '../src/types';

/**
 * A backend that keeps plain numbers, used to observe what the registry fans out. It stands in
 * for the MetricBackend interface itself; the Prometheus adapter has its own tests on prom-client.
 */
export class RecordingBackend implements MetricBackend {
  readonly name = 'recording';
  readonly defs = new Map<string, BackendMetricDef>();
  readonly counters = new Map<string, number>();
  readonly observations = new Map<string, number[]>();
  readonly info = new Map<string, LabelValues>();

  define(def: BackendMetricDef): void {
    if (this.defs.has(def.name)) throw new Error(`defined twice: ${def.name}`);
    this.defs.set(def.name, def);
  }
  counterSeries(name: string, labelValues: LabelValues) {
    const key = `${name}{${labelValues.join(',')}}`;
    this.counters.set(key, this.counters.get(key) ?? 0);
    return { inc: (v: number) => this.counters.set(key, (this.counters.get(key) ?? 0) + v) };
  }
  histogramSeries(name: string, labelValues: LabelValues) {
    const key = `${name}{${labelValues.join(',')}}`;
    const list = this.observations.get(key) ?? [];
    this.observations.set(key, list);
    return { observe: (v: number) => list.push(v) };
  }
  setInfo(name: string, labelValues: LabelValues): void {
    this.info.set(name, labelValues);
  }
  /** Reads a gauge the way a scrape would. */
  readGauge(name: string): { ok: boolean; samples: [number, LabelValues][] } {
    const def = this.defs.get(name);
    if (def?.kind !== 'gauge') throw new Error(`${name} is not a gauge`);
    const samples: [number, LabelValues][] = [];
    const ok = def.read((value, labels) => samples.push([value, labels]));
    return { ok, samples };
  }
}
