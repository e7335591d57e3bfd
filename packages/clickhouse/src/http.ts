import { Readable } from 'node:stream';
import {
  type ClickHouseClient,
  type ClickHouseClientConfigOptions,
  ClickHouseLogLevel,
  createClient,
} from '@clickhouse/client';
import type { ClickHouseEngine, QueryParams } from './engine';

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
    // A stream is serialised row by row as the socket takes it, so a large batch never holds the
    // bot's event loop for the whole JSON encoding.
    await this.client.insert({ table, values: Readable.from(rows), format: 'JSONEachRow' });
  }

  async query<T>(sql: string, params: QueryParams = {}): Promise<T[]> {
    const result = await this.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
