import type { BackendMetricDef } from '@argus/core';
import { Counter, Gauge, register as globalRegistry, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrometheusAdapter, type PrometheusAdapterOptions } from './adapter';

const counterDef: BackendMetricDef = Object.freeze({
  kind: 'counter',
  name: 'x_total',
  help: 'X.',
  labelNames: Object.freeze(['command']),
});

const adapters: PrometheusAdapter[] = [];
function adapter(options: PrometheusAdapterOptions = { processMetrics: false }) {
  const a = new PrometheusAdapter(options);
  adapters.push(a);
  return a;
}
afterEach(() => {
  for (const a of adapters.splice(0)) a.close();
});

describe('PrometheusAdapter options', () => {
  it('uses its own registry, never the global one', async () => {
    const before = globalRegistry.getMetricsAsArray().length;
    const a = adapter({});
    a.define(counterDef);
    expect(a.registry).toBeInstanceOf(Registry);
    expect(a.registry).not.toBe(globalRegistry);
    expect(globalRegistry.getMetricsAsArray()).toHaveLength(before);
    expect(a.registry.getSingleMetric('x_total')).toBeDefined();
    expect(a.name).toBe('prometheus');
  });

  it('validates its options with errors that name them', () => {
    expect(() => new PrometheusAdapter({ processMetrics: 'yes' as never })).toThrow(
      /"processMetrics" must be a boolean/,
    );
    expect(() => new PrometheusAdapter({ prefix: 'bad-prefix' })).toThrow(
      /"prefix" must be a valid metric name prefix/,
    );
    expect(() => new PrometheusAdapter({ registry: {} as never })).toThrow(
      /"registry" must be a prom-client Registry/,
    );
  });

  it('prefixes the default process metrics', () => {
    const a = adapter({ prefix: 'bot_' });
    const names = a.registry.getMetricsAsArray().map((m) => m.name);
    expect(names).toContain('bot_process_cpu_user_seconds_total');
    expect(names.every((n) => n.startsWith('bot_'))).toBe(true);
  });

  it('explains a registry that already has the default metrics', () => {
    const registry = new Registry();
    adapter({ registry });
    const count = registry.getMetricsAsArray().length;
    expect(() => new PrometheusAdapter({ registry })).toThrow(/pass processMetrics: false/);
    expect(registry.getMetricsAsArray()).toHaveLength(count);
  });
});

describe('definitions', () => {
  it('accepts the same definition again (a replay after detach/attach) and keeps the state', async () => {
    const a = adapter();
    a.define(counterDef);
    const series = a.counterSeries('x_total', ['ping']);
    series.inc(2);
    a.define(counterDef);
    a.define({ ...counterDef });
    expect(a.counterSeries('x_total', ['ping'])).toBe(series);
    expect(await a.render()).toContain('x_total{command="ping"} 2\n');
  });

  it('refuses a different shape under the same name', () => {
    const a = adapter();
    a.define(counterDef);
    expect(() => a.define({ ...counterDef, labelNames: ['other'] })).toThrow(
      /already defined with a different/,
    );
    expect(() =>
      a.define({ kind: 'histogram', name: 'x_total', help: 'X.', labelNames: ['command'], buckets: [1] }),
    ).toThrow(/already defined with a different/);
  });

  it('refuses a name a prom-client metric already uses in the registry', () => {
    const a = adapter();
    new Counter({ name: 'x_total', help: 'mine', registers: [a.registry] });
    expect(() => a.define(counterDef)).toThrow(/prom-client registry already has a metric with that name/);
  });

  it('reads a redefined gauge through the newest reader', async () => {
    const a = adapter();
    const gauge = (value: number): BackendMetricDef => ({
      kind: 'gauge',
      name: 'g',
      help: 'G.',
      labelNames: [],
      read: (emit) => {
        emit(value, []);
        return true;
      },
    });
    a.define(gauge(1));
    a.define(gauge(2));
    expect(await a.render()).toBe('# HELP g G.\n# TYPE g gauge\ng 2\n');
  });

  it('throws on series of undefined or mistyped metrics', () => {
    const a = adapter();
    a.define(counterDef);
    expect(() => a.counterSeries('nope_total', [])).toThrow(/never defined/);
    expect(() => a.histogramSeries('x_total', ['a'])).toThrow(/"x_total" is not a histogram/);
    expect(() => a.setInfo('x_total', ['a'])).toThrow(/is not a info/);
  });
});

describe('close', () => {
  it('clears a registry it owns, and everything becomes a harmless no-op', async () => {
    const a = adapter({});
    a.define(counterDef);
    const series = a.counterSeries('x_total', ['ping']);
    new Gauge({ name: 'user_gauge', help: 'mine', registers: [a.registry] });
    a.close();
    a.close();
    expect(a.registry.getMetricsAsArray()).toHaveLength(0);
    series.inc(1);
    expect(() => a.counterSeries('x_total', ['ping']).inc(1)).not.toThrow();
    expect(() => a.histogramSeries('h', []).observe(1)).not.toThrow();
    expect(() => a.setInfo('i_info', [])).not.toThrow();
    a.define(counterDef);
    expect(await a.render()).toBe('');
    expect(await a.render('openmetrics')).toBe('# EOF\n');
  });

  it('removes only its own metrics from a registry it was given', () => {
    const registry = new Registry();
    new Gauge({ name: 'user_gauge', help: 'mine', registers: [registry] });
    const a = adapter({ registry });
    a.define(counterDef);
    expect(registry.getMetricsAsArray().length).toBeGreaterThan(10);
    a.close();
    expect(registry.getMetricsAsArray().map((m) => m.name)).toEqual(['user_gauge']);
  });
});

describe('render resilience', () => {
  it('drops a failing prom-client collector, reports scrape:<name>, and renders the rest', async () => {
    const guard = { report: vi.fn() };
    const a = adapter({ processMetrics: false, guard });
    a.define(counterDef);
    a.counterSeries('x_total', ['ping']).inc(1);
    new Gauge({
      name: 'broken_gauge',
      help: 'Throws.',
      registers: [a.registry],
      collect() {
        throw new Error('boom');
      },
    });
    new Gauge({
      name: 'rejecting_gauge',
      help: 'Rejects.',
      registers: [a.registry],
      async collect() {
        throw new Error('async boom');
      },
    });
    for (const format of ['text', 'openmetrics'] as const) {
      const out = await a.render(format);
      expect(out).toContain('x_total{command="ping"} 1\n');
      expect(out).not.toContain('broken_gauge');
      expect(out).not.toContain('rejecting_gauge');
    }
    expect(guard.report.mock.calls.map((c) => c[0])).toEqual([
      'scrape:broken_gauge',
      'scrape:rejecting_gauge',
      'scrape:broken_gauge',
      'scrape:rejecting_gauge',
    ]);
  });

  it('survives a guard that throws', async () => {
    const a = adapter({
      processMetrics: false,
      guard: {
        report() {
          throw new Error('guard down');
        },
      },
    });
    new Gauge({
      name: 'broken_gauge',
      help: 'Throws.',
      registers: [a.registry],
      collect() {
        throw new Error('boom');
      },
    });
    await expect(a.render()).resolves.toBe('');
  });
});
