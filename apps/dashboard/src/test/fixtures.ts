// Builders for snapshots in tests, shaped like the server's (counters keyed with `_total`,
// histograms by base name with `_bucket`/`_sum`/`_count` samples and `le="+Inf"`).

import { SnapshotBuffer } from '../lib/buffer';
import { metricNames } from '../lib/names';
import type { Family, Labels, MetricsSnapshot, MetricType } from '../lib/types';

type Key = string;

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());

/** A fake bot's metric state: bump counters, observe histograms, set gauges, then snapshot. */
export class FakeMetrics {
  private families = new Map<
    string,
    { type: MetricType; help: string; series: Map<Key, { labels: Labels; value: number }> }
  >();
  private hists = new Map<
    string,
    { bounds: number[]; series: Map<Key, { labels: Labels; counts: number[]; sum: number; count: number }> }
  >();

  constructor(readonly cluster = 'default') {}

  private fam(name: string, type: MetricType) {
    let f = this.families.get(name);
    if (!f) {
      f = { type, help: name, series: new Map() };
      this.families.set(name, f);
    }
    return f;
  }

  gauge(name: string, value: number, labels: Labels = {}): this {
    const l = { ...labels, cluster: this.cluster };
    this.fam(name, 'gauge').series.set(keyOf(l), { labels: l, value });
    return this;
  }

  /** A gauge without the cluster label (prom-client's process metrics). */
  processGauge(name: string, value: number): this {
    this.fam(name, 'gauge').series.set('{}', { labels: {}, value });
    return this;
  }

  inc(name: string, labels: Labels = {}, by = 1): this {
    const l = { ...labels, cluster: this.cluster };
    const f = this.fam(name, 'counter');
    const k = keyOf(l);
    const cur = f.series.get(k);
    f.series.set(k, { labels: l, value: (cur?.value ?? 0) + by });
    return this;
  }

  /** Makes sure a counter family exists (with no series). */
  define(name: string, type: MetricType = 'counter'): this {
    this.fam(name, type);
    return this;
  }

  observe(base: string, bounds: number[], value: number, labels: Labels = {}, times = 1): this {
    const l = { ...labels, cluster: this.cluster };
    let h = this.hists.get(base);
    if (!h) {
      h = { bounds, series: new Map() };
      this.hists.set(base, h);
    }
    const k = keyOf(l);
    let s = h.series.get(k);
    if (!s) {
      s = { labels: l, counts: bounds.map(() => 0), sum: 0, count: 0 };
      h.series.set(k, s);
    }
    bounds.forEach((b, i) => {
      if (value <= b) s.counts[i]! += times;
    });
    s.sum += value * times;
    s.count += times;
    return this;
  }

  /** Resets every counter and histogram to 0 (the bot restarted). */
  reset(): this {
    for (const f of this.families.values()) if (f.type === 'counter') f.series.clear();
    this.hists.clear();
    return this;
  }

  snapshot(time: number): MetricsSnapshot {
    const metrics: Record<string, Family> = {};
    for (const [name, f] of this.families) {
      metrics[name] = {
        type: f.type,
        help: f.help,
        samples: [...f.series.values()].map((s) => ({ name, labels: { ...s.labels }, value: s.value })),
      };
    }
    for (const [base, h] of this.hists) {
      const samples = [];
      for (const s of h.series.values()) {
        h.bounds.forEach((b, i) => {
          samples.push({
            name: `${base}_bucket`,
            labels: { ...s.labels, le: String(b) },
            value: s.counts[i]!,
          });
        });
        samples.push({ name: `${base}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count });
        samples.push({ name: `${base}_sum`, labels: { ...s.labels }, value: s.sum });
        samples.push({ name: `${base}_count`, labels: { ...s.labels }, value: s.count });
      }
      metrics[base] = { type: 'histogram', help: base, samples };
    }
    return { time, metrics };
  }
}

export const RESPONSE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10];
export const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const REST_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/**
 * A bot with two shards and steady traffic, for component tests: 6 frames 5 s apart. Per step:
 * 10 interactions (/ping 8 answered in 0.2 s, /slow 2 answered in 4 s and counted unanswered),
 * 10 app command calls (/ping 8 ok, /slow 1 ok + 1 error).
 */
export function demoBuffer(namespace = 'discord', steps = 6): SnapshotBuffer {
  const n = metricNames(namespace);
  const m = new FakeMetrics();
  const buffer = new SnapshotBuffer();
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
    buffer.push(m.snapshot(T0 + i * 5000));
  }
  return buffer;
}
