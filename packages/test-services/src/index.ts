export {
  CHROMIUM,
  CLICKHOUSE_SERVER,
  PROMETHEUS,
  PROMTOOL,
  type RequiredBinary,
  requireBinary,
} from './binaries';
export { launchChromium } from './browser';
export { type ClickHouseServer, type StartClickHouseOptions, startClickHouse } from './clickhouse-server';
export { freePort, type PrometheusServer, type ScrapeTarget, startPrometheus } from './prometheus-server';
export { checkMetrics, type PromtoolResult, promtool } from './promtool';
