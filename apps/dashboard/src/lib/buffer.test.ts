import { describe, expect, it } from 'vitest';
import { SnapshotBuffer, windowOf } from './buffer';
import type { MetricsSnapshot } from './types';

const snap = (time: number): MetricsSnapshot => ({ time, metrics: {} });

describe('SnapshotBuffer', () => {
  it('keeps frames in order and links each to its predecessor', () => {
    const b = new SnapshotBuffer();
    expect(b.push(snap(1000))).toBe(true);
    expect(b.push(snap(2000))).toBe(true);
    expect(b.frames.map((f) => f.t)).toEqual([1000, 2000]);
    expect(b.frames[1]!.prev).toBe(b.frames[0]);
    expect(b.frames[0]!.prev).toBeNull();
    expect(b.latest?.t).toBe(2000);
  });

  it('drops duplicates (SSE and a poll seeing one tick) and late frames', () => {
    const b = new SnapshotBuffer();
    b.push(snap(5000));
    expect(b.push(snap(5000))).toBe(false);
    expect(b.push(snap(4000))).toBe(false);
    expect(b.size).toBe(1);
  });

  it('restarts when the server clock jumps back by more than a minute', () => {
    const b = new SnapshotBuffer();
    b.push(snap(1_000_000));
    expect(b.push(snap(1_000_000 - 120_000))).toBe(true);
    expect(b.size).toBe(1);
    expect(b.latest?.prev).toBeNull();
  });

  it('evicts frames older than maxAge and cuts the chain to them', () => {
    const b = new SnapshotBuffer(10_000);
    for (let t = 0; t <= 30_000; t += 5_000) b.push(snap(t));
    expect(b.frames.map((f) => f.t)).toEqual([20_000, 25_000, 30_000]);
    expect(b.frames[0]!.prev).toBeNull();
  });

  it('caps the number of frames', () => {
    const b = new SnapshotBuffer(1e9, 3);
    for (let t = 1; t <= 5; t++) b.push(snap(t * 1000));
    expect(b.frames.map((f) => f.t)).toEqual([3000, 4000, 5000]);
  });
});

describe('windowOf', () => {
  const b = new SnapshotBuffer();
  for (let t = 0; t <= 60_000; t += 5_000) b.push(snap(t));
  it('spans the whole window, with the baseline frame at its edge', () => {
    expect(windowOf(b.frames, 20_000).map((f) => f.t)).toEqual([40_000, 45_000, 50_000, 55_000, 60_000]);
  });
  it('takes one frame before the edge when none sits on it', () => {
    expect(windowOf(b.frames, 12_000).map((f) => f.t)).toEqual([45_000, 50_000, 55_000, 60_000]);
  });
  it('returns everything for a window longer than the buffer, nothing for an empty buffer', () => {
    expect(windowOf(b.frames, 10 * 60_000)).toHaveLength(13);
    expect(windowOf([], 1000)).toEqual([]);
  });
});
