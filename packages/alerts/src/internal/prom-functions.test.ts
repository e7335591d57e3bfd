import { describe, expect, it } from 'vitest';
import { bucketQuantile, extrapolatedRate } from './prom-functions';

const every15s = (values: number[], start = 0) => values.map((v, i) => ({ t: start + 15 * i, v }));

describe('extrapolatedRate', () => {
  it('gives the per-second rate of a steady counter over a full window', () => {
    // 21 samples covering [0, 300] of a counter growing 1/s: window (0, 300].
    const samples = every15s(Array.from({ length: 21 }, (_, i) => 1000 + 15 * i));
    expect(extrapolatedRate(samples, 0, 300, true, true)).toBeCloseTo(1, 12);
    expect(extrapolatedRate(samples, 0, 300, true, false)).toBeCloseTo(300, 9);
  });

  it('adds a counter reset back instead of seeing a fall', () => {
    const samples = every15s([10, 20, 30, 5, 15]);
    // 10→30 is +20, reset to 5 counts as +5, 5→15 +10: 35 over 60 s sampled, window 60 s from t=0.
    expect(extrapolatedRate(samples, 0, 60, true, false)).toBeCloseTo(35, 9);
  });

  it('does not extrapolate a counter below zero at the window start', () => {
    // A counter born at t=30 with value 3: it cannot have been below 0 before that.
    const samples = [
      { t: 30, v: 3 },
      { t: 45, v: 6 },
      { t: 60, v: 9 },
    ];
    // toZero = 30 * 3 / 6 = 15 s: the increase is extrapolated over 30 + 15 s, not to t=0.
    expect(extrapolatedRate(samples, 0, 60, true, false)).toBeCloseTo(9, 9);
  });

  it('has no value with fewer than two samples, and lets delta go negative', () => {
    expect(extrapolatedRate([{ t: 0, v: 1 }], 0, 60, true, true)).toBeUndefined();
    expect(extrapolatedRate(every15s([100, 90, 80, 70, 60]), 0, 60, false, false)).toBeCloseTo(-40, 9);
  });
});

describe('bucketQuantile', () => {
  it('interpolates inside the bucket that holds the rank', () => {
    const buckets = [
      { upper: 0.1, count: 50 },
      { upper: 1, count: 90 },
      { upper: Number.POSITIVE_INFINITY, count: 100 },
    ];
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(0.1, 12);
    expect(bucketQuantile(0.7, buckets)).toBeCloseTo(0.1 + 0.9 * (20 / 40), 12);
    // The rank falls in +Inf: the highest finite bound, as Prometheus answers.
    expect(bucketQuantile(0.95, buckets)).toBe(1);
  });

  it('is NaN without +Inf or without observations', () => {
    expect(
      bucketQuantile(0.5, [
        { upper: 1, count: 3 },
        { upper: 2, count: 4 },
      ]),
    ).toBeNaN();
    expect(
      bucketQuantile(0.5, [
        { upper: 1, count: 0 },
        { upper: Number.POSITIVE_INFINITY, count: 0 },
      ]),
    ).toBeNaN();
  });
});
