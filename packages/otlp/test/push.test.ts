// The push on Argus' own registry and the real Prometheus backend (prom-client), exporting with
// the real SDK exporter into the decoding receiver: temporality, resets, transports, options.
import { MetricRegistry, type MetricsSnapshot } from '@argus/core';
import { PrometheusAdapter } from '@argus/prometheus';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { argusMetricProducer, OtlpOptionError, otlp } from '../src/index';
import { type FlatPoint, flatten, type OtlpReceiver, startOtlpReceiver } from './otlp-receiver';

const DELTA = 1;
const CUMULATIVE = 2;
const HOUR = 3_600_000;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver();
  cleanups.push(() => r.close());
  return r;
}

function backend() {
  const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
  const prometheus = new PrometheusAdapter({ processMetrics: false });
  registry.attach(prometheus);
  registry.define({ kind: 'counter', name: 'discord_things_total', help: 'Things.', labelNames: ['kind'] });
  registry.define({ kind: 'histogram', name: 'discord_wait_seconds', help: 'Waits.', buckets: [0.1, 1] });
  cleanups.push(async () => prometheus.close());
  return {
    registry,
    prometheus,
    things: registry.counter('discord_things_total'),
    wait: registry.histogram('discord_wait_seconds'),
  };
}

const point = (points: FlatPoint[], name: string) => {
  const found = points.find((p) => p.name === name);
  if (!found) throw new Error(`${name} not exported`);
  return found;
};

describe('temporality', () => {
  it('delta: each export carries the change since the last one, starting where the last ended', async () => {
    const r = await receiver();
    const { registry, prometheus, things, wait } = backend();
    const push = otlp({ url: r.url, temporality: 'delta', intervalMs: HOUR }).start({
      snapshot: () => prometheus.snapshot(),
      registry,
      clusterId: 'c1',
    });
    cleanups.push(() => push.close(1_000));
    things.inc({ kind: 'a' }, 3);
    wait.observe(undefined, 0.05);
    wait.observe(undefined, 0.5);
    await push.flush();
    things.inc({ kind: 'a' }, 2);
    wait.observe(undefined, 2);
    await push.flush();
    expect(r.received).toHaveLength(2);
    const [first, second] = r.received.map((x) => flatten(x.body));
    const c1 = point(first!, 'discord_things_total');
    const c2 = point(second!, 'discord_things_total');
    expect([c1.value, c2.value]).toEqual([3, 2]);
    expect([c1.temporality, c2.temporality]).toEqual([DELTA, DELTA]);
    expect(c2.start).toBe(c1.end);
    const h1 = point(first!, 'discord_wait_seconds');
    const h2 = point(second!, 'discord_wait_seconds');
    expect(h1.histogram).toEqual({ bounds: [0.1, 1], counts: [1, 1, 0], sum: 0.55, count: 2 });
    expect(h2.histogram).toMatchObject({ bounds: [0.1, 1], counts: [0, 0, 1], count: 1 });
    // A delta sum is a difference of two running float sums.
    expect(h2.histogram!.sum).toBeCloseTo(2, 12);
    expect(h2.start).toBe(h1.end);
    expect(h1.unit).toBe('s');
  });

  it('cumulative (the default): running totals from one start time', async () => {
    const r = await receiver();
    const { registry, prometheus, things } = backend();
    const push = otlp({ url: r.url, intervalMs: HOUR }).start({
      snapshot: () => prometheus.snapshot(),
      registry,
      clusterId: 'c1',
    });
    cleanups.push(() => push.close(1_000));
    things.inc({ kind: 'a' }, 3);
    await push.flush();
    things.inc({ kind: 'a' }, 2);
    await push.flush();
    const [a, b] = r.received.map((x) => point(flatten(x.body), 'discord_things_total'));
    expect([a!.value, b!.value]).toEqual([3, 5]);
    expect([a!.temporality, b!.temporality]).toEqual([CUMULATIVE, CUMULATIVE]);
    expect(b!.start).toBe(a!.start);
    expect(a!.attributes).toEqual({ kind: 'a', cluster: 'c1' });
  });

  it('a counter that goes back (its process restarted) starts a new total instead of a negative delta', async () => {
    // A hand-written sequence of snapshots, as a fleet view would hand over after a child restart.
    const values = [10, 15, 4, 6];
    let at = Date.now();
    const snapshot = (): MetricsSnapshot => {
      at += 1_000;
      return {
        time: at,
        metrics: {
          discord_things_total: {
            type: 'counter',
            help: 'Things.',
            labelNames: ['cluster'],
            series: [[['c1'], values.shift()!]],
          },
        },
      };
    };
    for (const temporality of ['delta', 'cumulative'] as const) {
      values.splice(0, values.length, 10, 15, 4, 6);
      const r = await receiver();
      const push = otlp({ url: r.url, temporality, intervalMs: HOUR }).start({
        snapshot,
        registry: new MetricRegistry(),
        clusterId: 'c1',
      });
      for (let i = 0; i < 4; i++) await push.flush();
      await push.close(1_000);
      const points = r.received.slice(0, 4).map((x) => point(flatten(x.body), 'discord_things_total'));
      if (temporality === 'delta') {
        expect(points.map((p) => p.value)).toEqual([10, 5, 4, 2]);
        expect(points[2]!.start).toBe(points[1]!.end);
      } else {
        expect(points.map((p) => p.value)).toEqual([10, 15, 4, 6]);
        // The new running total starts at the last export before the reset.
        expect(points[2]!.start).toBe(points[1]!.end);
        expect(points[3]!.start).toBe(points[1]!.end);
      }
    }
  });
});

describe('transport', () => {
  it('sends JSON on request, gzip-compressed, with the vendor headers', async () => {
    const r = await receiver();
    const { registry, prometheus, things } = backend();
    const push = otlp({
      url: r.url,
      protocol: 'http/json',
      compression: 'gzip',
      headers: { authorization: 'Bearer s3cret', 'x-scope': 'bots' },
      intervalMs: HOUR,
    }).start({ snapshot: () => prometheus.snapshot(), registry, clusterId: 'c1' });
    things.inc({ kind: 'b' }, 7);
    await push.flush();
    await push.close(1_000);
    const got = r.received[0]!;
    expect(got.contentType).toMatch(/^application\/json/);
    expect(got.contentEncoding).toBe('gzip');
    expect(got.headers.authorization).toBe('Bearer s3cret');
    expect(got.headers['x-scope']).toBe('bots');
    expect(point(flatten(got.body), 'discord_things_total').value).toBe(7);
  });
});

describe('options', () => {
  it('names the bad option and value', () => {
    expect(() => otlp({ url: 'grpc://collector:4317' })).toThrow(OtlpOptionError);
    expect(() => otlp({ url: 'grpc://collector:4317' })).toThrow(/option url: .*http:\/\/ or https:\/\//);
    expect(() => otlp({ url: 'not a url' })).toThrow(/option url: "not a url" is not a valid URL/);
    expect(() => otlp({ url: 'http://c:4318', intervalMs: 0 })).toThrow(/option intervalMs: 0/);
    expect(() => otlp({ url: 'http://c:4318', protocol: 'grpc' as never })).toThrow(
      /option protocol: "grpc" is not one of http\/protobuf, http\/json/,
    );
    expect(() => otlp({ url: 'http://c:4318', headers: { a: 'x\r\ny' } })).toThrow(
      /option headers: the value of a/,
    );
  });

  it('completes a bare collector address with /v1/metrics and caps the timeout at the interval', () => {
    const adapter = otlp({ url: 'https://otlp.example.com', intervalMs: 5_000, timeoutMs: 20_000 });
    expect(adapter.options).toMatchObject({
      url: 'https://otlp.example.com/v1/metrics',
      protocol: 'http/protobuf',
      compression: 'none',
      temporality: 'cumulative',
      intervalMs: 5_000,
      timeoutMs: 5_000,
    });
  });
});

describe('argusMetricProducer', () => {
  it("adds Argus' families to a bot's own MeterProvider, beside its own instruments", async () => {
    const r = await receiver();
    const { prometheus, things } = backend();
    things.inc({ kind: 'c' }, 4);
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: r.url }),
      exportIntervalMillis: HOUR,
      metricProducers: [argusMetricProducer({ snapshot: () => prometheus.snapshot(), clusterId: 'c1' })],
    });
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter('bot').createCounter('bot_own_total').add(2);
    await reader.forceFlush();
    await provider.shutdown();
    const points = flatten(r.received[0]!.body);
    expect(point(points, 'bot_own_total').value).toBe(2);
    expect(point(points, 'discord_things_total')).toMatchObject({
      value: 4,
      attributes: { kind: 'c', cluster: 'c1' },
    });
  });
});
