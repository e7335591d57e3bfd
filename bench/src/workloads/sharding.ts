// Workloads 12a/12b: a sharded bot seen from its manager. 32 children, each holding the
// "16 shards x 100 commands" catalogue, reported to argusManager() (the children's texts are the
// real adapter output, relabelled per child), against prom-client's AggregatorRegistry.aggregate()
// over the same data, as bots do after collecting getMetricsAsJSON() from every child.
import { EventEmitter } from 'node:events';
import { type ArgusManager, argusManager, REPORT_TAG } from '@argus/sharding';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

type MetricJson = MetricObjectWithValues<MetricValue<string>>[];

import { buildArgus, buildPromClient, CLUSTER, describeExposition } from '../fixtures/catalogue';
import { goals, quantile, type Workload } from '../harness';
import { encode } from '../measure';

const CHILDREN = 32;
/** Scrapes per sample; the sample is their p99. The baseline takes seconds a scrape, so it gets fewer. */
const SCRAPES = 20;
const BASELINE_SCRAPES = 3;
/** What a bot waits for a hung child before giving up, in the baseline: a 1 s broadcastEval timeout. */
const HUNG_TIMEOUT_MS = 1_000;
const HUNG_SCRAPES = 2;
/** Children's default report interval: what the per-child cost is spread over. */
const REPORT_INTERVAL_MS = 5_000;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Stands in for a ShardingManager: the benchmark feeds argusManager the children's messages itself. */
class BenchManager extends EventEmitter {
  readonly shards = new Map<number, EventEmitter & { id: number }>();
  readonly totalShards = CHILDREN;
  constructor() {
    super();
    for (let i = 0; i < CHILDREN; i++) {
      const shard = Object.assign(new EventEmitter(), { id: i });
      this.shards.set(i, shard);
    }
  }
  spawnAll() {
    for (const shard of this.shards.values()) shard.emit('spawn', {});
  }
  report(index: number, text: string) {
    this.shards.get(index)!.emit('message', {
      tag: REPORT_TAG,
      cluster: String(index),
      namespace: 'discord',
      ready: true,
      pid: 1,
      rss: 1,
      time: Date.now(),
      text,
    });
  }
}

const relabel = (text: string, index: number) =>
  text.replaceAll(`cluster="${CLUSTER}"`, `cluster="${index}"`);

function relabelJson(json: MetricJson, index: number): MetricJson {
  const copy = structuredClone(json) as unknown as { values: { labels: Record<string, unknown> }[] }[];
  for (const family of copy)
    for (const v of family.values) if ('cluster' in v.labels) v.labels.cluster = String(index);
  return copy as unknown as MetricJson;
}

async function p99(scrapes: number, scrape: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < scrapes; i++) {
    const started = performance.now();
    await scrape();
    times.push(performance.now() - started);
  }
  return quantile(
    times.sort((a, b) => a - b),
    0.99,
  );
}

export const shardingManager: Workload = {
  name: 'sharding-manager',
  title: `manager /metrics p99, ${CHILDREN} children x (16 shards x 100 commands)`,
  description:
    `p99 of ${SCRAPES} scrapes per sample (${BASELINE_SCRAPES} for prom-client, which takes seconds each): argusManager() render of ${CHILDREN} children's reports (concatenated, cluster kept) ` +
    `vs prom-client AggregatorRegistry.aggregate() + metrics() over the same ${CHILDREN} getMetricsAsJSON() arrays; then with one child ` +
    `hung: argus serves the others without waiting, the baseline waits for its ${HUNG_TIMEOUT_MS} ms collection timeout.`,
  unit: 'ms',
  baseline: 'prom-client aggregate() + metrics()',
  rounds: 3,
  warmupRounds: 1,
  async setup(ctx) {
    const baselineScrapes = ctx.quick ? 1 : BASELINE_SCRAPES;
    const argusText = await buildArgus().adapter.render('text');
    const promJson = await buildPromClient().register.getMetricsAsJSON();
    const texts = Array.from({ length: CHILDREN }, (_, i) => relabel(argusText, i));
    const jsons = Array.from({ length: CHILDREN }, (_, i) => relabelJson(promJson, i));

    const start = async (deadlineMs: number) => {
      const manager = new BenchManager();
      const handle = argusManager(manager, { port: 0, host: '127.0.0.1', deadlineMs, logger: silent });
      await handle.server;
      manager.spawnAll();
      for (let i = 0; i < CHILDREN; i++) manager.report(i, texts[i]!);
      return { manager, handle };
    };
    const all = await start(60_000);
    // Child 31 reports once and then hangs; the others keep reporting. Past the 100 ms deadline it is down.
    const hung = await start(100);
    const handles: ArgusManager[] = [all.handle, hung.handle];

    const collect = (withHung: boolean) =>
      Promise.all(
        jsons.map((json, i) =>
          withHung && i === CHILDREN - 1
            ? new Promise<MetricJson>((resolve) => setTimeout(() => resolve([]), HUNG_TIMEOUT_MS))
            : new Promise<MetricJson>((resolve) => setImmediate(() => resolve(json))),
        ),
      );
    const aggregate = async (withHung: boolean) => {
      const gathered = await collect(withHung);
      encode(await AggregatorRegistry.aggregate(gathered.filter((j) => j.length > 0)).metrics());
    };

    const merged = all.handle.render();
    return {
      notes: [
        describeExposition('one child report (argus text)', texts[0]!),
        describeExposition(`manager /metrics, ${CHILDREN} children`, merged),
        describeExposition(
          `prom-client aggregate, ${CHILDREN} children`,
          await AggregatorRegistry.aggregate(jsons).metrics(),
        ),
      ],
      variants: [
        {
          name: 'prom-client aggregate() + metrics()',
          sample: () => p99(baselineScrapes, () => aggregate(false)),
        },
        {
          name: 'argus manager render()',
          goal: goals.ratioAtMost(0.25, 'prom-client aggregate() + metrics()'),
          sample: () => p99(SCRAPES, () => encode(all.handle.render())),
        },
        {
          name: 'prom-client, one child hung',
          sample: () => p99(ctx.quick ? 1 : HUNG_SCRAPES, () => aggregate(true)),
        },
        {
          name: 'argus manager, one child hung',
          compareTo: 'prom-client, one child hung',
          // Bounded by the render, never by the hung child or the deadline.
          goal: goals.below(HUNG_TIMEOUT_MS / 4, 'ms'),
          async sample() {
            await new Promise((r) => setTimeout(r, 110));
            for (let i = 0; i < CHILDREN - 1; i++) hung.manager.report(i, texts[i]!);
            if (!hung.handle.render().includes(`argus_cluster_up{cluster="${CHILDREN - 1}"} 0`))
              throw new Error('the hung child should be down');
            return p99(SCRAPES, () => encode(hung.handle.render()));
          },
        },
      ],
      async teardown() {
        for (const h of handles) await h.close();
      },
    };
  },
};

export const shardingReport: Workload = {
  name: 'sharding-report',
  title: 'per-child cost of reporting to the manager (16 shards x 100 commands)',
  description:
    "One report as a child sends it: the adapter's render(text) plus the JSON serialisation process.send applies, vs " +
    'what an AggregatorRegistry child ships per request (getMetricsAsJSON() + JSON.stringify); and the manager parsing one report.',
  unit: 'ms/op',
  baseline: 'prom-client getMetricsAsJSON() + stringify',
  async setup() {
    const { adapter } = buildArgus();
    const { register } = buildPromClient();
    const text = await adapter.render('text');
    const manager = new BenchManager();
    const handle = argusManager(manager, { port: 0, host: '127.0.0.1', logger: silent });
    await handle.server;
    manager.spawnAll();
    let sink = 0;
    return {
      variants: [
        {
          name: 'prom-client getMetricsAsJSON() + stringify',
          async run(n) {
            for (let i = 0; i < n; i++) sink += JSON.stringify(await register.getMetricsAsJSON()).length;
          },
        },
        {
          name: 'argus child: render(text) + stringify',
          async run(n) {
            for (let i = 0; i < n; i++) {
              const report = {
                tag: REPORT_TAG,
                cluster: '0',
                text: await adapter.render('text'),
                time: Date.now(),
              };
              sink += JSON.stringify(report).length;
            }
          },
        },
        {
          name: 'argus manager: receive one report',
          run(n) {
            for (let i = 0; i < n; i++) manager.report(i % CHILDREN, text);
          },
        },
      ],
      conclude(rows) {
        const child = rows.find((r) => r.variant === 'argus child: render(text) + stringify');
        if (!child) return [];
        const perSecondMs = child.median / (REPORT_INTERVAL_MS / 1000);
        return [
          `child reporting cost at the default ${REPORT_INTERVAL_MS / 1000} s interval: ${(perSecondMs * 1000).toFixed(0)} µs of CPU per second (${(perSecondMs / 10).toFixed(3)}% of one core); sink ${sink > 0 ? 'ok' : 'empty'}`,
        ];
      },
      async teardown() {
        await handle.close();
        adapter.close();
        register.clear();
      },
    };
  },
};
