// The scenario of issue 14, item 1, shared by the chdb and the 18.16 tests: 20 good events, one
// the store cannot take, then 300 good ones. Before the fix the sink retried the batch holding the
// bad event forever: written stayed at 20, the queue filled and the sink reported down.
import type { ArgusEvent } from '@argus/core';
import { expect } from 'vitest';
import { ClickHouseSink, type ClickHouseSinkOptions } from '../src/index';

export const GOOD_BEFORE = 20;
export const GOOD_AFTER = 300;

/** A valid command event; its sequence number is its `durationMs`, so rows can be told apart. */
export function goodEvent(seq: number): ArgusEvent {
  return {
    time: Date.parse('2026-03-10T12:00:00.000Z') + seq,
    cluster: 'a',
    shard: seq % 4,
    guildId: `10000000000000000${seq % 10}`,
    event: 'command',
    type: 'application_command',
    command: `cmd${seq % 5}`,
    status: 'success',
    errorType: '',
    durationMs: seq,
    responseMs: null,
  };
}

/** What the reporter sent: a negative shard and lone UTF-16 surrogates. */
export function unstorableEvent(): ArgusEvent {
  return { ...goodEvent(9_999), shard: -1, command: 'ping\ud800', errorType: 'Err\udfff', status: 'error' };
}

/** A valid event whose 40-character command a table with `command FixedString(16)` refuses. */
export function refusedEvent(): ArgusEvent {
  return { ...goodEvent(9_998), command: 'c'.repeat(40) };
}

/** The events table with a narrower `command` column: the store refuses what the encoder accepts. */
export function narrowCommandTableSql(table: string, timeType: string): string {
  return `CREATE TABLE ${table} (time ${timeType}, cluster String, shard UInt16, guild_id String, event String, type String, command FixedString(16), status String, error_type String, duration_ms Nullable(Float64), response_ms Nullable(Float64)) ENGINE = MergeTree ORDER BY (guild_id, time)`;
}

async function until(what: string, done: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface PoisonOutcome {
  sink: ClickHouseSink;
  drops: Record<string, number>;
  health: boolean[];
}

/**
 * Runs the scenario through a real ClickHouseSink and checks what the issue asks: written reaches
 * 320, one event is dropped as invalid, nothing else is dropped and health never goes down.
 */
export async function runPoisonScenario(
  options: Omit<ClickHouseSinkOptions, 'onDrop' | 'onHealth'>,
  poison: ArgusEvent,
): Promise<PoisonOutcome> {
  const drops: Record<string, number> = {};
  const health: boolean[] = [];
  const sink = new ClickHouseSink({
    batchSize: 50,
    flushIntervalMs: 20,
    backoffMs: 20,
    maxBackoffMs: 100,
    circuitThreshold: 3,
    circuitCooldownMs: 200,
    closeEngine: false,
    ...options,
    onDrop: (reason, n) => {
      drops[reason] = (drops[reason] ?? 0) + n;
    },
    onHealth: (up) => health.push(up),
  });
  for (let i = 0; i < GOOD_BEFORE; i++) sink.record(goodEvent(i));
  await until('the first 20 rows', () => sink.stats().written === GOOD_BEFORE);
  sink.record(poison);
  for (let i = GOOD_BEFORE; i < GOOD_BEFORE + GOOD_AFTER; i++) sink.record(goodEvent(i));
  await until('the queue to empty', () => sink.stats().queued === 0);
  await sink.close(5_000);
  expect(sink.stats()).toMatchObject({
    produced: GOOD_BEFORE + 1 + GOOD_AFTER,
    written: GOOD_BEFORE + GOOD_AFTER,
    dropped: 1,
    queued: 0,
    consecutiveFailures: 0,
  });
  expect(drops).toEqual({ invalid: 1 });
  expect(health).toEqual([]);
  return { sink, drops, health };
}
