export { PrometheusAdapter, type PrometheusAdapterOptions } from './adapter';
export {
  contentType,
  type ExpositionFormat,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
} from './format';
export { prometheus } from './prometheus';
export {
  groupUrl,
  PUSHES_METRIC,
  type PushgatewayAdapter,
  type PushgatewayContext,
  PushgatewayOptionError,
  type PushgatewayOptions,
  type PushgatewayPush,
  pushgateway,
} from './pushgateway';
export type { PrometheusMetrics, PrometheusOptions } from './types';
