// The adapter behind core's MetricRegistry: late attachment, scrape-time gauges that fail or
// emit garbage, and the no-unbounded-label invariant on real output.
import { FORBIDDEN_LABELS, MetricDefinitionError, MetricRegistry } from '@argus/core';
import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusAdapter } from '../src/index';
import { exposedLabelNames, realisticRegistry } from './fixtures';

const sample = (exposition: string, prefix: string) =>
  exposition.split('\n').find((line) => line.startsWith(prefix));

describe('attaching after definitions and bound handles', () => {
  it('replays definitions, series and info, and counts from then on', async () => {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.', labelNames: ['command'] });
    registry.define({
      kind: 'histogram',
      name: 'h_seconds',
      help: 'H.',
      labelNames: ['command'],
      buckets: [1, 5],
    });
    registry.define({ kind: 'gauge', name: 'g', help: 'G.', collect: (emit) => emit(7) });
    registry.define({ kind: 'info', name: 'i_info', help: 'I.', labelNames: ['v'] });
    const counter = registry.counter('c_total').labels('ping');
    const histogram = registry.histogram('h_seconds').labels('ping');
    counter.inc(5);
    histogram.observe(2);
    registry.setInfo('i_info', { v: '1.2.3' });

    const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
    registry.attach(adapter);
    let text = await adapter.render();
    // Bound before attach: present at zero, since what happened earlier was never seen.
    expect(sample(text, 'c_total{')).toBe('c_total{command="ping",cluster="c1"} 0');
    expect(sample(text, 'h_seconds_count{')).toBe('h_seconds_count{command="ping",cluster="c1"} 0');
    expect(sample(text, 'g{')).toBe('g{cluster="c1"} 7');
    expect(sample(text, 'i_info{')).toBe('i_info{v="1.2.3",cluster="c1"} 1');

    counter.inc();
    counter.inc(2);
    histogram.observe(0.5);
    histogram.observe(3);
    registry.counter('c_total').labels('ban').inc();
    text = await adapter.render();
    expect(sample(text, 'c_total{command="ping"')).toBe('c_total{command="ping",cluster="c1"} 3');
    expect(sample(text, 'c_total{command="ban"')).toBe('c_total{command="ban",cluster="c1"} 1');
    expect(text).toContain(
      [
        'h_seconds_bucket{command="ping",cluster="c1",le="1"} 1',
        'h_seconds_bucket{command="ping",cluster="c1",le="5"} 2',
        'h_seconds_bucket{command="ping",cluster="c1",le="+Inf"} 2',
        'h_seconds_sum{command="ping",cluster="c1"} 3.5',
        'h_seconds_count{command="ping",cluster="c1"} 2',
      ].join('\n'),
    );
    adapter.close();
  });

  it('keeps counters monotonic across detach and re-attach', async () => {
    const registry = new MetricRegistry();
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.' });
    const adapter = new PrometheusAdapter({ processMetrics: false });
    registry.attach(adapter);
    const counter = registry.counter('c_total').labels();
    counter.inc(2);
    registry.detach(adapter);
    counter.inc(100);
    registry.attach(adapter);
    counter.inc(1);
    expect(sample(await adapter.render(), 'c_total ')).toBe('c_total 3');
    adapter.close();
  });

  it('serves two adapters independently', async () => {
    const registry = new MetricRegistry();
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.' });
    const first = new PrometheusAdapter({ processMetrics: false });
    registry.attach(first);
    const counter = registry.counter('c_total').labels();
    counter.inc();
    const second = new PrometheusAdapter({ processMetrics: false });
    registry.attach(second);
    counter.inc();
    expect(sample(await first.render(), 'c_total ')).toBe('c_total 2');
    expect(sample(await second.render(), 'c_total ')).toBe('c_total 1');
    first.close();
    second.close();
  });
});

describe('scrape-time gauges', () => {
  function withGauges() {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
    const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
    registry.attach(adapter);
    const state = { fail: true, value: Number.NaN as number };
    registry.define({
      kind: 'gauge',
      name: 'flaky',
      help: 'Throws while state.fail.',
      labelNames: ['shard'],
      collect: (emit) => {
        emit(1, { shard: '0' });
        if (state.fail) throw new Error('cache unavailable');
        emit(2, { shard: '1' });
      },
    });
    registry.define({
      kind: 'gauge',
      name: 'odd_values',
      help: 'Emits non-finite values.',
      labelNames: ['shard'],
      collect: (emit) => {
        emit(state.value, { shard: 'nan' });
        emit(Number.POSITIVE_INFINITY, { shard: 'inf' });
        emit(4, { shard: 'ok' });
      },
    });
    registry.define({ kind: 'gauge', name: 'steady', help: 'Always fine.', collect: (emit) => emit(1) });
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.' });
    registry.counter('c_total').labels().inc();
    return { registry, adapter, state };
  }

  it.each(['text', 'openmetrics'] as const)(
    'drops a throwing gauge from that %s scrape only, renders the rest and counts the failure',
    async (format) => {
      const { adapter, state } = withGauges();
      const failed = await adapter.render(format);
      expect(failed).not.toContain('# HELP flaky');
      expect(failed).not.toMatch(/^flaky/m);
      expect(failed).toContain('steady{cluster="c1"} 1\n');
      expect(failed).toContain('c_total{cluster="c1"} 1\n');
      expect(failed).toContain('argus_instrumentation_errors_total{hook="scrape:flaky",cluster="c1"} 1\n');
      if (format === 'openmetrics') expect(failed.endsWith('\n# EOF\n')).toBe(true);

      await adapter.render(format);
      expect(await adapter.render(format)).toContain(
        'argus_instrumentation_errors_total{hook="scrape:flaky",cluster="c1"} 3\n',
      );

      state.fail = false;
      const recovered = await adapter.render(format);
      expect(recovered).toContain('flaky{shard="0",cluster="c1"} 1\nflaky{shard="1",cluster="c1"} 2\n');
      expect(recovered).toContain('argus_instrumentation_errors_total{hook="scrape:flaky",cluster="c1"} 3\n');
      adapter.close();
    },
  );

  it('drops NaN and infinite samples and keeps the gauge', async () => {
    const { adapter, state } = withGauges();
    const text = await adapter.render();
    expect(text).toContain('# TYPE odd_values gauge\nodd_values{shard="ok",cluster="c1"} 4\n\n');
    expect(text).not.toMatch(/NaN|Inf"/);
    state.value = 5;
    expect(await adapter.render()).toContain('odd_values{shard="nan",cluster="c1"} 5\n');
    adapter.close();
  });

  it('also drops a failing gauge from prom-client reads of the registry', async () => {
    const { adapter } = withGauges();
    const text = await adapter.registry.metrics();
    // prom-client always writes the family header; the samples are gone.
    expect(text).toContain('# TYPE flaky gauge\n\n');
    expect(text).not.toContain('flaky{');
    // prom-client collects every metric at once, so the count shows from the next scrape on.
    expect(await adapter.registry.metrics()).toContain(
      'argus_instrumentation_errors_total{hook="scrape:flaky",cluster="c1"} 1\n',
    );
    const json = await adapter.registry.getMetricsAsJSON();
    expect(json.find((m) => m.name === 'flaky')?.values).toEqual([]);
    adapter.close();
  });
});

describe('failing prom-client collectors in the adapter registry', () => {
  it('are dropped and counted through the MetricRegistry guard in the same scrape', async () => {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
    const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
    registry.attach(adapter);
    new Gauge({
      name: 'my_queue_depth',
      help: 'Mine; its collect rejects.',
      registers: [adapter.registry],
      async collect() {
        throw new Error('queue unreachable');
      },
    });
    const text = await adapter.render();
    expect(text).not.toContain('# HELP my_queue_depth');
    expect(text).toContain(
      'argus_instrumentation_errors_total{hook="scrape:my_queue_depth",cluster="c1"} 1\n',
    );
    adapter.close();
  });
});

describe('unbounded-cardinality labels', () => {
  it.each(FORBIDDEN_LABELS)('core refuses a definition labeled %s before any backend sees it', (label) => {
    const registry = new MetricRegistry();
    const adapter = new PrometheusAdapter({ processMetrics: false });
    registry.attach(adapter);
    for (const kind of ['counter', 'histogram', 'info'] as const) {
      const name = kind === 'counter' ? 'x_total' : kind === 'info' ? 'x_info' : 'x_seconds';
      expect(() =>
        registry.define({ kind, name, help: 'X.', labelNames: [label], buckets: [1] } as never),
      ).toThrow(MetricDefinitionError);
      expect(adapter.registry.getSingleMetric(name)).toBeUndefined();
    }
    expect(() => new MetricRegistry({ defaultLabels: { [label]: '1' } })).toThrow(MetricDefinitionError);
    adapter.close();
  });

  it('never appear in the exposition of a registry full of metrics', async () => {
    const { adapter } = realisticRegistry({ processMetrics: true, shards: 16, commands: 50 });
    for (const format of ['text', 'openmetrics'] as const) {
      const exposition = await adapter.render(format);
      const labels = exposedLabelNames(exposition);
      expect(labels.size).toBeGreaterThan(10);
      for (const forbidden of FORBIDDEN_LABELS) expect(labels.has(forbidden)).toBe(false);
      expect(exposition).not.toMatch(new RegExp(`[{,](${FORBIDDEN_LABELS.join('|')})="`));
    }
    adapter.close();
  });
});
