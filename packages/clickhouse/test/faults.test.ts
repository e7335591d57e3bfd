// A FAKE engine stands in for ClickHouse in this file, because the faults (a server that throws,
// hangs, recovers or is too old) must be injected at exact moments. server.test.ts runs the same
// faults against Debian's real clickhouse-server; chdb.test.ts covers the modern engine.
import type { ArgusEvent } from '@argus/core';
import { describe, expect, it, vi } from 'vitest';
import {
  CHDB_MISSING,
  type ClickHouseEngine,
  ClickHouseSetupError,
  ClickHouseSink,
  checkVersion,
  createEngine,
  EmbeddedEngine,
  formatTime,
  HttpEngine,
  validateTableName,
} from '../src/index';
import { command, GUILD, NOW } from './dataset';

type Mode = 'ok' | 'throw' | 'hang';

class FakeEngine implements ClickHouseEngine {
  readonly kind = 'http' as const;
  mode: Mode = 'ok';
  version = '26.7.2.1';
  inserts: number[] = [];
  rows = 0;
  closed = false;
  async command(): Promise<void> {}
  async insert(_table: string, rows: readonly object[]): Promise<void> {
    this.inserts.push(rows.length);
    if (this.mode === 'throw') throw new Error('Code: 210. Connection refused');
    if (this.mode === 'hang') return new Promise<void>(() => {});
    this.rows += rows.length;
  }
  async query<T>(): Promise<T[]> {
    return [{ version: this.version } as T];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const events = (n: number): ArgusEvent[] =>
  Array.from({ length: n }, (_, i) => command(NOW + i, GUILD, 'ping', i));

function exact(sink: ClickHouseSink): void {
  const s = sink.stats();
  expect(s.produced).toBe(s.written + s.dropped + s.queued);
}

describe('ClickHouseSink under faults (fake engine)', () => {
  it('server errors: events stay queued and are retried, overflow is dropped and counted, the circuit opens', async () => {
    const engine = new FakeEngine();
    engine.mode = 'throw';
    const drops: Record<string, number> = {};
    const health: boolean[] = [];
    const sink = new ClickHouseSink({
      engine,
      capacity: 10,
      batchSize: 5,
      maxBatchSize: 5,
      flushIntervalMs: 5,
      backoffMs: 5,
      maxBackoffMs: 20,
      circuitThreshold: 3,
      circuitCooldownMs: 60_000,
      onDrop: (reason, n) => {
        drops[reason] = (drops[reason] ?? 0) + n;
      },
      onHealth: (up) => health.push(up),
    });
    for (const e of events(15)) sink.record(e);
    expect(drops).toEqual({ overflow: 5 });
    exact(sink);
    await vi.waitFor(() => expect(sink.stats().circuitOpen).toBe(true), { timeout: 2_000, interval: 5 });
    expect(health).toEqual([false]);
    expect(engine.inserts.length).toBe(3); // the same first batch, retried with backoff
    expect(engine.inserts).toEqual([5, 5, 5]);
    // Open circuit: no more hammering.
    await new Promise((r) => setTimeout(r, 60));
    expect(engine.inserts.length).toBe(3);
    expect(sink.stats()).toMatchObject({ produced: 15, written: 0, dropped: 5, queued: 10 });
    exact(sink);
    const report = await sink.close(50);
    expect(report.unflushed).toBe(10);
    expect(drops).toEqual({ overflow: 5, shutdown: 10 });
    expect(sink.stats()).toMatchObject({ produced: 15, written: 0, dropped: 15, queued: 0 });
    expect(engine.closed).toBe(true);
  });

  it('a hung server times out, opens the circuit, and recovery after the cooldown flushes everything', async () => {
    const engine = new FakeEngine();
    engine.mode = 'hang';
    const health: boolean[] = [];
    // Read at the instant the circuit opens: a poll may come after the 100 ms cooldown.
    let atOpen: ReturnType<ClickHouseSink['stats']> | undefined;
    const sink: ClickHouseSink = new ClickHouseSink({
      engine,
      capacity: 100,
      batchSize: 10,
      flushIntervalMs: 5,
      backoffMs: 5,
      maxBackoffMs: 10,
      circuitThreshold: 2,
      circuitCooldownMs: 100,
      writeTimeoutMs: 20,
      onHealth: (up) => {
        health.push(up);
        if (!up) atOpen = sink.stats();
      },
    });
    for (const e of events(25)) sink.record(e);
    await vi.waitFor(() => expect(health).toEqual([false]), { timeout: 2_000, interval: 5 });
    expect(atOpen).toMatchObject({ queued: 25, written: 0, circuitOpen: true });
    engine.mode = 'ok';
    await vi.waitFor(() => expect(sink.stats().queued).toBe(0), { timeout: 3_000, interval: 5 });
    expect(health).toEqual([false, true]);
    expect(engine.rows).toBe(25);
    expect(await sink.close(100)).toEqual({ flushed: 0, unflushed: 0 });
    expect(sink.stats()).toMatchObject({ produced: 25, written: 25, dropped: 0, queued: 0 });
  });

  it('close() flushes what it can within the deadline against a hung server and returns in time', async () => {
    const engine = new FakeEngine();
    engine.mode = 'hang';
    const sink = new ClickHouseSink({ engine, flushIntervalMs: 60_000, writeTimeoutMs: 10_000 });
    for (const e of events(7)) sink.record(e);
    const started = Date.now();
    expect(await sink.close(100)).toEqual({ flushed: 0, unflushed: 7 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(sink.stats()).toMatchObject({ produced: 7, dropped: 7, queued: 0 });
  });

  it('an old server fails with a clear message and the events wait for a retry', async () => {
    const engine = new FakeEngine();
    engine.version = '18.16.1';
    const errors: unknown[] = [];
    const sink = new ClickHouseSink({
      engine,
      flushIntervalMs: 5,
      backoffMs: 5,
      onError: (e) => errors.push(e),
    });
    for (const e of events(3)) sink.record(e);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 2_000, interval: 5 });
    expect(errors[0]).toBeInstanceOf(ClickHouseSetupError);
    expect(String((errors[0] as Error).message)).toMatch(/ClickHouse 18\.16\.1 is too old .* 24\.8 or newer/);
    expect(engine.inserts).toEqual([]);
    expect(sink.stats()).toMatchObject({ queued: 3, written: 0 });
    await sink.close(10);
  });
});

describe('ClickHouseSink with an engine that opens late (how argus() runs it)', () => {
  it('queues before the engine exists, retries a failed open like a failed write, and closes what it opened', async () => {
    const engine = new FakeEngine();
    let opens = 0;
    const sink = new ClickHouseSink({
      engine: async () => {
        opens++;
        if (opens <= 2) throw new Error('connect ECONNREFUSED');
        return engine;
      },
      batchSize: 5,
      flushIntervalMs: 5,
      backoffMs: 5,
      maxBackoffMs: 10,
    });
    for (const e of events(12)) sink.record(e);
    await vi.waitFor(() => expect(sink.stats().written).toBe(12), { timeout: 2_000, interval: 5 });
    expect(opens).toBe(3);
    expect(engine.rows).toBe(12);
    // A backlog goes out in bigger inserts (up to ten batches) once the engine is there.
    expect(engine.inserts[0]).toBe(12);
    await expect(sink.ready()).resolves.toBe(engine);
    await sink.close(1_000);
    expect(engine.closed).toBe(true);
    exact(sink);
  });

  it('close() returns even when the engine never opens, and counts what was queued', async () => {
    const drops: [string, number][] = [];
    const sink = new ClickHouseSink({
      engine: () => new Promise<never>(() => {}),
      batchSize: 1,
      onDrop: (reason, n) => drops.push([reason, n]),
    });
    sink.record(events(1)[0]!);
    expect(await sink.close(50)).toEqual({ flushed: 0, unflushed: 1 });
    expect(drops).toEqual([['shutdown', 1]]);
  });
});

describe('setup', () => {
  it('checkVersion accepts the minimum and newer', async () => {
    const engine = new FakeEngine();
    for (const v of ['24.8.1.1', '24.10', '26.7.2.1']) {
      engine.version = v;
      await expect(checkVersion(engine)).resolves.toBe(v);
    }
    for (const v of ['24.7.9.9', '23.8.1', '18.16.1']) {
      engine.version = v;
      await expect(checkVersion(engine)).rejects.toBeInstanceOf(ClickHouseSetupError);
    }
  });

  it('table names follow an allowlist', () => {
    expect(validateTableName('argus_events')).toBe('argus_events');
    for (const bad of [
      '',
      '1abc',
      'a-b',
      'db.table',
      'a b',
      'é',
      'x`',
      "x'; DROP TABLE y; --",
      'a'.repeat(65),
    ])
      expect(() => validateTableName(bad)).toThrow(TypeError);
  });

  it('createEngine picks by DSN and names the package when chdb is missing', async () => {
    const http = await createEngine('http://default:secret@127.0.0.1:1/');
    expect(http).toBeInstanceOf(HttpEngine);
    await http.close();
    await expect(createEngine('tcp://127.0.0.1:9000')).rejects.toThrow(/unsupported scheme/);
    await expect(createEngine('clickhouse://user:pw@host')).rejects.not.toThrow(/pw/);
    await expect(createEngine('  ')).rejects.toThrow(/empty/);
    const missing = Object.assign(new Error("Cannot find package 'chdb'"), { code: 'ERR_MODULE_NOT_FOUND' });
    for (const dsn of ['embedded', 'embedded:/tmp/x', './data/ch']) {
      const attempt = createEngine(dsn, { embedded: { load: () => Promise.reject(missing) } });
      await expect(attempt).rejects.toBeInstanceOf(ClickHouseSetupError);
      await expect(attempt).rejects.toThrow(CHDB_MISSING);
    }
    expect(CHDB_MISSING).toMatch(/"chdb"/);
    expect(EmbeddedEngine).toBeTypeOf('function');
  });
});

describe('formatTime', () => {
  it('matches the ISO form for any millisecond, across second and year boundaries', () => {
    const naive = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
    const samples = [
      NOW,
      NOW + 1,
      NOW + 999,
      NOW + 1000,
      Date.parse('2026-12-31T23:59:59.999Z'),
      1_420_070_400_000,
    ];
    for (let i = 0; i < 2_000; i++) samples.push(NOW + Math.floor(Math.random() * 5_000_000) - 2_500_000);
    for (const ms of samples) expect(formatTime(ms)).toBe(naive(ms));
    expect(formatTime(NOW + 5.7)).toBe(naive(NOW + 5));
    // A broken clock value becomes "now" instead of failing the batch it is in.
    expect(formatTime(Number.NaN)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  });
});
