import type { ArgusAdapter } from '@argus/core';

/** Options of `clickhouse()`: where per-guild analytics go. Unset ones follow argus()'s config. */
export interface ClickHouseOptions {
  /**
   * `embedded` (chdb, in `./argus-data`), `embedded:<dir>`, or an `http(s)://user:pass@host:8123/db`
   * URL of a ClickHouse server (18.16 or later).
   */
  dsn: string;
  /** Table of the events. Default: `clickhouseTable` (argus_events). */
  table?: string;
  /** Create the table when missing. Default: `clickhouseCreateTable` (true). */
  createTable?: boolean;
  /** Days events are kept (a TTL on a table Argus creates). Default: `clickhouseTtlDays` (none). */
  ttlDays?: number;
  /** Events queued at most while ClickHouse is slow or down; past it they are dropped and counted. Default: `historyQueueCapacity`. */
  capacity?: number;
  /** Events per insert. Default: `historyBatchSize`. */
  batchSize?: number;
  /** Milliseconds between inserts. Default: `historyFlushInterval` seconds. */
  flushIntervalMs?: number;
}

/** The value `clickhouse()` returns: hand it to `argus(client, { analytics })`. */
export interface ClickHouseAnalytics extends ArgusAdapter {
  readonly kind: 'clickhouse';
  readonly role: 'analytics';
}
