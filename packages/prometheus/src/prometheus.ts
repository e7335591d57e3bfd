// `prometheus()`: the adapter value a bot hands to argus(). It owns the PrometheusAdapter that
// keeps Argus' series (so core keeps no second copy) and serves /metrics from it.
import { PrometheusAdapter } from './adapter';
import type { PrometheusMetrics, PrometheusOptions } from './types';

/** Prometheus exposition on argus()'s `/metrics`: `argus(client, { metrics: [prometheus()] })`. */
export function prometheus(options: PrometheusOptions = {}): PrometheusMetrics {
  if (options.processMetrics !== undefined && typeof options.processMetrics !== 'boolean')
    throw new TypeError(
      `prometheus() option processMetrics must be a boolean, got ${JSON.stringify(options.processMetrics)}`,
    );
  let adapter: PrometheusAdapter | undefined;
  return {
    kind: 'prometheus',
    role: 'metrics',
    get adapter() {
      return adapter;
    },
    backend({ config, guard, clusterId }) {
      adapter ??= new PrometheusAdapter({
        processMetrics: options.processMetrics ?? config.processMetrics,
        processMetricsLabels: { cluster: clusterId },
        guard,
      });
      return adapter;
    },
    start({ guard }) {
      const started = adapter;
      if (!started) throw new Error('prometheus(): start() before backend()');
      return {
        metrics: (format) => started.renderBytes(format),
        render: (format) => started.render(format),
        close: () => guard.run('close:prometheus', () => started.close()),
      };
    },
  };
}
