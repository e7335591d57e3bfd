import {
  type AnalyticsSource,
  type CommandCount,
  type CommandStats,
  type DayVolume,
  type GuildActivity,
  type GuildQuery,
  type LimitedGuildQuery,
  type OverallStats,
  RESPONSE_DEADLINE_MS,
  type ResponseShare,
  resolveWindow,
  type TopGuildsQuery,
  validateCluster,
  validateGuildId,
  validateLimit,
} from '@argus/core';
import type { ClickHouseEngine, QueryParams } from './engine';
import { DEFAULT_TABLE, validateTableName } from './schema';

function num(value: unknown): number {
  return Number(value);
}
function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

// Constant SQL. Every value, the table name included, is a bound {name:Type} parameter.
const WINDOW = `time >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
  AND time < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
  AND ({cluster:String} = '' OR cluster = {cluster:String})`;
const SCOPE = `guild_id = {guildId:String}
  AND ${WINDOW}`;

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
  // Guild-less events (DMs) have guild_id ''; they are nobody's guild.
  topGuilds: `SELECT guild_id, countIf(event = 'interaction') AS interactions,
  countIf(event = 'command') AS commands, countIf(event = 'command' AND status = 'error') AS errors
FROM {table:Identifier}
WHERE guild_id != '' AND ${WINDOW}
GROUP BY guild_id ORDER BY interactions DESC, commands DESC, guild_id ASC LIMIT {limit:UInt8}`,
} as const;

export interface AnalyticsQueriesOptions {
  table?: string;
  /** The clock windows are measured against. Default `Date.now`. */
  now?: () => number;
}

/** The per-guild analytics questions, validated before any value reaches ClickHouse. */
export class AnalyticsQueries implements AnalyticsSource {
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
    return { ...this.windowParams(input), guildId };
  }

  private windowParams(input: TopGuildsQuery): QueryParams {
    const cluster = validateCluster(input?.cluster);
    const { from, to } = resolveWindow(input ?? {}, this.now());
    return { table: this.table, from, to, cluster };
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

  /** The busiest guilds of the window: by interactions, then commands, then id. */
  async topGuilds(input: TopGuildsQuery = {}): Promise<GuildActivity[]> {
    const params = { ...this.windowParams(input), limit: validateLimit(input.limit) };
    const rows = await this.engine.query<Record<string, unknown>>(SQL.topGuilds, params);
    return rows.map((r) => ({
      guildId: String(r.guild_id),
      interactions: num(r.interactions),
      commands: num(r.commands),
      errors: num(r.errors),
    }));
  }
}
