// A fake bot's metrics for tests. `wire()` answers what the server sends (core's compact
// `MetricsSnapshot`: label names and bucket bounds once per family, counters keyed with `_total`,
// histograms by base name with bounds ending in `+Inf`); `snapshot()` is that frame read by
// `parseSnapshot`, as the app keeps it.

import { SnapshotBuffer, windowOf } from '../lib/buffer';
import { metricNames } from '../lib/names';
import type { StatsInput } from '../lib/stats/input';
import {
  type Labels,
  type MetricsSnapshot,
  type MetricType,
  parseSnapshot,
  type WireFamily,
  type WireSnapshot,
} from '../lib/types';

type ScalarType = Exclude<MetricType, 'histogram'>;

interface ScalarSeries {
  values: string[];
  value: number;
}

interface HistogramSeries {
  values: string[];
  counts: number[];
  sum: number;
  count: number;
}

type FakeFamily =
  | { type: ScalarType; labelNames: string[] | null; series: Map<string, ScalarSeries> }
  | {
      type: 'histogram';
      labelNames: string[] | null;
      bounds: number[] | null;
      series: Map<string, HistogramSeries>;
    };

/** A fake bot's metric state: bump counters, observe histograms, set gauges, then snapshot. */
export class FakeMetrics {
  private families = new Map<string, FakeFamily>();

  constructor(readonly cluster = 'default') {}

  private fam(name: string, type: MetricType): FakeFamily {
    let f = this.families.get(name);
    if (!f) {
      f =
        type === 'histogram'
          ? { type, labelNames: null, bounds: null, series: new Map() }
          : { type, labelNames: null, series: new Map() };
      this.families.set(name, f);
    }
    if (f.type !== type) throw new Error(`${name} is a ${f.type}, not a ${type}`);
    return f;
  }

  /** The label values in the family's label order (set by its first series), and their key. */
  private values(name: string, f: FakeFamily, labels: Labels): { key: string; values: string[] } {
    f.labelNames ??= Object.keys(labels);
    const names = f.labelNames;
    if (Object.keys(labels).length !== names.length || names.some((l) => labels[l] === undefined)) {
      throw new Error(`${name}: labels ${Object.keys(labels)} differ from ${names}`);
    }
    const values = names.map((l) => labels[l]!);
    return { key: JSON.stringify(values), values };
  }

  private scalar(name: string, type: ScalarType, labels: Labels): ScalarSeries {
    const f = this.fam(name, type);
    if (f.type === 'histogram') throw new Error(`${name} is a histogram`);
    const { key, values } = this.values(name, f, labels);
    let s = f.series.get(key);
    if (!s) {
      s = { values, value: 0 };
      f.series.set(key, s);
    }
    return s;
  }

  gauge(name: string, value: number, labels: Labels = {}): this {
    this.scalar(name, 'gauge', { ...labels, cluster: this.cluster }).value = value;
    return this;
  }

  /** A gauge without the cluster label (prom-client's process metrics). */
  processGauge(name: string, value: number): this {
    this.scalar(name, 'gauge', {}).value = value;
    return this;
  }

  inc(name: string, labels: Labels = {}, by = 1): this {
    this.scalar(name, 'counter', { ...labels, cluster: this.cluster }).value += by;
    return this;
  }

  /** Makes sure a family exists (with no series). */
  define(name: string, type: MetricType = 'counter'): this {
    this.fam(name, type);
    return this;
  }

  observe(base: string, bounds: number[], value: number, labels: Labels = {}, times = 1): this {
    const f = this.fam(base, 'histogram');
    if (f.type !== 'histogram') throw new Error(`${base} is not a histogram`);
    f.bounds ??= bounds;
    const { key, values } = this.values(base, f, { ...labels, cluster: this.cluster });
    let s = f.series.get(key);
    if (!s) {
      s = { values, counts: f.bounds.map(() => 0), sum: 0, count: 0 };
      f.series.set(key, s);
    }
    const series = s;
    f.bounds.forEach((b, i) => {
      if (value <= b) series.counts[i]! += times;
    });
    series.sum += value * times;
    series.count += times;
    return this;
  }

  /** Resets every counter and histogram to 0 (the bot restarted): their series are gone. */
  reset(): this {
    for (const f of this.families.values())
      if (f.type === 'counter' || f.type === 'histogram') f.series.clear();
    return this;
  }

  /** The frame as the server sends it. */
  wire(time: number): WireSnapshot {
    const metrics: Record<string, WireFamily> = {};
    for (const [name, f] of this.families) {
      const labelNames = [...(f.labelNames ?? [])];
      if (f.type === 'histogram') {
        metrics[name] = {
          type: 'histogram',
          help: name,
          labelNames,
          le: [...(f.bounds ?? []).map(String), '+Inf'],
          series: [...f.series.values()].map((s) => [[...s.values], [...s.counts, s.count], s.sum, s.count]),
        };
      } else {
        metrics[name] = {
          type: f.type,
          help: name,
          labelNames,
          series: [...f.series.values()].map((s) => [[...s.values], s.value]),
        };
      }
    }
    return { time, metrics };
  }

  /** The frame as the app keeps it: `wire(time)` through `parseSnapshot`. */
  snapshot(time: number): MetricsSnapshot {
    const snap = parseSnapshot(this.wire(time));
    if (!snap) throw new Error('parseSnapshot refused a fixture');
    return snap;
  }
}

export const RESPONSE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];
export const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const REST_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/**
 * A bot with two shards and steady traffic, as the server sends it: 6 frames 5 s apart. Per step:
 * 10 interactions (/ping 8 answered in 0.2 s, /slow 2 answered in 4 s and counted unanswered),
 * 10 app command calls (/ping 8 ok, /slow 1 ok + 1 error).
 */
export function demoFrames(namespace = 'discord', steps = 6): WireSnapshot[] {
  const n = metricNames(namespace);
  const m = new FakeMetrics();
  const frames: WireSnapshot[] = [];
  m.gauge(n.guilds, 42)
    .gauge(n.shardsConfigured, 2)
    .gauge(n.shardsConnected, 2)
    .gauge(n.shardUp, 1, { shard: '0' })
    .gauge(n.shardUp, 1, { shard: '1' })
    .gauge(n.eventLoopLag, 0.012)
    .gauge(n.up, 1)
    .gauge(n.subsystemUp, 1, { subsystem: 'server' })
    .gauge(n.subsystemUp, 1, { subsystem: 'instrumentation' })
    .gauge(n.uptime, 3600)
    .processGauge('process_resident_memory_bytes', 150 * 1024 * 1024)
    .processGauge('nodejs_heap_size_used_bytes', 60 * 1024 * 1024)
    .define(n.timersEvicted)
    .define(n.instrumentationErrors);
  for (let i = 0; i < steps; i++) {
    m.gauge(n.shardLatency, 0.04 + i * 0.001, { shard: '0' }).gauge(n.shardLatency, 0.06, { shard: '1' });
    if (i > 0) {
      m.inc(n.interactions, { type: 'application_command', status: 'received' }, 10)
        .observe(
          n.interactionResponse,
          RESPONSE_BUCKETS,
          0.2,
          { type: 'application_command', command: 'ping' },
          8,
        )
        .observe(
          n.interactionResponse,
          RESPONSE_BUCKETS,
          4,
          { type: 'application_command', command: 'slow' },
          2,
        )
        .inc(n.interactionsUnanswered, { type: 'application_command', command: 'slow' }, 2)
        .inc(n.appCommands, { command: 'ping', status: 'success' }, 8)
        .inc(n.appCommands, { command: 'slow', status: 'success' }, 1)
        .inc(n.appCommands, { command: 'slow', status: 'error' }, 1)
        .observe(n.appCommandDuration, DURATION_BUCKETS, 0.08, { command: 'ping' }, 8)
        .observe(n.appCommandDuration, DURATION_BUCKETS, 4, { command: 'slow' }, 2)
        .inc(n.gatewayEvents, { event: 'MESSAGE_CREATE' }, 50)
        .inc(n.gatewayEvents, { event: 'INTERACTION_CREATE' }, 10)
        .inc(n.restInvalidRequests, { status: '429' }, 3)
        .inc(n.rateLimits, { scope: 'user', method: 'POST', route: '/channels/:id/messages' }, 1)
        .observe(
          n.restDuration,
          REST_BUCKETS,
          0.12,
          { method: 'POST', route: '/interactions/:id/:token/callback' },
          10,
        );
    }
    frames.push(m.wire(T0 + i * 5000));
  }
  return frames;
}

/** `demoFrames` as the app buffers them. */
export function demoBuffer(namespace = 'discord', steps = 6): SnapshotBuffer {
  const buffer = new SnapshotBuffer();
  for (const frame of demoFrames(namespace, steps)) buffer.push(parseSnapshot(frame)!);
  return buffer;
}

/** What the sections compute from: a buffer, its rolling window, the names and the cluster match. */
export function statsInput(
  buffer: SnapshotBuffer,
  namespace = 'discord',
  windowMs = 5 * 60_000,
  match = {},
): StatsInput {
  return {
    frames: buffer.frames,
    window: windowOf(buffer.frames, windowMs),
    names: metricNames(namespace),
    match,
  };
}
