/**
 * In-flight start times keyed by an id (an interaction, a message), bounded so a flood of
 * events that never complete cannot grow memory: past the cap the oldest entry is evicted and
 * `onEvict` is told (it feeds `argus_timers_evicted_total`). Every operation is O(1).
 */
export class BoundedTimerMap<K = string, V = number> {
  /**
   * Always holds SENTINEL first: a Map that empties shrinks its table and grows it again on the
   * next insert, an allocation per entry for a bot with one interaction in flight at a time.
   */
  private readonly map = new Map<K | typeof SENTINEL, V>([[SENTINEL, undefined as V]]);

  constructor(
    readonly cap: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isInteger(cap) || cap < 1)
      throw new RangeError(`timer cap must be a positive integer, got ${cap}`);
  }

  get size(): number {
    return this.map.size - 1;
  }

  start(key: K, value: V): void {
    if (this.map.size - 1 >= this.cap && !this.map.has(key)) {
      // Map iteration order is insertion order: after the sentinel, the first key is the oldest.
      for (const [oldKey, oldValue] of this.map) {
        if (oldKey === SENTINEL) continue;
        this.map.delete(oldKey);
        this.onEvict(oldKey, oldValue);
        break;
      }
    }
    this.map.set(key, value);
  }

  /** Removes and returns the value, or undefined when unknown (never started or evicted). */
  take(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) this.map.delete(key);
    return value;
  }

  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /**
   * Removes and yields entries from the oldest while `expired` holds, stopping at the first that
   * does not: with start times as values, a sweep costs only what it removes.
   */
  *drainWhile(expired: (value: V) => boolean): Generator<[K, V]> {
    for (const [key, value] of this.map) {
      if (key === SENTINEL) continue;
      if (!expired(value)) return;
      this.map.delete(key);
      yield [key, value];
    }
  }

  clear(): void {
    this.map.clear();
    this.map.set(SENTINEL, undefined as V);
  }
}

const SENTINEL: unique symbol = Symbol('BoundedTimerMap.sentinel');
