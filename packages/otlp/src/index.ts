export { EXPORTS_METRIC, OtlpOptionError, otlp } from './otlp';
export type {
  OtlpAdapter,
  OtlpCompression,
  OtlpContext,
  OtlpOptions,
  OtlpProtocol,
  OtlpPush,
  OtlpTemporality,
} from './types';
