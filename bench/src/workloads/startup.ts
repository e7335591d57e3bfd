// Workload 5a: startup cost once the code is warm (what a second client in the same process pays).

import { buildArgus, buildPromClient, prepareBaseline } from '../fixtures/catalogue';
import type { Workload } from '../harness';

export const startup: Workload = {
  name: 'startup',
  title: 'Define the catalogue and attach the adapter (warm)',
  description:
    'new MetricRegistry + defineCatalogue + new PrometheusAdapter + attach + setInfo, repeated in a warm process, ' +
    'vs defining the same metrics directly in prom-client. No series bound; see startup-cold for a first start.',
  unit: 'ms/op',
  baseline: 'prom-client equivalent',
  reference: 'argus-dpy: ~1 ms startup',
  setup() {
    prepareBaseline();
    return {
      variants: [
        {
          name: 'prom-client equivalent',
          run(n) {
            for (let i = 0; i < n; i++) buildPromClient({ populate: false });
          },
        },
        {
          name: 'argus define + attach',
          run(n) {
            for (let i = 0; i < n; i++) buildArgus({ populate: false });
          },
        },
      ],
    };
  },
};
