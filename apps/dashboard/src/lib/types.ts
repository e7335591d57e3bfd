// The wire types of the dashboard API. They mirror `MetricsSnapshot` in @argus/core
// (packages/core/src/snapshot.ts) so the browser bundle never imports server code.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'info' | 'summary' | 'untyped';

export type Labels = Record<string, string>;

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

/** Every metric at one instant: counters keyed with `_total`, histograms by base name. */
export interface MetricsSnapshot {
  /** Milliseconds since the epoch (server clock). */
  time: number;
  metrics: Record<string, Family>;
}

/** `GET /api/config`. */
export interface DashboardConfig {
  version: string;
  namespace: string;
  cluster: string;
  metricsPath: string;
  dashboardPath: string;
  intervalSeconds: number;
  authRequired: boolean;
  grafanaUrl: string | null;
  sections: { grafana: boolean; analytics: boolean };
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
    sections: { grafana: sections.grafana === true, analytics: sections.analytics === true },
  };
}

/** Checks the shape of a snapshot before it enters the buffer; drops malformed samples. */
export function parseSnapshot(raw: unknown): MetricsSnapshot | null {
  if (!isRecord(raw) || typeof raw.time !== 'number' || !Number.isFinite(raw.time)) return null;
  if (!isRecord(raw.metrics)) return null;
  const metrics: Record<string, Family> = {};
  for (const [name, fam] of Object.entries(raw.metrics)) {
    if (!isRecord(fam) || !Array.isArray(fam.samples)) continue;
    const samples: Sample[] = [];
    for (const s of fam.samples) {
      if (!isRecord(s) || typeof s.name !== 'string' || typeof s.value !== 'number') continue;
      samples.push({ name: s.name, labels: isRecord(s.labels) ? (s.labels as Labels) : {}, value: s.value });
    }
    metrics[name] = {
      type: typeof fam.type === 'string' ? (fam.type as MetricType) : 'untyped',
      help: typeof fam.help === 'string' ? fam.help : '',
      samples,
    };
  }
  return { time: raw.time, metrics };
}
