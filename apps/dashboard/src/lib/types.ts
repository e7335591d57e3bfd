// The dashboard API's wire types, and the snapshot as the app keeps it.
//
// The wire form of a snapshot comes from @argus/core's browser-safe subpath (`@argus/core/wire`),
// so the page and the bot read one definition: compact, label names and bucket bounds once per
// family, each series only its values. `parseSnapshot` expands it into one `Sample` per value, as
// Prometheus exposes them, which is what the rest of the app reads.

import type { SnapshotMetricType } from '@argus/core/wire';

export type {
  MetricsSnapshot as WireSnapshot,
  SnapshotFamily as WireFamily,
  SnapshotHistogramFamily as WireHistogramFamily,
  SnapshotHistogramSeries as WireHistogramSeries,
  SnapshotScalarFamily as WireScalarFamily,
  SnapshotSeries as WireSeries,
} from '@argus/core/wire';

export type MetricType = SnapshotMetricType;

/** Read-only: the samples of one series share the object. */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  /** The family name, or `<name>_bucket` (with an `le` label), `_sum`, `_count`. */
  name: string;
  labels: Labels;
  value: number;
}

export interface Family {
  type: MetricType;
  help: string;
  samples: Sample[];
}

/** Every metric at one instant, expanded: counters keyed with `_total`, histograms by base name. */
export interface MetricsSnapshot {
  /** Milliseconds since the epoch (server clock). */
  time: number;
  metrics: Record<string, Family>;
}

/**
 * `GET /api/config`. @argus/server owns this shape (`DashboardConfigBody`), and core cannot
 * re-export a server type, so it is spelt out here and read leniently.
 */
export interface DashboardConfig {
  version: string;
  namespace: string;
  cluster: string;
  metricsPath: string;
  dashboardPath: string;
  intervalSeconds: number;
  authRequired: boolean;
  grafanaUrl: string | null;
  /** Where a trace opens, with `{traceId}` where the id goes; null when none is configured. */
  traceUiUrl: string | null;
  sections: { grafana: boolean; analytics: boolean; traces: boolean };
  /** Served by a sharding manager (@argus/sharding): the Fleet section and `/api/fleet` exist. */
  fleet: boolean;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Reads `/api/config` leniently: a missing or odd field takes the server's default. */
export function parseConfig(raw: unknown): DashboardConfig {
  const o = isRecord(raw) ? raw : {};
  const str = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);
  const sections = isRecord(o.sections) ? o.sections : {};
  const interval = Number(o.intervalSeconds);
  const namespace = str(o.namespace, 'discord');
  return {
    version: str(o.version, ''),
    namespace: /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(namespace) ? namespace : 'discord',
    cluster: str(o.cluster, 'default'),
    metricsPath: str(o.metricsPath, '/metrics'),
    dashboardPath: str(o.dashboardPath, '/'),
    intervalSeconds: Number.isFinite(interval) && interval > 0 ? interval : 5,
    authRequired: o.authRequired === true,
    grafanaUrl: typeof o.grafanaUrl === 'string' && o.grafanaUrl !== '' ? o.grafanaUrl : null,
    traceUiUrl: typeof o.traceUiUrl === 'string' && o.traceUiUrl.includes('{traceId}') ? o.traceUiUrl : null,
    sections: {
      grafana: sections.grafana === true,
      analytics: sections.analytics === true,
      traces: sections.traces === true,
    },
    fleet: o.fleet === true,
  };
}

const SCALAR_TYPES: ReadonlySet<unknown> = new Set(['counter', 'gauge', 'info', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A list of strings, or null when it is anything else. */
function strings(x: unknown): string[] | null {
  if (!Array.isArray(x)) return null;
  for (const s of x) if (typeof s !== 'string') return null;
  return x as string[];
}

/**
 * A family's label names, or null when they cannot be trusted: not strings, not label names
 * (`__*` is reserved, so `__proto__` cannot reach an object key), repeated, or `le` on a histogram.
 */
function labelNamesOf(x: unknown, histogram: boolean): string[] | null {
  const names = strings(x);
  if (!names) return null;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!LABEL_NAME.test(name) || name.startsWith('__') || names.indexOf(name) !== i) return null;
    if (histogram && name === 'le') return null;
  }
  return names;
}

/** Label values with one string per name, or null. */
function valuesOf(names: readonly string[], values: unknown): string[] | null {
  if (!Array.isArray(values) || values.length !== names.length) return null;
  for (const v of values) if (typeof v !== 'string') return null;
  return values as string[];
}

/**
 * The labels of one series, in `names` order, then `le` when given. Built key by key: an object
 * spread per bucket costs several times as much.
 */
function labelsOf(names: readonly string[], values: readonly string[], le?: string): Labels {
  const labels: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) labels[names[i]!] = values[i]!;
  if (le !== undefined) labels.le = le;
  return labels;
}

/** `[labelValues, value]` rows → one sample each, named like the family. */
function scalarSamples(name: string, labelNames: readonly string[], series: unknown[]): Sample[] {
  const samples: Sample[] = [];
  for (const row of series) {
    if (!Array.isArray(row) || row.length !== 2 || !isNumber(row[1])) continue;
    const values = valuesOf(labelNames, row[0]);
    if (values) samples.push({ name, labels: labelsOf(labelNames, values), value: row[1] });
  }
  return samples;
}

/**
 * `[labelValues, buckets, sum, count]` rows → `<name>_bucket` per bound (labels, then `le`), then
 * `<name>_sum` and `<name>_count`, as the exposition lists them.
 */
function histogramSamples(
  name: string,
  labelNames: readonly string[],
  le: readonly string[],
  series: unknown[],
): Sample[] {
  const bucket = `${name}_bucket`;
  const sum = `${name}_sum`;
  const count = `${name}_count`;
  const samples: Sample[] = [];
  rows: for (const row of series) {
    if (!Array.isArray(row) || row.length !== 4 || !isNumber(row[2]) || !isNumber(row[3])) continue;
    const counts: unknown = row[1];
    if (!Array.isArray(counts) || counts.length !== le.length) continue;
    for (const c of counts) if (!isNumber(c)) continue rows;
    const values = valuesOf(labelNames, row[0]);
    if (!values) continue;
    for (let i = 0; i < le.length; i++) {
      samples.push({ name: bucket, labels: labelsOf(labelNames, values, le[i]), value: counts[i] as number });
    }
    const labels = labelsOf(labelNames, values);
    samples.push({ name: sum, labels, value: row[2] });
    samples.push({ name: count, labels, value: row[3] });
  }
  return samples;
}

/**
 * Reads a snapshot off the network (`/api/snapshot`, an `/api/stream` frame) and expands it into
 * the app's samples. Never throws: a family whose name, label names or bounds are unusable is left
 * out, as is any malformed series; an unknown type (a newer server's) reads as `untyped`. Null when it
 * is not a snapshot at all.
 */
export function parseSnapshot(raw: unknown): MetricsSnapshot | null {
  if (!isRecord(raw) || !isNumber(raw.time) || !isRecord(raw.metrics)) return null;
  const metrics: Record<string, Family> = {};
  for (const name of Object.keys(raw.metrics)) {
    // `__*` is reserved, and `__proto__` must not become the prototype of `metrics`.
    if (!METRIC_NAME.test(name) || name.startsWith('__')) continue;
    const fam = raw.metrics[name];
    if (!isRecord(fam) || !Array.isArray(fam.series)) continue;
    const help = typeof fam.help === 'string' ? fam.help : '';
    const histogram = fam.type === 'histogram';
    const labelNames = labelNamesOf(fam.labelNames, histogram);
    if (!labelNames) continue;
    if (histogram) {
      const le = strings(fam.le);
      if (!le || le.length === 0) continue;
      metrics[name] = {
        type: 'histogram',
        help,
        samples: histogramSamples(name, labelNames, le, fam.series),
      };
    } else {
      const type = SCALAR_TYPES.has(fam.type) ? (fam.type as MetricType) : 'untyped';
      metrics[name] = { type, help, samples: scalarSamples(name, labelNames, fam.series) };
    }
  }
  return { time: raw.time, metrics };
}
