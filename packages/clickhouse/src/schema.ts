import { type ClickHouseEngine, ClickHouseSetupError } from './engine';

/** The oldest ClickHouse this package accepts. Tests run against 26.7 (chdb). */
export const MIN_CLICKHOUSE_VERSION = '24.8';
export const DEFAULT_TABLE = 'argus_events';
/** Longest retention accepted for `ttlDays` (10 years). */
export const MAX_TTL_DAYS = 3650;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * A table name is an identifier: it cannot be a string parameter, so it must match a strict
 * allowlist (letters, digits, underscore; 64 characters at most). It is still bound as
 * `{table:Identifier}` in every statement.
 */
export function validateTableName(table: string): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table))
    throw new TypeError(
      `ClickHouse table name must match ${TABLE_NAME} (letters, digits, underscore), got ${JSON.stringify(table)}`,
    );
  return table;
}

export function validateTtlDays(ttlDays: number | undefined): number | undefined {
  if (ttlDays === undefined) return undefined;
  if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > MAX_TTL_DAYS)
    throw new RangeError(`ClickHouse ttlDays must be an integer from 1 to ${MAX_TTL_DAYS}, got ${ttlDays}`);
  return ttlDays;
}

function parseVersion(version: string): number[] {
  return version.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

/** True when `version` (e.g. "26.7.2.1") is at least `minimum` (e.g. "24.8"). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const have = parseVersion(version);
  const want = parseVersion(minimum);
  for (let i = 0; i < want.length; i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Reads `SELECT version()` and fails with a clear message below {@link MIN_CLICKHOUSE_VERSION}. */
export async function checkVersion(engine: ClickHouseEngine): Promise<string> {
  const rows = await engine.query<{ version: string }>('SELECT version() AS version');
  const version = String(rows[0]?.version ?? '');
  if (!/^\d+\.\d+/.test(version))
    throw new ClickHouseSetupError(`Could not read the ClickHouse version (got ${JSON.stringify(version)})`);
  if (!versionAtLeast(version, MIN_CLICKHOUSE_VERSION))
    throw new ClickHouseSetupError(
      `ClickHouse ${version} is too old for Argus: version ${MIN_CLICKHOUSE_VERSION} or newer is required ` +
        '(DateTime64, LowCardinality, TTL and server-side {name:Type} parameters, identifiers included)',
    );
  return version;
}

/** Every column of the events table, in insert order. */
export const COLUMNS = [
  'time',
  'cluster',
  'shard',
  'guild_id',
  'event',
  'type',
  'command',
  'status',
  'error_type',
  'duration_ms',
  'response_ms',
] as const;

// Constant DDL: the table name and the retention are bound parameters, never spliced in.
const COLUMNS_DDL = `(
  time DateTime64(3, 'UTC'),
  cluster LowCardinality(String),
  shard UInt16,
  guild_id String,
  event LowCardinality(String),
  type LowCardinality(String),
  command LowCardinality(String),
  status LowCardinality(String),
  error_type LowCardinality(String),
  duration_ms Nullable(Float64),
  response_ms Nullable(Float64)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (guild_id, time)`;

export const CREATE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS {table:Identifier} ${COLUMNS_DDL}`;
export const CREATE_TABLE_WITH_TTL_SQL = `CREATE TABLE IF NOT EXISTS {table:Identifier} ${COLUMNS_DDL}
TTL toDateTime(time) + toIntervalDay({ttlDays:UInt16})`;

export interface SchemaOptions {
  /** Default `argus_events`. */
  table?: string;
  /** Rows older than this many days are deleted by ClickHouse. Default: kept forever. */
  ttlDays?: number;
}

/**
 * Checks the server version, then creates the events table when it does not exist. An existing
 * table is left as it is (its TTL included). Returns the server version.
 */
export async function ensureSchema(engine: ClickHouseEngine, options: SchemaOptions = {}): Promise<string> {
  const table = validateTableName(options.table ?? DEFAULT_TABLE);
  const ttlDays = validateTtlDays(options.ttlDays);
  const version = await checkVersion(engine);
  if (ttlDays === undefined) await engine.command(CREATE_TABLE_SQL, { table });
  else await engine.command(CREATE_TABLE_WITH_TTL_SQL, { table, ttlDays });
  return version;
}
