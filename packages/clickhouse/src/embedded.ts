import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ClickHouseEngine, ClickHouseSetupError, parseJsonEachRow, type QueryParams } from './engine';
import { jsonEachRowSlices } from './json-each-row';

/** The part of `chdb`'s API this engine uses (declared here so `chdb` stays an optional peer). */
export interface ChdbResultLike {
  text(): string;
}
export interface ChdbSessionLike {
  queryAsync(sql: string, options?: { format?: string }): Promise<ChdbResultLike>;
  queryBindAsync(sql: string, params: object, options?: { format?: string }): Promise<ChdbResultLike>;
  insert(params: { table: string; values: Buffer; format: 'JSONEachRow' }): Promise<unknown>;
  close(): void;
}
export interface ChdbModuleLike {
  Session: new (path?: string) => ChdbSessionLike;
  drainPending?: () => Promise<void>;
}

export interface EmbeddedEngineOptions {
  /** Data directory; created when missing. */
  path: string;
  /** How `chdb` is loaded; tests replace it. Default: `import('chdb')`. */
  load?: () => Promise<ChdbModuleLike>;
}

/** The message when the optional peer is not installed. */
export const CHDB_MISSING =
  'The embedded ClickHouse engine needs the optional package "chdb" (npm install chdb / pnpm add chdb); ' +
  'or set clickhouseDsn to an http(s):// URL of a ClickHouse server.';

async function defaultLoad(): Promise<ChdbModuleLike> {
  const mod = (await import('chdb')) as unknown as ChdbModuleLike & { default?: ChdbModuleLike };
  return typeof mod.Session === 'function' ? mod : (mod.default as ChdbModuleLike);
}

/**
 * ClickHouse in-process on `chdb`. Queries and inserts use chdb's async calls, which run on libuv's
 * thread pool, so the event loop keeps turning while the engine works. libchdb binds one data
 * directory per process: open one EmbeddedEngine per process and share it.
 */
export class EmbeddedEngine implements ClickHouseEngine {
  readonly kind = 'embedded' as const;
  private closed = false;

  private constructor(
    private readonly session: ChdbSessionLike,
    private readonly chdb: ChdbModuleLike,
    readonly path: string,
  ) {}

  static async open(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
    let chdb: ChdbModuleLike;
    try {
      chdb = await (options.load ?? defaultLoad)();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
        throw new ClickHouseSetupError(CHDB_MISSING, { cause: error });
      throw new ClickHouseSetupError(`chdb could not be loaded: ${(error as Error)?.message ?? error}`, {
        cause: error,
      });
    }
    const path = resolve(options.path);
    mkdirSync(path, { recursive: true });
    // Opening a session is synchronous in chdb (tens of ms, once, at start).
    return new EmbeddedEngine(new chdb.Session(path), chdb, path);
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' });
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    // Serialised in slices with a turn of the event loop between them, so a large batch never
    // holds the bot's loop for long.
    let payload = '';
    for await (const slice of jsonEachRowSlices(rows)) payload += slice;
    // Raw passthrough: the engine parses the JSONEachRow bytes itself; no SQL is built from values.
    await this.session.insert({ table, values: Buffer.from(payload), format: 'JSONEachRow' });
  }

  async query<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' });
    return parseJsonEachRow<T>(result.text());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session.close();
    await this.chdb.drainPending?.();
  }
}
