import { RESPONSE_DEADLINE_MS } from '@argus/core';
import type { ClickHouseEngine, QueryParams } from './engine';
import { DEFAULT_TABLE, validateTableName } from './schema';

const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 90;
export const MAX_LIMIT = 100;
const SNOWFLAKE = /^\d{17,20}$/;
const CLUSTER = /^[\w.-]{1,64}$/u;

/** Thrown for a bad analytics parameter; an HTTP layer maps it to 400. */
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

export interface GuildQuery extends WindowInput {
  /** A Discord snowflake: 17 to 20 digits. */
  guildId: string;
  /** Only this cluster's events. */
  cluster?: string;
}

export interface LimitedGuildQuery extends GuildQuery {
  /** 1 to 100. Default 10. */
  limit?: number;
}

export interface DayVolume {
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
  /** `quantileExactInclusive(0.95)`: linear interpolation between order statistics (numpy's default). */
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

export function validateGuildId(guildId: unknown): string {
  if (typeof guildId !== 'string' || !SNOWFLAKE.test(guildId))
    throw new AnalyticsParamError('guildId must be a Discord snowflake (17 to 20 digits)');
  return guildId;
}

export function validateLimit(limit: unknown, fallback = 10): number {
  const value = limit ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_LIMIT)
    throw new AnalyticsParamError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  return value;
}

function toMs(value: number | Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  // Years 2015 (Discord's epoch) to 2100: anything else is a mistake or an attack.
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1_420_070_400_000 || ms > 4_102_444_800_000)
    throw new AnalyticsParamError(`${name} must be a time between 2015 and 2100`);
  return ms;
}

/** Resolves a window to [from, to) in epoch ms, bounded to 90 days. */
export function resolveWindow(input: WindowInput, now: number): { from: number; to: number } {
  if (input.from !== undefined) {
    const from = toMs(input.from, 'from');
    const to = input.to === undefined ? now : toMs(input.to, 'to');
    if (to <= from) throw new AnalyticsParamError('to must be after from');
    if (to - from > MAX_WINDOW_DAYS * DAY_MS)
      throw new AnalyticsParamError(`the window must be at most ${MAX_WINDOW_DAYS} days`);
    return { from, to };
  }
  if (input.to !== undefined) throw new AnalyticsParamError('to needs from');
  const days = input.days ?? 30;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS)
    throw new AnalyticsParamError(`days must be an integer from 1 to ${MAX_WINDOW_DAYS}`);
  return { from: now - days * DAY_MS, to: now };
}

function num(value: unknown): number {
  return Number(value);
}
function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

// Constant SQL. Every value, the table name included, is a bound {name:Type} parameter.
const SCOPE = `guild_id = {guildId:String}
  AND time >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND time < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND ({cluster:String} = '' OR cluster = {cluster:String})`;

export const SQL = {
  volume: `SELECT toString(toDate(time, 'UTC')) AS day, count() AS interactions
FROM {table:Identifier}
WHERE event = 'interaction' AND ${SCOPE}
GROUP BY day ORDER BY day`,
  topCommands: `SELECT command, count() AS count
FROM {table:Identifier}
WHERE event = 'command' AND ${SCOPE}
GROUP BY command ORDER BY count DESC, command ASC LIMIT {limit:UInt8}`,
  commandStats: `SELECT command, count() AS count, countIf(status = 'error') AS errors,
  avg(duration_ms) AS avg_ms, quantileExactInclusive(0.95)(duration_ms) AS p95_ms
FROM {table:Identifier}
WHERE event = 'command' AND ${SCOPE}
GROUP BY command ORDER BY count DESC, command ASC LIMIT {limit:UInt8}`,
  overall: `SELECT count() AS count, countIf(status = 'error') AS errors,
  avg(duration_ms) AS avg_ms, quantileExactInclusive(0.95)(duration_ms) AS p95_ms
FROM {table:Identifier}
WHERE event = 'command' AND ${SCOPE}`,
  responseShare: `SELECT count() AS interactions,
  countIf(response_ms IS NOT NULL AND response_ms <= {deadlineMs:Float64}) AS within
FROM {table:Identifier}
WHERE event = 'interaction' AND ${SCOPE}`,
} as const;

export interface AnalyticsQueriesOptions {
  table?: string;
  /** The clock windows are measured against. Default `Date.now`. */
  now?: () => number;
}

/** The per-guild analytics questions, validated before any value reaches ClickHouse. */
export class AnalyticsQueries {
  private readonly table: string;
  private readonly now: () => number;

  constructor(
    private readonly engine: ClickHouseEngine,
    options: AnalyticsQueriesOptions = {},
  ) {
    this.table = validateTableName(options.table ?? DEFAULT_TABLE);
    this.now = options.now ?? Date.now;
  }

  private params(input: GuildQuery): QueryParams {
    const guildId = validateGuildId(input?.guildId);
    const cluster = input.cluster ?? '';
    if (typeof cluster !== 'string' || (cluster !== '' && !CLUSTER.test(cluster)))
      throw new AnalyticsParamError('cluster must be 1 to 64 letters, digits, dots, dashes or underscores');
    const { from, to } = resolveWindow(input, this.now());
    return { table: this.table, guildId, from, to, cluster };
  }

  /** Interactions per UTC day, oldest first; days without interactions are absent. */
  async interactionVolume(input: GuildQuery): Promise<DayVolume[]> {
    const rows = await this.engine.query<{ day: string; interactions: unknown }>(
      SQL.volume,
      this.params(input),
    );
    return rows.map((r) => ({ day: r.day, interactions: num(r.interactions) }));
  }

  /** Most used commands, most first (ties by name). */
  async topCommands(input: LimitedGuildQuery): Promise<CommandCount[]> {
    const params = { ...this.params(input), limit: validateLimit(input.limit) };
    const rows = await this.engine.query<{ command: string; count: unknown }>(SQL.topCommands, params);
    return rows.map((r) => ({ command: r.command, count: num(r.count) }));
  }

  /** Per command: count, errors, error ratio, average and p95 handler duration. */
  async commandStats(input: LimitedGuildQuery): Promise<CommandStats[]> {
    const params = { ...this.params(input), limit: validateLimit(input.limit, 50) };
    const rows = await this.engine.query<Record<string, unknown>>(SQL.commandStats, params);
    return rows.map((r) => {
      const count = num(r.count);
      const errors = num(r.errors);
      return {
        command: String(r.command),
        count,
        errors,
        errorRatio: count === 0 ? 0 : errors / count,
        avgMs: numOrNull(r.avg_ms),
        p95Ms: numOrNull(r.p95_ms),
      };
    });
  }

  /** All commands together: count, errors, error ratio, average and p95 duration. */
  async overall(input: GuildQuery): Promise<OverallStats> {
    const [r] = await this.engine.query<Record<string, unknown>>(SQL.overall, this.params(input));
    const commands = num(r?.count ?? 0);
    const errors = num(r?.errors ?? 0);
    return {
      commands,
      errors,
      errorRatio: commands === 0 ? 0 : errors / commands,
      avgMs: numOrNull(r?.avg_ms),
      p95Ms: numOrNull(r?.p95_ms),
    };
  }

  /** Share of interactions answered within Discord's 3 s deadline. */
  async responseShare(input: GuildQuery): Promise<ResponseShare> {
    const params = { ...this.params(input), deadlineMs: RESPONSE_DEADLINE_MS };
    const [r] = await this.engine.query<Record<string, unknown>>(SQL.responseShare, params);
    const interactions = num(r?.interactions ?? 0);
    const withinDeadline = num(r?.within ?? 0);
    return { interactions, withinDeadline, share: interactions === 0 ? null : withinDeadline / interactions };
  }
}
