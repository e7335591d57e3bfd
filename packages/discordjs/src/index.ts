export {
  type AdapterContext,
  type AdapterRuntime,
  type ArgusAdapter,
  type ArgusConfig,
  ArgusConfigError,
  type ArgusEvent,
  type ArgusOptions,
  type CommandRecord,
  type InteractionRecord,
  type LifecycleSubscriber,
  type Logger,
  type MetricNames,
  type MetricsSnapshot,
  type RateLimitInfo,
  type RestRequestRecord,
  type ShardLifecycleState,
} from '@argus/core';
export type { WrapCommandOptions } from '@argus/core/discordjs';
export { type Argus, type ArgusInit, argus, type PrometheusExposition } from './argus';
export type { HistoryRetry } from './history';
export { MissingPackageError } from './optional';
