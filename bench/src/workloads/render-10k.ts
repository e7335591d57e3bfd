// Workload 3b: render time when one label explodes to 10,000 values (the cap raised to allow it).
import { MetricRegistry } from '@argus/core';
import { PrometheusAdapter } from '@argus/prometheus';
import { Counter, Registry } from 'prom-client';
import { describeExposition } from '../fixtures/catalogue';
import type { Workload } from '../harness';
import { encode } from '../measure';

const SERIES = 10_000;
const KEYS: readonly string[] = Array.from({ length: SERIES }, (_, i) => `key-${String(i).padStart(5, '0')}`);

export const render10k: Workload = {
  name: 'render-10k',
  title: `/metrics render, one counter with ${SERIES.toLocaleString('en')} series`,
  description:
    `A counter with ${SERIES.toLocaleString('en')} label values (labelValueCap raised to ${SERIES}), each incremented, ` +
    'rendered by PrometheusAdapter.render() vs the same counter in prom-client rendered by registry.metrics(), ' +
    'UTF-8 encoding included.',
  unit: 'ms/op',
  baseline: 'prom-client registry.metrics()',
  roundMs: 250,
  async setup() {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'default' }, labelValueCap: SERIES });
    registry.define({ kind: 'counter', name: 'bench_keys_total', help: 'Many series.', labelNames: ['key'] });
    const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
    registry.attach(adapter);
    const argusCounter = registry.counter('bench_keys_total');
    KEYS.forEach((key, i) => {
      argusCounter.labels(key).inc(i + 1);
    });

    const register = new Registry();
    register.setDefaultLabels({ cluster: 'default' });
    const promCounter = new Counter({
      name: 'bench_keys_total',
      help: 'Many series.',
      labelNames: ['key'],
      registers: [register],
    });
    KEYS.forEach((key, i) => {
      promCounter.labels(key).inc(i + 1);
    });

    return {
      notes: [
        describeExposition('argus text', await adapter.render('text')),
        describeExposition('prom-client text', await register.metrics()),
      ],
      variants: [
        {
          name: 'prom-client registry.metrics()',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await register.metrics());
          },
        },
        {
          name: 'argus render(text)',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await adapter.render('text'));
          },
        },
        {
          name: 'argus render(openmetrics)',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await adapter.render('openmetrics'));
          },
        },
      ],
      teardown() {
        adapter.close();
        register.clear();
      },
    };
  },
};
