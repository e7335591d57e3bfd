import { Readable } from 'node:stream';
import {
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  ClickHouseLogLevel,
  createClient,
  drainStream,
} from '@clickhouse/client';
import type { ClickHouseEngine, QueryParams } from './engine';
import { jsonEachRowSlices } from './json-each-row';
import { validateTableName } from './schema';

export interface HttpEngineOptions {
  /** `http(s)://user:password@host:8123/database`, as `@clickhouse/client` accepts it. */
  url: string;
  /** Per-request timeout; a hung server fails the request instead of holding the sink. Default 10 s. */
  requestTimeoutMs?: number;
  /** Passed through to `createClient` (TLS, compression, credentials...). */
  client?: Omit<ClickHouseClientConfigOptions, 'url' | 'request_timeout'>;
}

/** A ClickHouse server over HTTP, with server-side parameter binding (`query_params`). */
export class HttpEngine implements ClickHouseEngine {
  readonly kind = 'http' as const;
  private readonly client: ClickHouseClient;

  constructor(options: HttpEngineOptions) {
    this.client = createClient({
      // Failures reach the sink, which retries, counts and logs them rate-limited; the client's
      // own console logging would print every failed insert of an outage to the bot's stderr.
      log: { level: ClickHouseLogLevel.OFF },
      ...options.client,
      url: options.url,
      request_timeout: options.requestTimeoutMs ?? 10_000,
    });
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.client.command({ query: sql, query_params: params });
  }

  async insert(table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    // The body is JSONEachRow text serialised a slice of rows at a time, the loop turning between
    // slices, and written as one chunk per slice. (The client's own insert writes each row as its
    // own chunk: thousands of tiny writes per batch, and long stretches of the bot's loop spent
    // in stream bookkeeping and writev.) The table name is the writer's validated identifier,
    // checked again here; the client's insert would splice it into the statement the same way.
    const body = Readable.from(jsonEachRowSlices(rows), { objectMode: false });
    const result = await this.client.exec({
      query: `INSERT INTO ${validateTableName(table)} FORMAT JSONEachRow`,
      values: body,
    });
    await drainStream(result.stream);
  }

  async query<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
