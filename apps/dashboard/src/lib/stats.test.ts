import { describe, expect, it } from 'vitest';
import {
  DURATION_BUCKETS,
  demoBuffer,
  FakeMetrics,
  RESPONSE_BUCKETS,
  REST_BUCKETS,
  T0,
} from '../test/fixtures';
import { SnapshotBuffer, windowOf } from './buffer';
import { metricNames } from './names';
import {
  clustersOf,
  commandErrorRatio,
  commandRows,
  health,
  interactionsByType,
  invalidRequests,
  overview,
  overviewSparklines,
  rateLimitRows,
  routeRows,
  type StatsInput,
  shardRows,
  sortCommandRows,
  topGroups,
} from './stats';

function input(buffer: SnapshotBuffer, namespace = 'discord', windowMs = 5 * 60_000, match = {}): StatsInput {
  return {
    frames: buffer.frames,
    window: windowOf(buffer.frames, windowMs),
    names: metricNames(namespace),
    match,
  };
}

describe('overview', () => {
  const o = overview(input(demoBuffer()));

  it('reads gauges from the newest frame', () => {
    expect(o.guilds).toBe(42);
    expect(o.shardsUp).toBe(2);
    expect(o.shardsConfigured).toBe(2);
    expect(o.latencyMean).toBeCloseTo((0.045 + 0.06) / 2, 10);
    expect(o.latencyByShard.map((s) => s.shard)).toEqual(['0', '1']);
    expect(o.eventLoopLag).toBe(0.012);
    expect(o.memory).toBe(150 * 1024 * 1024);
    expect(o.heapUsed).toBe(60 * 1024 * 1024);
    expect(o.up).toBe(1);
  });

  it('computes rates, ratios and response quantiles over the window', () => {
    expect(o.interactionsRate).toBeCloseTo(2, 10); // 10 per 5 s
    expect(o.errorRatio).toBeCloseTo(0.1, 10); // 1 of 10 calls
    // 8 answered in 0.2 s and 2 late (4 s, also counted unanswered) per step.
    expect(o.answered3s).toBeCloseTo(0.8, 10);
    // 50 observations: 40 in (0.1, 0.25], 10 in (3, 5].
    expect(o.p50).toBeCloseTo(0.1 + 0.15 * (25 / 40), 10);
    expect(o.p95).toBeCloseTo(3 + 2 * (7.5 / 10), 10);
    expect(o.p99).toBeCloseTo(3 + 2 * (9.5 / 10), 10);
  });

  it('uses the configured namespace: the same data under another prefix is not read', () => {
    const custom = overview(input(demoBuffer('mybot'), 'mybot'));
    expect(custom.guilds).toBe(42);
    expect(custom.interactionsRate).toBeCloseTo(2, 10);
    const wrong = overview(input(demoBuffer('mybot'), 'discord'));
    expect(wrong.guilds).toBeNull();
    expect(wrong.interactionsRate).toBe(0);
    // argus_* and process metrics are never namespaced.
    expect(wrong.up).toBe(1);
    expect(wrong.memory).toBe(150 * 1024 * 1024);
  });

  it('is empty, not zero, before any data', () => {
    const e = overview(input(new SnapshotBuffer()));
    expect(e.guilds).toBeNull();
    expect(e.interactionsRate).toBeNull();
    expect(e.errorRatio).toBeNull();
    expect(e.p95).toBeNull();
    expect(e.answered3s).toBeNull();
  });

  it('has one sparkline point per frame', () => {
    const b = demoBuffer();
    const s = overviewSparklines(input(b));
    for (const values of Object.values(s)) expect(values).toHaveLength(b.size);
    expect(s.guilds.every((v) => v === 42)).toBe(true);
    expect(s.interactionsRate[0]).toBeNull();
    expect(s.interactionsRate[1]).toBeCloseTo(2, 10);
    expect(s.errorRatio[3]).toBeCloseTo(0.1, 10);
    expect(s.answered3s[3]).toBeCloseTo(0.8, 10);
    expect(s.p95[3]).toBeCloseTo(4.5, 10);
  });
});

describe('windowed error ratio (never lifetime-cumulative)', () => {
  it('drops back to 0 once errors stop', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    for (let i = 0; i <= 60; i++) {
      if (i > 0) m.inc(n.appCommands, { command: 'x', status: i <= 10 ? 'error' : 'success' }, 1);
      b.push(m.snapshot(T0 + i * 10_000));
    }
    expect(commandErrorRatio(b.frames, n, {})).toBeCloseTo(10 / 60, 10);
    expect(commandErrorRatio(windowOf(b.frames, 60_000), n, {})).toBe(0);
  });

  it('counts prefix commands with slash commands', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    b.push(m.define(n.appCommands).define(n.commands).snapshot(0));
    m.inc(n.appCommands, { command: 'a', status: 'success' }, 3).inc(
      n.commands,
      { command: 'b', status: 'error' },
      1,
    );
    b.push(m.snapshot(5000));
    expect(commandErrorRatio(b.frames, n, {})).toBeCloseTo(0.25, 10);
  });
});

describe('commands', () => {
  const rows = commandRows(input(demoBuffer()));
  const ping = rows.find((r) => r.command === 'ping')!;
  const slow = rows.find((r) => r.command === 'slow')!;

  it('has one row per command with windowed numbers', () => {
    expect(rows.map((r) => r.command).sort()).toEqual(['ping', 'slow']);
    expect(ping.kind).toBe('slash');
    expect(ping.rate).toBeCloseTo(1.6, 10);
    expect(ping.errorRatio).toBe(0);
    expect(ping.unanswered).toBe(0);
    expect(ping.p50).toBeCloseTo(0.075, 10);
    expect(slow.errorRatio).toBeCloseTo(0.5, 10);
    expect(slow.unanswered).toBe(10);
    expect(slow.responseP95).toBeGreaterThan(3);
  });

  it('falls back to answered interactions for commands without the wrapper', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    b.push(m.define(n.interactionResponse, 'histogram').snapshot(0));
    m.observe(
      n.interactionResponse,
      RESPONSE_BUCKETS,
      0.3,
      { type: 'application_command', command: 'hello' },
      20,
    );
    b.push(m.snapshot(10_000));
    const [row] = commandRows(input(b));
    expect(row!.command).toBe('hello');
    expect(row!.rate).toBeCloseTo(2, 10);
    expect(row!.errorRatio).toBeNull();
    expect(row!.p95).toBeNull();
    expect(row!.responseP95).toBeGreaterThan(0.25);
  });

  it('lists prefix commands separately', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    b.push(m.define(n.commands).snapshot(0));
    m.inc(n.commands, { command: 'help', status: 'success' }, 5).observe(
      n.commandDuration,
      DURATION_BUCKETS,
      0.2,
      { command: 'help' },
      5,
    );
    b.push(m.snapshot(5000));
    const [row] = commandRows(input(b));
    expect(row).toMatchObject({ command: 'help', kind: 'prefix', calls: 5, errorRatio: 0 });
  });

  it('sorts by any column, missing values last', () => {
    const withNull = [...rows, { ...ping, command: 'zzz', p95: null, rate: null }];
    expect(sortCommandRows(withNull, 'rate', true).map((r) => r.command)).toEqual(['ping', 'slow', 'zzz']);
    expect(sortCommandRows(withNull, 'rate', false).map((r) => r.command)).toEqual(['slow', 'ping', 'zzz']);
    expect(sortCommandRows(withNull, 'command', false).map((r) => r.command)).toEqual([
      'ping',
      'slow',
      'zzz',
    ]);
    expect(sortCommandRows(withNull, 'unanswered', true)[0]!.command).toBe('slow');
    expect(sortCommandRows(withNull, 'p95', true).at(-1)!.command).toBe('zzz');
  });

  it('gives interactions by type', () => {
    expect(interactionsByType(input(demoBuffer()))).toEqual([{ type: 'application_command', rate: 2 }]);
  });
});

describe('gateway', () => {
  it('lists shards with status, latency and windowed disconnects', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    m.gauge(n.shardUp, 1, { shard: '0' })
      .gauge(n.shardUp, 0, { shard: '1' })
      .gauge(n.shardLatency, 0.05, { shard: '0' });
    b.push(m.define(n.shardDisconnects).snapshot(0));
    m.inc(n.shardDisconnects, { shard: '1' }, 2).inc(n.shardReconnects, { shard: '1' }, 1);
    b.push(m.snapshot(5000));
    expect(shardRows(input(b))).toEqual([
      { shard: '0', up: true, latency: 0.05, disconnects: 0, reconnects: 0 },
      { shard: '1', up: false, latency: null, disconnects: 2, reconnects: 1 },
    ]);
  });

  it('folds all but the busiest groups into other', () => {
    const ts = {
      x: [0, 1],
      groups: new Map<string, (number | null)[]>([
        ['a', [1, 1]],
        ['b', [5, 5]],
        ['c', [null, 3]],
      ]),
    };
    const top = topGroups(ts, 2);
    expect([...top.groups.keys()]).toEqual(['b', 'c', 'other']);
    expect(top.groups.get('other')).toEqual([1, 1]);
  });
});

describe('REST', () => {
  it('counts invalid requests over the last 10 minutes against the 10,000 threshold', () => {
    const inv = invalidRequests(input(demoBuffer()));
    expect(inv.count).toBe(15);
    expect(inv.byStatus).toEqual([{ status: '429', count: 15 }]);
    expect(inv.coveredSeconds).toBe(25);
    expect(inv.limit).toBe(10_000);
    expect(inv.share).toBeCloseTo(0.0015, 10);
  });

  it('uses 10 minutes whatever the selected window', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    for (let i = 0; i <= 60; i++) {
      if (i > 0) m.inc(n.restInvalidRequests, { status: '401' }, 100);
      b.push(m.snapshot(i * 15_000)); // 15 minutes in all
    }
    const inv = invalidRequests(input(b, 'discord', 60_000));
    expect(inv.coveredSeconds).toBe(600);
    expect(inv.count).toBe(4000);
  });

  it('lists rate limits by route and scope, and latency by route', () => {
    const limits = rateLimitRows(input(demoBuffer()));
    expect(limits).toEqual([
      { route: '/channels/:id/messages', method: 'POST', scope: 'user', count: 5, total: 5 },
    ]);
    const routes = routeRows(input(demoBuffer()));
    expect(routes).toHaveLength(1);
    expect(routes[0]!.route).toBe('/interactions/:id/:token/callback');
    expect(routes[0]!.rate).toBeCloseTo(2, 10);
    expect(routes[0]!.p95).toBeGreaterThan(0.1);
    expect(routes[0]!.p95).toBeLessThanOrEqual(0.25);
    expect(REST_BUCKETS).toContain(0.25);
  });
});

describe('health', () => {
  it('reports subsystems, errors by hook, folded labels, evicted timers and dropped events', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    m.gauge(n.up, 1)
      .gauge(n.subsystemUp, 1, { subsystem: 'server' })
      .gauge(n.subsystemUp, 0, { subsystem: 'otlp' });
    m.inc(n.instrumentationErrors, { hook: 'raw' }, 3).define(n.timersEvicted).define(n.labelValuesFolded);
    b.push(m.snapshot(0));
    m.inc(n.instrumentationErrors, { hook: 'raw' }, 2)
      .inc(n.labelValuesFolded, { metric: 'x' }, 4)
      .inc(n.timersEvicted, {}, 7);
    b.push(m.snapshot(5000));
    const h = health(input(b));
    expect(h.up).toBe(1);
    expect(h.subsystems).toEqual([
      { subsystem: 'otlp', up: false },
      { subsystem: 'server', up: true },
    ]);
    expect(h.instrumentationErrors).toEqual([{ key: 'raw', total: 5, window: 2 }]);
    expect(h.folded).toEqual([{ key: 'x', total: 4, window: 4 }]);
    expect(h.evicted).toEqual({ key: '', total: 7, window: 7 });
    expect(h.dropped).toBeNull();

    m.inc(n.eventsDropped, { reason: 'overflow' }, 9);
    b.push(m.snapshot(10_000));
    expect(health(input(b)).dropped).toEqual([{ key: 'overflow', total: 9, window: 9 }]);
  });
});

describe('clusters', () => {
  it('lists the cluster values and filters by one', () => {
    const n = metricNames('discord');
    const eu = new FakeMetrics('eu').gauge(n.guilds, 10).snapshot(0);
    const us = new FakeMetrics('us').gauge(n.guilds, 5).snapshot(0);
    const b = new SnapshotBuffer();
    b.push({
      time: 0,
      metrics: {
        [n.guilds]: {
          ...eu.metrics[n.guilds]!,
          samples: [...eu.metrics[n.guilds]!.samples, ...us.metrics[n.guilds]!.samples],
        },
      },
    });
    expect(clustersOf(b.latest, n)).toEqual(['eu', 'us']);
    expect(overview(input(b)).guilds).toBe(15);
    expect(overview(input(b, 'discord', 60_000, { cluster: 'us' })).guilds).toBe(5);
  });
});
