/**
 * In-flight start times keyed by an id (an interaction, a message), bounded so a flood of
 * events that never complete cannot grow memory: past the cap the oldest entry is evicted and
 * `onEvict` is told (it feeds `argus_timers_evicted_total`). Every operation is O(1).
 */
export class BoundedTimerMap<K = string> {
  private readonly map = new Map<K, number>();

  constructor(
    readonly cap: number,
    private readonly onEvict: () => void = () => {},
  ) {
    if (!Number.isInteger(cap) || cap < 1)
      throw new RangeError(`timer cap must be a positive integer, got ${cap}`);
  }

  get size(): number {
    return this.map.size;
  }

  start(key: K, at: number): void {
    if (this.map.size >= this.cap && !this.map.has(key)) {
      // Map iteration order is insertion order, so the first key is the oldest.
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
      this.onEvict();
    }
    this.map.set(key, at);
  }

  /** Removes and returns the start time, or undefined when unknown (never started or evicted). */
  take(key: K): number | undefined {
    const at = this.map.get(key);
    if (at !== undefined) this.map.delete(key);
    return at;
  }

  peek(key: K): number | undefined {
    return this.map.get(key);
  }

  /** Removes and returns every entry started before `before`, oldest first. */
  *drainOlderThan(before: number): Generator<[K, number]> {
    for (const [key, at] of this.map) {
      if (at >= before) return;
      this.map.delete(key);
      yield [key, at];
    }
  }

  clear(): void {
    this.map.clear();
  }
}
