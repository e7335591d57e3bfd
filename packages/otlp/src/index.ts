export { EXPORTS_METRIC, OtlpOptionError, otlp } from './otlp';
export { type ArgusMetricProducerOptions, argusMetricProducer } from './producer';
export type {
  OtlpAdapter,
  OtlpCompression,
  OtlpContext,
  OtlpOptions,
  OtlpProtocol,
  OtlpPush,
  OtlpTemporality,
} from './types';
