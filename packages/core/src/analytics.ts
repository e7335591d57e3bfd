// The per-guild analytics contract (invariant 7): what an analytics store answers and how its
// inputs are validated. @argus/clickhouse implements it; @argus/server serves it over HTTP. Kept
// here so both agree on one set of types without depending on each other.

const DAY_MS = 86_400_000;
/** Longest window any analytics question accepts. */
export const MAX_WINDOW_DAYS = 90;
/** Most rows any ranked analytics answer returns. */
export const MAX_LIMIT = 100;
/** Window used when neither `days` nor `from` is given. */
export const DEFAULT_WINDOW_DAYS = 30;
// Years 2015 (Discord's epoch) to 2100: anything else is a mistake or an attack.
const MIN_TIME_MS = 1_420_070_400_000;
const MAX_TIME_MS = 4_102_444_800_000;
const SNOWFLAKE = /^\d{17,20}$/;
const CLUSTER = /^[\w.-]{1,64}$/;

/** A bad analytics input; an HTTP layer answers it with 400 and this message. */
export class AnalyticsParamError extends Error {
  override readonly name = 'AnalyticsParamError';
}

export interface WindowInput {
  /** The last N days up to now: an integer from 1 to 90. Default 30. Ignored when `from` is set. */
  days?: number;
  /** Explicit window start (inclusive), epoch ms or Date; `to` defaults to now. At most 90 days long. */
  from?: number | Date;
  /** Explicit window end (exclusive). */
  to?: number | Date;
}

/** A resolved window: [from, to) in epoch milliseconds. */
export interface AnalyticsWindow {
  from: number;
  to: number;
}

export interface ClusterScope {
  /** Only this cluster's events. */
  cluster?: string;
}

export interface GuildQuery extends WindowInput, ClusterScope {
  /** A Discord snowflake: 17 to 20 digits. */
  guildId: string;
}

export interface LimitedGuildQuery extends GuildQuery {
  /** 1 to 100. */
  limit?: number;
}

export interface TopGuildsQuery extends WindowInput, ClusterScope {
  /** 1 to 100. Default 10. */
  limit?: number;
}

export interface DayVolume {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  interactions: number;
}

export interface CommandCount {
  command: string;
  count: number;
}

export interface CommandStats {
  command: string;
  count: number;
  errors: number;
  /** errors / count, 0..1. */
  errorRatio: number;
  avgMs: number | null;
  /** Linear interpolation between order statistics (numpy's default). */
  p95Ms: number | null;
}

export interface OverallStats {
  commands: number;
  errors: number;
  errorRatio: number;
  avgMs: number | null;
  p95Ms: number | null;
}

export interface ResponseShare {
  interactions: number;
  /** Answered within Discord's 3 s deadline. */
  withinDeadline: number;
  /** withinDeadline / interactions, 0..1; null without interactions. */
  share: number | null;
}

export interface GuildActivity {
  guildId: string;
  interactions: number;
  commands: number;
  errors: number;
}

/** The questions the dashboard's Analytics view asks. Every method validates its input. */
export interface AnalyticsSource {
  /** Interactions per UTC day, oldest first; days without interactions are absent. */
  interactionVolume(query: GuildQuery): Promise<DayVolume[]>;
  /** Most used commands, most first (ties by name). Default limit 10. */
  topCommands(query: LimitedGuildQuery): Promise<CommandCount[]>;
  /** Per command: count, errors, error ratio, average and p95 duration. Default limit 50. */
  commandStats(query: LimitedGuildQuery): Promise<CommandStats[]>;
  /** All commands together. */
  overall(query: GuildQuery): Promise<OverallStats>;
  /** Share of interactions answered within Discord's 3 s deadline. */
  responseShare(query: GuildQuery): Promise<ResponseShare>;
  /** The busiest guilds of the window by interactions, then commands. */
  topGuilds(query: TopGuildsQuery): Promise<GuildActivity[]>;
}

export function validateGuildId(guildId: unknown): string {
  if (typeof guildId !== 'string' || !SNOWFLAKE.test(guildId))
    throw new AnalyticsParamError('guild_id must be a Discord snowflake (17 to 20 digits)');
  return guildId;
}

export function validateLimit(limit: unknown, fallback = 10): number {
  const value = limit ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LIMIT)
    throw new AnalyticsParamError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  return value;
}

/** '' (every cluster) or a cluster id of letters, digits, dots, dashes and underscores. */
export function validateCluster(cluster: unknown): string {
  const value = cluster ?? '';
  if (typeof value !== 'string' || (value !== '' && !CLUSTER.test(value)))
    throw new AnalyticsParamError('cluster must be 1 to 64 letters, digits, dots, dashes or underscores');
  return value;
}

function toMs(value: unknown, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < MIN_TIME_MS || ms > MAX_TIME_MS)
    throw new AnalyticsParamError(`${name} must be a time between 2015 and 2100`);
  return ms;
}

/** Resolves a window to [from, to) in epoch ms, at most 90 days long. */
export function resolveWindow(input: WindowInput, now: number): AnalyticsWindow {
  if (input.from !== undefined) {
    const from = toMs(input.from, 'from');
    const to = input.to === undefined ? now : toMs(input.to, 'to');
    if (to <= from) throw new AnalyticsParamError('to must be after from');
    if (to - from > MAX_WINDOW_DAYS * DAY_MS)
      throw new AnalyticsParamError(`the window must be at most ${MAX_WINDOW_DAYS} days`);
    return { from, to };
  }
  if (input.to !== undefined) throw new AnalyticsParamError('to needs from');
  const days = input.days ?? DEFAULT_WINDOW_DAYS;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS)
    throw new AnalyticsParamError(`days must be an integer from 1 to ${MAX_WINDOW_DAYS}`);
  return { from: now - days * DAY_MS, to: now };
}
