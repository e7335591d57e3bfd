export {
  AnalyticsParamError,
  type AnalyticsSource,
  type CommandCount,
  type CommandStats,
  type DayVolume,
  type GuildActivity,
  type GuildQuery,
  type LimitedGuildQuery,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  type OverallStats,
  type ResponseShare,
  resolveWindow,
  type TopGuildsQuery,
  validateGuildId,
  validateLimit,
  type WindowInput,
} from '@argus/core';
export { clickhouse } from './adapter';
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
export { AnalyticsQueries, type AnalyticsQueriesOptions } from './queries';
export { clickHouseErrorCode, isClickHouseRefusal } from './refusal';
export {
  type EncodedRows,
  type EventRow,
  encodeRows,
  encodeRowsInSlices,
  formatTime,
  InvalidEventError,
  toRow,
} from './rows';
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
export { BACKLOG_BATCHES, ClickHouseSink, type ClickHouseSinkOptions } from './sink';
export type { ClickHouseAnalytics, ClickHouseOptions } from './types';
export { ClickHouseWriter, type ClickHouseWriterOptions } from './writer';
