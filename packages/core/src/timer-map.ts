/**
 * In-flight start times keyed by an id (an interaction, a message), bounded so a flood of
 * events that never complete cannot grow memory: past the cap the oldest entry is evicted and
 * `onEvict` is told (it feeds `argus_timers_evicted_total`). Every operation is O(1).
 *
 * Entries are kept in start order: starting a key again moves it to the newest place.
 */
export class BoundedTimerMap<K = string, V = number> {
  /**
   * Always holds SENTINEL first: a Map that empties shrinks its table and grows it again on the
   * next insert, an allocation per entry for a bot with one interaction in flight at a time.
   */
  private readonly map = new Map<K | typeof SENTINEL, V>([[SENTINEL, undefined as V]]);
  /**
   * The newest entry lives outside the map until a newer one arrives: a bot that finishes one
   * interaction before the next (the common case) never touches the map at all.
   */
  private hasNewest = false;
  private newestKey: K = undefined as K;
  private newestValue: V = undefined as V;

  constructor(
    readonly cap: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isInteger(cap) || cap < 1)
      throw new RangeError(`timer cap must be a positive integer, got ${cap}`);
  }

  get size(): number {
    return this.map.size - 1 + (this.hasNewest ? 1 : 0);
  }

  start(key: K, value: V): void {
    if (this.hasNewest && sameKey(this.newestKey, key)) {
      this.newestValue = value;
      return;
    }
    if (this.map.size > 1) this.map.delete(key);
    if (this.size >= this.cap) this.evictOldest();
    if (this.hasNewest) this.map.set(this.newestKey, this.newestValue);
    this.hasNewest = true;
    this.newestKey = key;
    this.newestValue = value;
  }

  /** Removes and returns the value, or undefined when unknown (never started or evicted). */
  take(key: K): V | undefined {
    if (this.hasNewest && sameKey(this.newestKey, key)) {
      const value = this.newestValue;
      this.dropNewest();
      return value;
    }
    if (this.map.size === 1) return undefined;
    const value = this.map.get(key);
    if (value !== undefined) this.map.delete(key);
    return value;
  }

  peek(key: K): V | undefined {
    if (this.hasNewest && sameKey(this.newestKey, key)) return this.newestValue;
    return this.map.size === 1 ? undefined : this.map.get(key);
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
      yield [key as K, value];
    }
    if (!this.hasNewest || !expired(this.newestValue)) return;
    const entry: [K, V] = [this.newestKey, this.newestValue];
    this.dropNewest();
    yield entry;
  }

  clear(): void {
    this.map.clear();
    this.map.set(SENTINEL, undefined as V);
    this.dropNewest();
  }

  private evictOldest(): void {
    for (const [key, value] of this.map) {
      if (key === SENTINEL) continue;
      this.map.delete(key);
      this.onEvict(key as K, value);
      return;
    }
    if (!this.hasNewest) return;
    const key = this.newestKey;
    const value = this.newestValue;
    this.dropNewest();
    this.onEvict(key, value);
  }

  private dropNewest(): void {
    this.hasNewest = false;
    // Let go of what it held (an interaction record, a span's state).
    this.newestKey = undefined as K;
    this.newestValue = undefined as V;
  }
}

/** Map's own key equality (SameValueZero). */
function sameKey(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the one value not equal to itself.
  return a === b || (a !== a && b !== b);
}

const SENTINEL: unique symbol = Symbol('BoundedTimerMap.sentinel');
