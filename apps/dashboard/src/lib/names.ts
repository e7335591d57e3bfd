// Metric names the dashboard reads, built from the namespace that /api/config reports. The
// catalogue's names come from @argus/core itself (`@argus/core/names`: no Node.js import, safe to
// bundle), so the browser and the bot can never disagree on one. Bot metrics carry the namespace,
// `argus_*` never do, and process metrics come from prom-client.

export { type MetricNames, metricNames } from '@argus/core/names';

/** prom-client's default process metrics (never namespaced). */
export const PROCESS_METRICS = Object.freeze({
  residentMemory: 'process_resident_memory_bytes',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  cpuSeconds: 'process_cpu_seconds_total',
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
});
