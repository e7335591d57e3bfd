export {
  CHROMIUM,
  CLICKHOUSE_SERVER,
  DOCKER_COMPOSE,
  PROMETHEUS,
  PROMTOOL,
  PUSHGATEWAY,
  type RequiredBinary,
  requireBinary,
} from './binaries';
export { launchChromium } from './browser';
export {
  type ClickHouseServer,
  EVENTS_COLUMNS_1816,
  eventsTableSql1816,
  type StartClickHouseOptions,
  startClickHouse,
} from './clickhouse-server';
export { freePort, type PrometheusServer, type ScrapeTarget, startPrometheus } from './prometheus-server';
export { checkMetrics, type PromtoolResult, promtool } from './promtool';
export { type PushgatewayServer, type StartPushgatewayOptions, startPushgateway } from './pushgateway-server';
export { sleep, type Truthy, until } from './until';
