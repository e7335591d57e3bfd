export { PrometheusAdapter, type PrometheusAdapterOptions } from './adapter';
export {
  contentType,
  type ExpositionFormat,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
} from './format';
