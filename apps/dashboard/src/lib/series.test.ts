import { describe, expect, it } from 'vitest';
import { FakeMetrics, RESPONSE_BUCKETS } from '../test/fixtures';
import { SnapshotBuffer, windowOf } from './buffer';
import {
  bucketIncreases,
  gaugeSeries,
  gaugeSum,
  increase,
  increaseTotal,
  labelValues,
  matches,
  quantile,
  rate,
  rateSeries,
  rateTotal,
  slidingIncreases,
  slidingQuantile,
} from './series';

const C = 'bot_things_total';

function counterBuffer(values: number[], step = 5000) {
  const m = new FakeMetrics();
  const b = new SnapshotBuffer();
  let prev = 0;
  values.forEach((v, i) => {
    if (v < prev) m.reset();
    m.inc(C, { kind: 'a' }, v - (v < prev ? 0 : prev));
    prev = v;
    b.push(m.snapshot(i * step));
  });
  return b;
}

describe('matches', () => {
  it('compares labels, ignores null constraints, and lets unlabelled samples into any cluster', () => {
    expect(matches({ a: '1', cluster: 'x' }, { a: '1' })).toBe(true);
    expect(matches({ a: '1' }, { a: '2' })).toBe(false);
    expect(matches({ a: '1' }, { a: null })).toBe(true);
    expect(matches({}, { cluster: 'eu' })).toBe(true);
    expect(matches({ cluster: 'us' }, { cluster: 'eu' })).toBe(false);
  });
});

describe('counter increases', () => {
  it('sums per-step increases', () => {
    const b = counterBuffer([0, 5, 15, 30]);
    expect(increaseTotal(b.frames, C)).toBe(30);
    expect(rateTotal(b.frames, C)).toBeCloseTo(30 / 15, 10);
  });

  it('clamps a counter reset to 0 for that step instead of going negative', () => {
    // 10 → 30 (+20), reset to 4 (step clamps to 0), 4 → 10 (+6)
    const b = counterBuffer([10, 30, 4, 10]);
    expect(increaseTotal(b.frames, C)).toBe(26);
    const series = rateSeries(b.frames, C).groups.get('')!;
    expect(series[0]).toBeNull();
    expect(series[1]).toBeCloseTo(4, 10);
    expect(series[2]).toBe(0);
    expect(series[3]).toBeCloseTo(6 / 5, 10);
  });

  it('counts a series that appears between frames from 0', () => {
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    m.inc(C, { kind: 'a' }, 1);
    b.push(m.snapshot(0));
    m.inc(C, { kind: 'b' }, 3);
    b.push(m.snapshot(5000));
    expect(Object.fromEntries(increase(b.frames, C, { by: ['kind'] }))).toEqual({ b: 3 });
  });

  it('is windowed: only steps inside the window count', () => {
    const b = counterBuffer([0, 100, 200, 200, 200, 201]);
    expect(increaseTotal(b.frames, C)).toBe(201);
    expect(increaseTotal(windowOf(b.frames, 10_000), C)).toBe(1);
  });

  it('groups by labels and filters by match', () => {
    const m = new FakeMetrics('eu');
    const b = new SnapshotBuffer();
    b.push(m.define(C).snapshot(0));
    m.inc(C, { status: 'ok', cmd: 'x' }, 4)
      .inc(C, { status: 'error', cmd: 'x' }, 1)
      .inc(C, { status: 'ok', cmd: 'y' }, 2);
    b.push(m.snapshot(10_000));
    expect(Object.fromEntries(increase(b.frames, C, { by: ['cmd'] }))).toEqual({ x: 5, y: 2 });
    expect(increaseTotal(b.frames, C, { match: { status: 'error' } })).toBe(1);
    expect(increaseTotal(b.frames, C, { match: { cluster: 'us' } })).toBe(0);
    expect(Object.fromEntries(rate(b.frames, C, { by: ['status'] }))).toEqual({ ok: 0.6, error: 0.1 });
  });

  it('draws a defined counter without series as 0, not as missing', () => {
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    b.push(m.define(C).snapshot(0));
    b.push(m.snapshot(5000));
    expect(rateSeries(b.frames, C).groups.get('')).toEqual([null, 0]);
    expect(rateSeries(b.frames, 'absent_total').groups.size).toBe(0);
  });

  it('has no rate without a span', () => {
    const b = counterBuffer([5]);
    expect(rateTotal(b.frames, C)).toBeNull();
    expect(rate(b.frames, C).size).toBe(0);
  });
});

describe('gauges', () => {
  it('sums, and follows over time by group', () => {
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    m.gauge('g', 1, { shard: '0' }).gauge('g', 2, { shard: '1' });
    b.push(m.snapshot(0));
    m.gauge('g', 3, { shard: '0' });
    b.push(m.snapshot(5000));
    expect(gaugeSum(b.latest, 'g')).toBe(5);
    expect(gaugeSum(b.latest, 'missing')).toBeNull();
    const ts = gaugeSeries(b.frames, 'g', { by: ['shard'] });
    expect(ts.x).toEqual([0, 5]);
    expect(ts.groups.get('0')).toEqual([1, 3]);
    expect(ts.groups.get('1')).toEqual([2, 2]);
    expect(labelValues(b.latest, 'cluster')).toEqual(['default']);
  });
});

describe('histograms over a window', () => {
  function latencyBuffer() {
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    const base = 'bot_response_seconds';
    b.push(m.define(base, 'histogram').snapshot(0));
    // Slow at first, then fast: the lifetime p50 would stay slow, the windowed one is fast.
    for (let i = 1; i <= 12; i++) {
      m.observe(base, RESPONSE_BUCKETS, i <= 6 ? 4 : 0.07, { command: 'x' }, 10);
      b.push(m.snapshot(i * 10_000));
    }
    return { b, base };
  }

  it('builds cumulative buckets from increases, empty buckets included', () => {
    const { b, base } = latencyBuffer();
    const buckets = bucketIncreases(windowOf(b.frames, 30_000), base).get('')!;
    expect(buckets.map((x) => x.le)).toEqual([...RESPONSE_BUCKETS, Number.POSITIVE_INFINITY]);
    expect(buckets[0]!.count).toBe(0);
    expect(buckets[1]!.count).toBe(30);
    expect(buckets[buckets.length - 1]!.count).toBe(30);
  });

  it('reflects the window, not the lifetime', () => {
    const { b, base } = latencyBuffer();
    expect(quantile(windowOf(b.frames, 30_000), base, 0.5)).toBeCloseTo(0.075, 10);
    expect(quantile(b.frames, base, 0.95)).toBeGreaterThan(3);
  });

  it('sliding quantiles agree with a window computed at each frame', () => {
    const { b, base } = latencyBuffer();
    const sliding = slidingQuantile(b.frames, base, 0.5, 30_000);
    expect(sliding[0]).toBeNull();
    for (let i = 1; i < b.frames.length; i++) {
      const direct = quantile(windowOf(b.frames.slice(0, i + 1), 30_000), base, 0.5);
      expect(sliding[i]).toBeCloseTo(direct, 10);
    }
  });
});

describe('slidingIncreases', () => {
  it('equals a windowed increase at every frame', () => {
    const b = counterBuffer([0, 3, 3, 10, 2, 9, 30, 31, 31, 40]);
    const s = slidingIncreases(b.frames, C, 12_000);
    b.frames.forEach((_, i) => {
      const w = windowOf(b.frames.slice(0, i + 1), 12_000);
      if (i === 0) expect(s.values[0]).toBeNull();
      else expect(s.values[i]!.get('') ?? 0).toBeCloseTo(increaseTotal(w, C), 10);
    });
  });
});
