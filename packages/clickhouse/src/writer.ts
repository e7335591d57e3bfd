import type { ArgusEvent } from '@argus/core';
import type { ClickHouseEngine } from './engine';
import { DEFAULT_TABLE, ensureSchema, validateTableName, validateTtlDays } from './schema';

/** One row of the events table, as sent in JSONEachRow. */
export interface EventRow {
  time: string;
  cluster: string;
  shard: number;
  guild_id: string;
  event: string;
  type: string;
  command: string;
  status: string;
  error_type: string;
  duration_ms: number | null;
  response_ms: number | null;
}

// Events come in bursts within the same second: format the second once and add the milliseconds.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** `2026-01-02 03:04:05.678` in UTC: the DateTime64(3) text form every ClickHouse parses by default. */
export function formatTime(ms: number): string {
  // A broken clock value must not fail (and so stall) the whole batch it is in.
  const whole = Number.isFinite(ms) ? Math.floor(ms) : Date.now();
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    if (iso.length !== 24) return new Date(whole).toISOString().slice(0, 23).replace('T', ' ');
    cachedSecond = second;
    cachedPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  }
  const millis = whole - second * 1000;
  return cachedPrefix + (millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`);
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function toRow(event: ArgusEvent): EventRow {
  return {
    time: formatTime(event.time),
    cluster: event.cluster,
    shard: event.shard,
    guild_id: event.guildId ?? '',
    event: event.event,
    type: event.type,
    command: event.command,
    status: event.status,
    error_type: event.errorType,
    duration_ms: finiteOrNull(event.durationMs),
    response_ms: finiteOrNull(event.responseMs),
  };
}

export interface ClickHouseWriterOptions {
  engine: ClickHouseEngine;
  /** Default `argus_events`. */
  table?: string;
  /** Retention in days for a table this writer creates. Default: none. */
  ttlDays?: number;
  /**
   * Check the server version and create the table before the first insert. Default true. Turn it
   * off when the table is managed elsewhere (a user without DDL rights, a migration tool).
   */
  createTable?: boolean;
  /** A write that has not settled by then counts as failed. Default 10,000 ms. */
  writeTimeoutMs?: number;
}

/**
 * Writes batches of events to the events table. The schema is set up on the first write and
 * again after a failed setup, so a server that comes up late is handled like any failed write.
 */
export class ClickHouseWriter {
  readonly table: string;
  readonly engine: ClickHouseEngine;
  private readonly ttlDays: number | undefined;
  private readonly createTable: boolean;
  private readonly writeTimeoutMs: number;
  private schema: Promise<unknown> | undefined;

  constructor(options: ClickHouseWriterOptions) {
    this.engine = options.engine;
    this.table = validateTableName(options.table ?? DEFAULT_TABLE);
    this.ttlDays = validateTtlDays(options.ttlDays);
    this.createTable = options.createTable ?? true;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    if (!Number.isInteger(this.writeTimeoutMs) || this.writeTimeoutMs < 1)
      throw new RangeError(
        `ClickHouse writeTimeoutMs must be a positive integer, got ${options.writeTimeoutMs}`,
      );
  }

  /** Inserts one batch; rejects (for the sink to retry) on any failure or after the timeout. */
  write(batch: readonly ArgusEvent[]): Promise<void> {
    return withTimeout(
      this.ready().then(() => this.engine.insert(this.table, batch.map(toRow))),
      this.writeTimeoutMs,
      'ClickHouse write',
    );
  }

  private ready(): Promise<unknown> {
    if (!this.createTable) return Promise.resolve();
    if (!this.schema) {
      const setup = ensureSchema(this.engine, { table: this.table, ttlDays: this.ttlDays });
      this.schema = setup;
      setup.catch(() => {
        if (this.schema === setup) this.schema = undefined;
      });
    }
    return this.schema;
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
