export { type CreateEngineOptions, createEngine, DEFAULT_EMBEDDED_PATH } from './create';
export {
  CHDB_MISSING,
  type ChdbModuleLike,
  type ChdbResultLike,
  type ChdbSessionLike,
  EmbeddedEngine,
  type EmbeddedEngineOptions,
} from './embedded';
export { type ClickHouseEngine, ClickHouseSetupError, type QueryParam, type QueryParams } from './engine';
export { HttpEngine, type HttpEngineOptions } from './http';
export {
  AnalyticsParamError,
  AnalyticsQueries,
  type AnalyticsQueriesOptions,
  type CommandCount,
  type CommandStats,
  type DayVolume,
  type GuildQuery,
  type LimitedGuildQuery,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  type OverallStats,
  type ResponseShare,
  resolveWindow,
  validateGuildId,
  validateLimit,
  type WindowInput,
} from './queries';
export {
  COLUMNS,
  checkVersion,
  DEFAULT_TABLE,
  ensureSchema,
  MAX_TTL_DAYS,
  MIN_CLICKHOUSE_VERSION,
  type SchemaOptions,
  validateTableName,
  validateTtlDays,
  versionAtLeast,
} from './schema';
export { ClickHouseSink, type ClickHouseSinkOptions, type EventRow, formatTime, toRow } from './sink';
