// What the store adds around @argus/clickhouse's ClickHouseSink: events taken before the package
// has loaded, a package that fails to load, a close that comes first. The real ClickHouseSink
// runs over an in-memory engine; test/analytics-store.test.ts runs the store on chdb.
import { AnalyticsQueries, type ClickHouseEngine, ClickHouseSink } from '@argus/clickhouse';
import { type ArgusEvent, FailOpenGuard, type Logger } from '@argus/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClickHouseModule, ManagerAnalyticsStore } from './analytics-store';

class MemoryEngine implements ClickHouseEngine {
  readonly kind = 'http' as const;
  readonly rows: object[] = [];
  closed = false;
  async command(): Promise<void> {}
  async insert(_table: string, rows: readonly object[]): Promise<void> {
    this.rows.push(...rows);
  }
  async query<T>(): Promise<T[]> {
    return [{ version: '26.7.1.1' } as T];
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function moduleOver(engine: ClickHouseEngine): ClickHouseModule {
  return {
    createEngine: async () => engine,
    // The store types the optional package loosely (it never imports its types): hence the casts.
    ClickHouseSink: ClickHouseSink as unknown as ClickHouseModule['ClickHouseSink'],
    AnalyticsQueries: AnalyticsQueries as unknown as ClickHouseModule['AnalyticsQueries'],
  };
}

const events = (n: number): ArgusEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    time: Date.parse('2026-03-10T12:00:00.000Z') + i,
    cluster: '0',
    shard: 0,
    guildId: '100000000000000001',
    event: 'command',
    type: 'application_command',
    command: 'ping',
    status: 'success',
    errorType: '',
    durationMs: i,
    responseMs: null,
  }));

const errors: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`),
};

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** received + malformed = written + dropped + queued, whatever the moment. */
function balanced(store: ManagerAnalyticsStore): void {
  const s = store.stats();
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  expect(s.received + s.dropped.malformed).toBe(s.written + dropped + s.queued);
}

const open: ManagerAnalyticsStore[] = [];
function start(
  load: () => Promise<ClickHouseModule>,
  guard = new FailOpenGuard({ logger }),
): ManagerAnalyticsStore {
  const store = new ManagerAnalyticsStore(
    { clickhouseDsn: 'unused', queueCapacity: 5, batchSize: 2, flushIntervalMs: 10 },
    guard,
    logger,
    load,
  );
  open.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close(100)));
  errors.length = 0;
});

describe('ManagerAnalyticsStore', () => {
  it('holds what it takes before the package loads, up to its capacity, then writes it', async () => {
    let release!: (clickhouse: ClickHouseModule) => void;
    const store = start(() => new Promise((resolve) => (release = resolve)));
    store.take(events(7), 1);
    expect(store.stats()).toEqual({
      received: 7,
      written: 0,
      dropped: { overflow: 2, shutdown: 0, invalid: 0, malformed: 1 },
      queued: 5,
    });

    const engine = new MemoryEngine();
    release(moduleOver(engine));
    await until('the waiting events written', () => store.stats().written === 5);
    expect(engine.rows).toHaveLength(5);
    expect(store.stats().queued).toBe(0);
    balanced(store);
    expect(store.render()).toContain('argus_manager_events_dropped_total{reason="overflow"} 2\n');

    await store.close(1_000);
    expect(engine.closed).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reports a package that fails to load and tries again with a later batch', async () => {
    const engine = new MemoryEngine();
    let attempts = 0;
    const store = start(async () => {
      attempts++;
      if (attempts === 1) throw new Error('Cannot find package @argus/clickhouse');
      return moduleOver(engine);
    });
    await until('the failure reported', () => errors.length === 1);
    expect(errors[0]).toContain('manager:analytics-open');
    expect(errors[0]).toContain('Cannot find package');

    // Right after the failure a batch waits rather than trying again at once...
    store.take(events(3), 0);
    expect(attempts).toBe(1);
    balanced(store);
    // ...and a later one, past the pause, loads it; the events that waited are written.
    await until('a second attempt', () => {
      store.take([], 0);
      return attempts === 2;
    });
    await until('the waiting events written', () => store.stats().written === 3);
    expect(engine.rows).toHaveLength(3);
    balanced(store);
  });

  it('drops what still waits when it closes before the package loads, as shutdown', async () => {
    let release!: (clickhouse: ClickHouseModule) => void;
    const store = start(() => new Promise((resolve) => (release = resolve)));
    store.take(events(3), 0);
    await store.close(20);
    store.take(events(2), 0);
    expect(store.stats()).toMatchObject({
      received: 5,
      written: 0,
      dropped: { overflow: 0, shutdown: 5, invalid: 0, malformed: 0 },
      queued: 0,
    });

    // A package that loads after all builds no sink and opens no engine.
    const engine = new MemoryEngine();
    let opened = false;
    release({
      ...moduleOver(engine),
      createEngine: async () => {
        opened = true;
        return engine;
      },
    });
    await expect(store.analytics.overall({ guildId: '100000000000000001' })).rejects.toThrow(/closed/);
    expect(opened).toBe(false);
    expect(store.stats().queued).toBe(0);
    expect(errors).toEqual([]);
  });

  it('refuses bad sizes at once, naming the option', () => {
    const make = (options: object) =>
      new ManagerAnalyticsStore(
        { clickhouseDsn: 'unused', ...options },
        new FailOpenGuard(),
        logger,
        () => new Promise(() => {}),
      );
    expect(() => make({ queueCapacity: 0 })).toThrow(/analytics.queueCapacity must be a positive integer/);
    expect(() => make({ batchSize: 1.5 })).toThrow(/analytics.batchSize/);
    expect(() => make({ flushIntervalMs: -1 })).toThrow(/analytics.flushIntervalMs/);
  });
});
