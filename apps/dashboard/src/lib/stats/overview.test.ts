import { describe, expect, it } from 'vitest';
import { demoBuffer, FakeMetrics, statsInput, T0 } from '../../test/fixtures';
import { SnapshotBuffer, windowOf } from '../buffer';
import { metricNames } from '../names';
import { commandErrorRatio } from './interactions';
import { overview, overviewSparklines, RESPONSE_DEADLINE_S } from './overview';

describe('overview', () => {
  it("measures the answered share at Discord's 3 s deadline, as core defines it", () => {
    expect(RESPONSE_DEADLINE_S).toBe(3);
  });

  const o = overview(statsInput(demoBuffer()));

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
    const custom = overview(statsInput(demoBuffer('mybot'), 'mybot'));
    expect(custom.guilds).toBe(42);
    expect(custom.interactionsRate).toBeCloseTo(2, 10);
    const wrong = overview(statsInput(demoBuffer('mybot'), 'discord'));
    expect(wrong.guilds).toBeNull();
    expect(wrong.interactionsRate).toBe(0);
    // argus_* and process metrics are never namespaced.
    expect(wrong.up).toBe(1);
    expect(wrong.memory).toBe(150 * 1024 * 1024);
  });

  it('is empty, not zero, before any data', () => {
    const e = overview(statsInput(new SnapshotBuffer()));
    expect(e.guilds).toBeNull();
    expect(e.interactionsRate).toBeNull();
    expect(e.errorRatio).toBeNull();
    expect(e.p95).toBeNull();
    expect(e.answered3s).toBeNull();
  });

  it('has one sparkline point per frame', () => {
    const b = demoBuffer();
    const s = overviewSparklines(statsInput(b));
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
