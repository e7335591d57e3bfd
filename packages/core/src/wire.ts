// `@argus/core/wire`: what the bot and a browser page exchange, safe to bundle for the browser.
// Only re-exports from modules that import nothing from Node.js or discord.js, so the dashboard
// reads the same constants and types as the bot instead of keeping copies.

export {
  AnalyticsParamError,
  type CommandCount,
  type CommandStats,
  type DayVolume,
  DEFAULT_WINDOW_DAYS,
  type GuildActivity,
  MAX_LIMIT,
  MAX_WINDOW_DAYS,
  type OverallStats,
  type ResponseShare,
  validateGuildId,
} from './analytics';
export { INTERACTION_TYPES, RESPONSE_DEADLINE_MS } from './lifecycle';
export { NOTABLE_TRACES_KEPT, type NotableOutcome, type NotableTrace } from './notable-trace';
export type {
  MetricsSnapshot,
  SnapshotFamily,
  SnapshotHistogramFamily,
  SnapshotHistogramSeries,
  SnapshotMetricType,
  SnapshotScalarFamily,
  SnapshotSeries,
} from './snapshot';
