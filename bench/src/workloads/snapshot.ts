// The live dashboard's unit of work: one snapshot of the 16-shard bot with 100 commands. The
// dashboard server builds one per stream tick (however many viewers) and serialises it once; this
// times `PrometheusAdapter.snapshot()` alone and with `JSON.stringify`, against prom-client's
// `registry.getMetricsAsJSON()` over the same metrics and values.
import type { SnapshotFamily } from '@argus/core';
import {
  BOUND_SERIES,
  buildArgus,
  buildPromClient,
  COMMAND_COUNT,
  GATEWAY_EVENTS,
  REST_ROUTES,
  SHARD_COUNT,
} from '../fixtures/catalogue';
import { goals, type Workload } from '../harness';

const encoder = new TextEncoder();

/** Exposition samples a compact family stands for: a histogram series is its buckets, sum and count. */
function exposedSamples(family: SnapshotFamily): number {
  return family.type === 'histogram' ? family.series.length * (family.le.length + 2) : family.series.length;
}

/** Families, samples and JSON size of one snapshot, to show both sides carry the same data. */
function describeJson(label: string, json: string, families: number, samples: number): string {
  const kib = (Buffer.byteLength(json) / 1024).toFixed(0);
  return `${label}: ${families} families, ${samples} samples, JSON ${kib} KiB`;
}

export const snapshot: Workload = {
  name: 'snapshot',
  title: `Dashboard snapshot, ${SHARD_COUNT} shards x ${COMMAND_COUNT} commands`,
  description:
    `One dashboard snapshot of the render-catalogue bot (${BOUND_SERIES} bound series, ${GATEWAY_EVENTS.length} gateway ` +
    `events, ${REST_ROUTES.length} REST routes, ${SHARD_COUNT} shards in the gauges): await PrometheusAdapter.snapshot() ` +
    "(core's MetricsSnapshot), alone and with JSON.stringify as the dashboard server does once per tick, vs " +
    'prom-client registry.getMetricsAsJSON() over the same metrics and values. Process metrics off unless stated.',
  unit: 'ms/op',
  baseline: 'prom-client getMetricsAsJSON()',
  reference: 'argus-dpy: 1.3 ms per snapshot',
  async setup() {
    const argus = buildArgus();
    const argusProcess = buildArgus({ processMetrics: true });
    const prom = buildPromClient();
    const promDefault = buildPromClient({ defaultMetrics: true });

    const argusOne = await argus.adapter.snapshot();
    const argusSamples = Object.values(argusOne.metrics).reduce((n, f) => n + exposedSamples(f), 0);
    const promOne = await prom.register.getMetricsAsJSON();
    const promSamples = promOne.reduce((n, m) => n + m.values.length, 0);
    const processOne = await argusProcess.adapter.snapshot();
    const processSamples = Object.values(processOne.metrics).reduce((n, f) => n + exposedSamples(f), 0);
    const notes = [
      describeJson(
        'argus snapshot',
        JSON.stringify(argusOne),
        Object.keys(argusOne.metrics).length,
        argusSamples,
      ),
      describeJson('prom-client getMetricsAsJSON', JSON.stringify(promOne), promOne.length, promSamples),
      describeJson(
        'argus snapshot, processMetrics on',
        JSON.stringify(processOne),
        Object.keys(processOne.metrics).length,
        processSamples,
      ),
      '"… + stringify" rows are compared to prom-client + stringify; "stringify + SSE frame" is what the ' +
        'server does per tick (build, JSON.stringify, UTF-8 encode of `id:`/`data:` frame), shared by every viewer',
    ];

    // Every run keeps a figure from its results so the JIT cannot drop the work.
    let sink = 0;
    return {
      notes,
      variants: [
        {
          name: 'prom-client getMetricsAsJSON()',
          async run(n) {
            for (let i = 0; i < n; i++) sink += (await prom.register.getMetricsAsJSON()).length;
          },
        },
        {
          name: 'argus snapshot()',
          async run(n) {
            for (let i = 0; i < n; i++) sink += (await argus.adapter.snapshot()).time;
          },
        },
        {
          name: 'prom-client getMetricsAsJSON() + stringify',
          async run(n) {
            for (let i = 0; i < n; i++) sink += JSON.stringify(await prom.register.getMetricsAsJSON()).length;
          },
        },
        {
          name: 'argus snapshot() + stringify',
          compareTo: 'prom-client getMetricsAsJSON() + stringify',
          goal: goals.below(0.5, 'ms'),
          async run(n) {
            for (let i = 0; i < n; i++) sink += JSON.stringify(await argus.adapter.snapshot()).length;
          },
        },
        {
          name: 'argus snapshot() + stringify + SSE frame',
          compareTo: 'prom-client getMetricsAsJSON() + stringify',
          async run(n) {
            for (let i = 0; i < n; i++) {
              const built = await argus.adapter.snapshot();
              const json = JSON.stringify(built);
              sink += encoder.encode(`id: ${Math.trunc(built.time)}\ndata: ${json}\n\n`).length;
            }
          },
        },
        {
          name: 'prom-client + default metrics + stringify',
          async run(n) {
            for (let i = 0; i < n; i++) {
              sink += JSON.stringify(await promDefault.register.getMetricsAsJSON()).length;
            }
          },
        },
        {
          name: 'argus snapshot(), processMetrics on',
          compareTo: 'prom-client getMetricsAsJSON()',
          async run(n) {
            for (let i = 0; i < n; i++) sink += (await argusProcess.adapter.snapshot()).time;
          },
        },
        {
          name: 'argus snapshot() + stringify, processMetrics on',
          compareTo: 'prom-client + default metrics + stringify',
          async run(n) {
            for (let i = 0; i < n; i++) sink += JSON.stringify(await argusProcess.adapter.snapshot()).length;
          },
        },
      ],
      conclude() {
        if (sink < 0) throw new Error('unreachable');
        return [];
      },
      teardown() {
        argus.adapter.close();
        argusProcess.adapter.close();
        prom.register.clear();
        promDefault.register.clear();
      },
    };
  },
};
