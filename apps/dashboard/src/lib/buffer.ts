import type { MetricsSnapshot } from './types';

/** One snapshot in the rolling buffer. Frames are immutable once pushed. */
export interface Frame {
  /** Server time of the snapshot, ms since the epoch. */
  readonly t: number;
  readonly snap: MetricsSnapshot;
  /** The frame before this one, for step increases; null for the oldest kept frame. */
  prev: Frame | null;
  /** Per-frame memo of derived indexes (see series.ts); freed with the frame. */
  readonly cache: Map<string, unknown>;
}

export const DEFAULT_MAX_AGE_MS = 10 * 60_000;
/** A clock that jumps back further than this (a restarted or re-synced host) restarts the buffer. */
const CLOCK_JUMP_MS = 60_000;

/**
 * The last `maxAgeMs` of snapshots, oldest first, time-stamped by the server. Duplicates (the
 * same tick seen by SSE and a poll) and late out-of-order frames are dropped.
 */
export class SnapshotBuffer {
  private list: Frame[] = [];

  constructor(
    readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
    readonly maxFrames = 2_000,
  ) {}

  /** Adds a snapshot; returns false when it was a duplicate or older than the newest frame. */
  push(snap: MetricsSnapshot): boolean {
    const last = this.list[this.list.length - 1];
    if (last) {
      if (snap.time === last.t) return false;
      if (snap.time < last.t) {
        if (last.t - snap.time <= CLOCK_JUMP_MS) return false;
        this.list = [];
      }
    }
    const newest = this.list[this.list.length - 1] ?? null;
    this.list.push({ t: snap.time, snap, prev: newest, cache: new Map() });
    const cutoff = snap.time - this.maxAgeMs;
    let drop = 0;
    while (
      drop < this.list.length - 1 &&
      (this.list[drop]!.t < cutoff || this.list.length - drop > this.maxFrames)
    ) {
      drop++;
    }
    if (drop > 0) {
      this.list = this.list.slice(drop);
      // Cut the chain so evicted frames can be collected.
      this.list[0]!.prev = null;
    }
    return true;
  }

  clear(): void {
    this.list = [];
  }

  get frames(): readonly Frame[] {
    return this.list;
  }

  get latest(): Frame | undefined {
    return this.list[this.list.length - 1];
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * The frames covering the last `ms` milliseconds: the newest frame, every frame newer than
   * `newest - ms`, and the one frame at or before that edge as the baseline.
   */
  window(ms: number): Frame[] {
    return windowOf(this.list, ms);
  }
}

export function windowOf(frames: readonly Frame[], ms: number): Frame[] {
  const last = frames[frames.length - 1];
  if (!last) return [];
  const edge = last.t - ms;
  let i = frames.length - 1;
  while (i > 0 && frames[i - 1]!.t >= edge) i--;
  // Include the baseline at or just before the edge so the window spans all of `ms`.
  if (i > 0 && frames[i]!.t > edge) i--;
  return frames.slice(i);
}
