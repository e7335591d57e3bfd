export { CHROMIUM, PROMETHEUS, PROMTOOL, type RequiredBinary, requireBinary } from './binaries';
export { launchChromium } from './browser';
export { freePort, type PrometheusServer, type ScrapeTarget, startPrometheus } from './prometheus-server';
export { checkMetrics, type PromtoolResult, promtool } from './promtool';
