export type {
  AdapterContext,
  AdapterRole,
  AdapterRuntime,
  ArgusAdapter,
  SnapshotBackend,
} from './adapter';
export {
  AnalyticsParamError,
  type AnalyticsSource,
  type AnalyticsWindow,
  type ClusterScope,
  type CommandCount,
  type CommandStats,
  type DayVolume,
  DEFAULT_WINDOW_DAYS,
  type GuildActivity,
  type GuildQuery,
  type LimitedGuildQuery,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  type OverallStats,
  type ResponseShare,
  resolveWindow,
  type TopGuildsQuery,
  validateCluster,
  validateGuildId,
  validateLimit,
  type WindowInput,
} from './analytics';
export {
  type Catalogue,
  type CatalogueOptions,
  type CatalogueSources,
  DURATION_BUCKETS,
  defineCatalogue,
  defineHistoryQueueGauge,
  type MetricNames,
  metricNames,
  RESPONSE_BUCKETS,
  REST_BUCKETS,
  type ShardState,
  USER_DURATION_BUCKETS,
} from './catalogue';
export {
  type AlertingConfig,
  type AlertingOptions,
  type ArgusConfig,
  ArgusConfigError,
  type ArgusOptions,
  type ConfigProblem,
  detectManagedChild,
  type Env,
  isLoopbackHost,
  type ManagedChild,
  resolveConfig,
  type ShardingChildOptions,
} from './config';
export { createTelemetry, errorType, type Telemetry } from './ergonomics';
export { MetricDefinitionError, UnknownMetricError } from './errors';
export {
  type ArgusEvent,
  EVENT_TYPES,
  findEventProblem,
  MAX_EVENT_TEXT_LENGTH,
  MAX_GUILD_ID_LENGTH,
  MAX_SHARD,
  normalizeEvent,
} from './events';
export {
  contentType,
  type ExpositionFormat,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
} from './exposition';
export { describeError, FailOpenGuard, type FailOpenGuardOptions } from './guard';
export { HealthState } from './health';
export { FORBIDDEN_LABELS, isForbiddenLabel } from './label-rules';
export {
  type CommandKind,
  type CommandRecord,
  INTERACTION_TYPES,
  type InteractionRecord,
  Lifecycle,
  type LifecycleSubscriber,
  type RateLimitInfo,
  RESPONSE_DEADLINE_MS,
  type RestRequestRecord,
  type ShardLifecycleState,
} from './lifecycle';
export { createLogger, type LogFormat, silentLogger } from './logger';
export { MetricStore } from './metric-store';
export { NOTABLE_TRACES_KEPT, type NotableOutcome, type NotableTrace } from './notable-trace';
export { isThenable, observeCall } from './observe-call';
export { RateLimitedLog, type RateLimitedLogOptions } from './rate-limited-log';
export { MetricsRecorder, type MetricsRecorderOptions } from './recorders/metrics-recorder';
export { PerGuildRecorder } from './recorders/per-guild-recorder';
export {
  Counter,
  CounterHandle,
  DEFAULT_LABEL_VALUE_CAP,
  FOLDED_LABEL_VALUE,
  Histogram,
  HistogramHandle,
  MetricRegistry,
  type MetricRegistryOptions,
} from './registry';
export {
  BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type DropReason,
  type EventSink,
  MAX_REFUSED_PER_WRITE,
  NullSink,
  type SinkCloseReport,
  type WriteOutcome,
} from './sink';
export type {
  MetricsSnapshot,
  SnapshotFamily,
  SnapshotHistogramFamily,
  SnapshotHistogramSeries,
  SnapshotMetricType,
  SnapshotScalarFamily,
  SnapshotSeries,
} from './snapshot';
export { TimeoutError, withTimeout } from './timeout';
export { BoundedTimerMap } from './timer-map';
export type {
  BackendMetricDef,
  CounterDef,
  CounterSeries,
  GaugeCollect,
  GaugeDef,
  GaugeEmit,
  HistogramDef,
  HistogramSeries,
  InfoDef,
  Labels,
  LabelValues,
  Logger,
  MetricBackend,
  MetricDef,
  MetricKind,
} from './types';
export { version } from './version';
