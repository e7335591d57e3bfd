// Workload 1: the hot path of every counted event.
import { MetricRegistry } from '@argus/core';
import { PrometheusAdapter } from '@argus/prometheus';
import { Counter, Registry } from 'prom-client';
import { goals, type Workload } from '../harness';

const noop = (_value?: number): void => {};

export const counterInc: Workload = {
  name: 'counter-inc',
  title: 'Counter increment',
  description:
    'One inc() on an Argus handle bound once (MetricRegistry with PrometheusAdapter attached, cluster default label) ' +
    'vs prom-client: inc() on a label-less counter (baseline), labels(x).inc() per call, and a child bound once.',
  unit: 'ns/op',
  baseline: 'prom-client inc(), no labels',
  reference: 'argus-dpy: 3 µs per gateway event hook (a whole hook, not one increment)',
  setup() {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'default' } });
    registry.define({
      kind: 'counter',
      name: 'bench_commands_total',
      help: 'Benchmark counter.',
      labelNames: ['command'],
    });
    const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
    registry.attach(adapter);
    const handle = registry.counter('bench_commands_total').labels('ping');

    const register = new Registry();
    const bare = new Counter({ name: 'bench_bare_total', help: 'Bare.', registers: [register] });
    const labelled = new Counter({
      name: 'bench_labelled_total',
      help: 'Labelled.',
      labelNames: ['command'],
      registers: [register],
    });
    const child = labelled.labels('ping');

    return {
      variants: [
        {
          name: 'no-op function',
          run(n) {
            for (let i = 0; i < n; i++) noop();
          },
        },
        {
          name: 'prom-client inc(), no labels',
          run(n) {
            for (let i = 0; i < n; i++) bare.inc();
          },
        },
        {
          name: "prom-client labels('ping').inc()",
          run(n) {
            for (let i = 0; i < n; i++) labelled.labels('ping').inc();
          },
        },
        {
          name: 'prom-client child bound once',
          run(n) {
            for (let i = 0; i < n; i++) child.inc();
          },
        },
        {
          name: 'argus pre-bound handle',
          goal: goals.ratioAtMost(1.5, 'prom-client inc()'),
          run(n) {
            for (let i = 0; i < n; i++) handle.inc();
          },
        },
      ],
      teardown: () => adapter.close(),
    };
  },
};
