// Workload 4: what the catalogue costs in memory for as long as the bot runs.
import { defineCatalogue, HealthState, MetricRegistry } from '@argus/core';
import {
  BUMPS,
  buildArgus,
  buildPromClient,
  CLUSTER,
  COMMAND_COUNT,
  NAMESPACE,
  populateArgus,
  prepareBaseline,
  SHARD_COUNT,
  SOURCES,
} from '../fixtures/catalogue';
import { goals, type Workload } from '../harness';
import { canCollectGarbage, retainedKiB } from '../measure';

export const memoryCatalogue: Workload = {
  name: 'memory-catalogue',
  title: `Memory retained, ${SHARD_COUNT} shards x ${COMMAND_COUNT} commands`,
  description:
    'Live heap (code excluded) plus ArrayBuffer stores still reachable after a forced GC, from a fresh build of ' +
    'the render-catalogue bot (defined, attached, every series recorded, rendered once) vs the same metrics ' +
    'built in prom-client. The registry-only row splits the figure between @argus/core and @argus/prometheus.',
  unit: 'KiB',
  baseline: 'prom-client equivalent',
  reference: 'argus-dpy: ~450 KiB',
  rounds: 7,
  warmupRounds: 2,
  setup() {
    if (!canCollectGarbage) throw new Error('needs a forced GC: run node with --expose-gc');
    prepareBaseline();
    return {
      variants: [
        {
          name: 'prom-client equivalent',
          sample: () =>
            retainedKiB(async () => {
              const bot = buildPromClient();
              await bot.register.metrics();
              return bot;
            }),
        },
        {
          name: 'argus registry only, no backend',
          sample: () =>
            retainedKiB(() => {
              const registry = new MetricRegistry({ defaultLabels: { cluster: CLUSTER } });
              defineCatalogue(registry, {
                namespace: NAMESPACE,
                sources: SOURCES,
                health: new HealthState(),
              });
              populateArgus(registry, BUMPS);
              return registry;
            }),
        },
        {
          name: 'argus catalogue + PrometheusAdapter',
          goal: goals.below(2048, 'KiB'),
          sample: () =>
            retainedKiB(async () => {
              const bot = buildArgus();
              await bot.adapter.render('text');
              return bot;
            }),
        },
      ],
    };
  },
};
