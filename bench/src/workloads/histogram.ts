// Workload 2: the hot path of every timed command, interaction and REST call.
import { MetricRegistry } from '@argus/core';
import { PrometheusAdapter } from '@argus/prometheus';
import { Histogram, Registry } from 'prom-client';
import { goals, type Workload } from '../harness';
import { prng } from '../measure';

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** 1024 durations spread over every bucket and +Inf; each variant walks the same sequence. */
const VALUES: Float64Array = (() => {
  const random = prng(7);
  return Float64Array.from({ length: 1024 }, () => random() * random() * 12);
})();
const MASK = VALUES.length - 1;

const noop = (_value: number): void => {};

export const histogramObserve: Workload = {
  name: 'histogram-observe',
  title: 'Histogram observe',
  description:
    'One observe(v) on an Argus handle bound once (8 buckets, PrometheusAdapter attached) vs prom-client: ' +
    'observe(v) on a label-less histogram (baseline), labels(x).observe(v) per call, and a child bound once.',
  unit: 'ns/op',
  baseline: 'prom-client observe(), no labels',
  setup() {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'default' } });
    registry.define({
      kind: 'histogram',
      name: 'bench_command_duration_seconds',
      help: 'Benchmark histogram.',
      labelNames: ['command'],
      buckets: BUCKETS,
    });
    const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
    registry.attach(adapter);
    const handle = registry.histogram('bench_command_duration_seconds').labels('ping');

    const register = new Registry();
    const bare = new Histogram({
      name: 'bench_bare_seconds',
      help: 'Bare.',
      buckets: BUCKETS,
      registers: [register],
    });
    const labelled = new Histogram({
      name: 'bench_labelled_seconds',
      help: 'Labelled.',
      labelNames: ['command'],
      buckets: BUCKETS,
      registers: [register],
    });
    const child = labelled.labels('ping');

    return {
      variants: [
        {
          name: 'no-op function',
          run(n) {
            for (let i = 0; i < n; i++) noop(VALUES[i & MASK]!);
          },
        },
        {
          name: 'prom-client observe(), no labels',
          run(n) {
            for (let i = 0; i < n; i++) bare.observe(VALUES[i & MASK]!);
          },
        },
        {
          name: "prom-client labels('ping').observe()",
          run(n) {
            for (let i = 0; i < n; i++) labelled.labels('ping').observe(VALUES[i & MASK]!);
          },
        },
        {
          name: 'prom-client child bound once',
          run(n) {
            for (let i = 0; i < n; i++) child.observe(VALUES[i & MASK]!);
          },
        },
        {
          name: 'argus pre-bound handle',
          goal: goals.ratioAtMost(1.5, 'prom-client observe()'),
          run(n) {
            for (let i = 0; i < n; i++) handle.observe(VALUES[i & MASK]!);
          },
        },
      ],
      teardown: () => adapter.close(),
    };
  },
};
