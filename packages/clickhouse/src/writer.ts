import { type ArgusEvent, type WriteOutcome, withTimeout } from '@argus/core';
import type { ClickHouseEngine } from './engine';
import { encodeRowsInSlices } from './rows';
import { DEFAULT_TABLE, ensureSchema, validateTableName, validateTtlDays } from './schema';

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

/** The writer's options, checked, with their defaults: what a bad value throws names it. */
export function resolveWriterOptions(
  options: Omit<ClickHouseWriterOptions, 'engine'>,
): Required<Omit<ClickHouseWriterOptions, 'engine' | 'ttlDays'>> & { ttlDays: number | undefined } {
  const writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
  if (!Number.isInteger(writeTimeoutMs) || writeTimeoutMs < 1)
    throw new RangeError(
      `ClickHouse writeTimeoutMs must be a positive integer, got ${options.writeTimeoutMs}`,
    );
  return {
    table: validateTableName(options.table ?? DEFAULT_TABLE),
    ttlDays: validateTtlDays(options.ttlDays),
    createTable: options.createTable ?? true,
    writeTimeoutMs,
  };
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
    const resolved = resolveWriterOptions(options);
    this.table = resolved.table;
    this.ttlDays = resolved.ttlDays;
    this.createTable = resolved.createTable;
    this.writeTimeoutMs = resolved.writeTimeoutMs;
  }

  /**
   * Inserts one batch; rejects (for the sink to retry, or to split when ClickHouse refused the
   * rows) on any failure or after the timeout. Events that cannot be encoded are left out and
   * reported as `invalid`.
   */
  async write(batch: readonly ArgusEvent[]): Promise<WriteOutcome> {
    const { rows, invalid, reason } = await encodeRowsInSlices(batch);
    await withTimeout(
      this.ready().then(() => this.engine.insert(this.table, rows)),
      this.writeTimeoutMs,
      'ClickHouse write',
    );
    return reason ? { invalid, reason } : { invalid };
  }

  /** Checks the version and creates the table, once (again after a failure); at once without `createTable`. */
  ready(): Promise<unknown> {
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
