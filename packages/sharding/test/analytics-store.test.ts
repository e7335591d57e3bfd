// The manager's store on the real embedded engine (chdb), fed the way watchManager feeds it: a
// forwarded batch holding one row ClickHouse refuses must not stop it. Before it composed
// ClickHouseSink, the refused batch was retried forever: written stayed at 20, the queue filled
// and every later event was dropped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '@argus/clickhouse';
import { type ArgusEvent, FailOpenGuard, type Logger } from '@argus/core';
import { until } from '@argus/test-services';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { goodEvent, narrowCommandTableSql, refusedEvent } from '../../clickhouse/test/poison';
import { ManagerAnalyticsStore } from '../src/internal/analytics-store';
import { samples, sum } from './harness';

const TABLE = 'manager_poison';
let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argus-manager-store-'));
  dataDir = join(dir, 'data');
  // A table with a narrower `command` than Argus makes: the store then refuses a row that
  // normalizeEvent and the encoder both accept (a 40-character command), a real refusal by
  // ClickHouse. libchdb binds one directory per process, so this engine closes before the store's opens.
  const engine = await createEngine(dataDir);
  await engine.command(narrowCommandTableSql(TABLE, "DateTime64(3, 'UTC')"));
  await engine.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const range = (from: number, to: number): ArgusEvent[] =>
  Array.from({ length: to - from }, (_, i) => goodEvent(from + i));

it('sets aside the row ClickHouse refuses, counts it as invalid, and keeps writing the rest', async () => {
  const errors: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`),
  };
  const store = new ManagerAnalyticsStore(
    { clickhouseDsn: `embedded:${dataDir}`, table: TABLE, batchSize: 50, flushIntervalMs: 20 },
    new FailOpenGuard({ logger }),
    logger,
  );
  const counter = (name: string, labels: Record<string, string> = {}) =>
    sum(samples(store.render(), `argus_manager_events_${name}_total`, labels));

  store.take(range(0, 20), 0);
  await until(() => counter('written') === 20, 20_000, 'the first 20 events written');

  // The refused row sits between good ones in one forwarded batch; more batches follow it.
  store.take([...range(20, 40), refusedEvent(), ...range(40, 60)], 2);
  for (let from = 60; from < 320; from += 20) store.take(range(from, from + 20), 0);
  await until(
    () => {
      // Thrown, not returned: a timeout then shows where the counters stood and what was logged.
      if (counter('written') !== 320) throw new Error(`\n${store.render()}${errors.join('\n')}`);
      return true;
    },
    20_000,
    'all 320 good events written',
  );
  await store.close(5_000);

  expect(counter('received')).toBe(321);
  expect(counter('written')).toBe(320);
  expect(counter('dropped', { reason: 'invalid' })).toBe(1);
  expect(counter('dropped', { reason: 'malformed' })).toBe(2);
  expect(counter('dropped', { reason: 'overflow' })).toBe(0);
  expect(counter('dropped', { reason: 'shutdown' })).toBe(0);
  // Nothing is left queued after close: every event taken is written or dropped, once.
  expect(counter('received') + 2).toBe(counter('written') + counter('dropped'));
  // The refusal reaches the log as an error of the store's writes.
  expect(errors.join('\n')).toMatch(/TOO_LARGE_STRING_SIZE|Too large value for FixedString/);

  const engine = await createEngine(dataDir);
  try {
    const [row] = await engine.query<{ n: number; long: number }>(
      "SELECT count() AS n, countIf(command LIKE 'ccc%') AS long FROM {table:Identifier}",
      { table: TABLE },
    );
    expect({ n: Number(row?.n), long: Number(row?.long) }).toEqual({ n: 320, long: 0 });
  } finally {
    await engine.close();
  }
}, 60_000);
