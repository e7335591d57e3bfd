import type { ArgusAdapter } from '@argus/core';
import type { PrometheusAdapter } from './adapter';

/** Options of `prometheus()`, the Prometheus metrics adapter for argus(). */
export interface PrometheusOptions {
  /**
   * Collect prom-client's default process and Node.js metrics (with the `cluster` label).
   * Default: argus()'s `processMetrics` (on unless `ARGUS_PROCESS_METRICS=false`).
   */
  processMetrics?: boolean;
}

/** The value `prometheus()` returns: hand it to `argus(client, { metrics: [...] })`. */
export interface PrometheusMetrics extends ArgusAdapter {
  readonly kind: 'prometheus';
  readonly role: 'metrics';
  /** The backend once argus() started it: `render()`, `snapshot()` and its prom-client `registry`. */
  readonly adapter: PrometheusAdapter | undefined;
}
