export {
  type ArgusConfig,
  ArgusConfigError,
  type ArgusEvent,
  type ArgusOptions,
  type Logger,
  type MetricNames,
  type WrapCommandOptions,
} from '@argus/core';
export { type Argus, type ArgusInit, argus } from './argus';
export type { HistoryRetry } from './history';
export { MissingPackageError, UnsupportedOptionError } from './optional';
