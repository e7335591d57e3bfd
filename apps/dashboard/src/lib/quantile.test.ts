import { describe, expect, it } from 'vitest';
import { fractionAtOrBelow, histogramQuantile, parseLe } from './quantile';

const INF = Number.POSITIVE_INFINITY;

describe('parseLe', () => {
  it('reads numbers and the +Inf spellings', () => {
    expect(parseLe('0.25')).toBe(0.25);
    expect(parseLe('3')).toBe(3);
    expect(parseLe('1e-3')).toBe(0.001);
    expect(parseLe('+Inf')).toBe(INF);
    expect(parseLe('Inf')).toBe(INF);
    expect(parseLe('')).toBeNaN();
    expect(parseLe(undefined)).toBeNaN();
    expect(parseLe('abc')).toBeNaN();
  });
});

describe('histogramQuantile (Prometheus semantics)', () => {
  it('interpolates linearly inside the bucket the rank falls in', () => {
    // rank 2.5 of 5, all in (0.1, 0.25]: 0.1 + 0.15 * 2.5/5
    const b = [
      { le: 0.1, count: 0 },
      { le: 0.25, count: 5 },
      { le: INF, count: 5 },
    ];
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.175, 10);
  });

  it('starts the first bucket at 0', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 10 },
        { le: INF, count: 10 },
      ]),
    ).toBeCloseTo(0.5, 10);
  });

  it('answers the largest finite bound when the rank lands in +Inf', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 1 },
        { le: 2, count: 2 },
        { le: INF, count: 10 },
      ]),
    ).toBe(2);
  });

  it('sorts unsorted input and takes the +Inf bucket as the total', () => {
    const b = [
      { le: INF, count: 100 },
      { le: 0.5, count: 50 },
      { le: 1, count: 100 },
    ];
    // rank 75 in (0.5, 1]: 0.5 + 0.5 * 25/50
    expect(histogramQuantile(0.75, b)).toBeCloseTo(0.75, 10);
  });

  it('makes counts monotonic (a reset inside the window can break them)', () => {
    const b = [
      { le: 1, count: 5 },
      { le: 2, count: 3 },
      { le: INF, count: 6 },
    ];
    // Monotonic: 5, 5, 6. rank 3 in the first bucket: 3/5.
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.6, 10);
  });

  it('q = 1 answers the upper bound of the highest non-empty bucket', () => {
    expect(
      histogramQuantile(1, [
        { le: 1, count: 0 },
        { le: 2, count: 4 },
        { le: INF, count: 4 },
      ]),
    ).toBe(2);
  });

  it('q = 0 answers the lower edge of the first bucket', () => {
    expect(
      histogramQuantile(0, [
        { le: 1, count: 4 },
        { le: INF, count: 4 },
      ]),
    ).toBe(0);
  });

  it('is NaN without observations, without buckets, or with only +Inf', () => {
    expect(histogramQuantile(0.5, [])).toBeNaN();
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 0 },
        { le: INF, count: 0 },
      ]),
    ).toBeNaN();
    expect(histogramQuantile(0.5, [{ le: INF, count: 7 }])).toBeNaN();
    expect(
      histogramQuantile(Number.NaN, [
        { le: 1, count: 1 },
        { le: INF, count: 1 },
      ]),
    ).toBeNaN();
  });

  it('answers ±Inf outside [0, 1], like Prometheus', () => {
    const b = [
      { le: 1, count: 1 },
      { le: INF, count: 1 },
    ];
    expect(histogramQuantile(-0.1, b)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, b)).toBe(INF);
  });

  it('a first bucket with a non-positive bound answers that bound', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 0, count: 3 },
        { le: INF, count: 3 },
      ]),
    ).toBe(0);
  });

  it('works without a +Inf bucket (the largest bucket is the total)', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 2 },
        { le: 2, count: 4 },
      ]),
    ).toBeCloseTo(1, 10);
  });
});

describe('fractionAtOrBelow', () => {
  const b = [
    { le: 1, count: 2 },
    { le: 3, count: 8 },
    { le: INF, count: 10 },
  ];
  it('is exact at a bucket bound', () => {
    expect(fractionAtOrBelow(3, b)).toBeCloseTo(0.8, 10);
    expect(fractionAtOrBelow(1, b)).toBeCloseTo(0.2, 10);
  });
  it('interpolates between bounds and stops below +Inf', () => {
    expect(fractionAtOrBelow(2, b)).toBeCloseTo(0.5, 10);
    expect(fractionAtOrBelow(100, b)).toBeCloseTo(0.8, 10);
  });
  it('is NaN with nothing observed', () => {
    expect(
      fractionAtOrBelow(3, [
        { le: 3, count: 0 },
        { le: INF, count: 0 },
      ]),
    ).toBeNaN();
  });
});
