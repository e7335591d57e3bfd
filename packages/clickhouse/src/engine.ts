/** A value bound server-side to a `{name:Type}` placeholder; never spliced into SQL text. */
export type QueryParam = string | number | boolean | null;
export type QueryParams = Record<string, QueryParam>;

/**
 * The little Argus needs from ClickHouse. Two implementations: {@link HttpEngine} (a server, over
 * `@clickhouse/client`) and {@link EmbeddedEngine} (in-process, on `chdb`). Every SQL text passed
 * here is a constant of this package; every value travels as a bound parameter, identifiers included
 * (`{table:Identifier}`).
 */
export interface ClickHouseEngine {
  /** `http` or `embedded`. */
  readonly kind: 'http' | 'embedded';
  /** Runs a statement that returns no rows (DDL). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Inserts rows as JSONEachRow into a table whose name has been validated. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** Runs a query and returns its rows (JSONEachRow). */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  close(): Promise<void>;
}

/** Thrown for a ClickHouse problem Argus can name precisely (old server, missing package). */
export class ClickHouseSetupError extends Error {
  override readonly name = 'ClickHouseSetupError';
}

/** Parses JSONEachRow text into rows. */
export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line.length > 0) rows.push(JSON.parse(line) as T);
  return rows;
}
