/** One sample: seconds since the epoch (as PromQL counts time) and the value. */
export interface Sample {
  t: number;
  v: number;
}

/**
 * A fixed-capacity ring of the newest samples of one series, oldest first when read. Pushing is
 * O(1) and never allocates after construction, so a tick costs O(series).
 */
export class SampleRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(t: number, v: number): void {
    const at = (this.start + this.size) % this.capacity;
    this.times[at] = t;
    this.values[at] = v;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest sample's time, or -Infinity when empty. */
  lastTime(): number {
    return this.size === 0
      ? Number.NEGATIVE_INFINITY
      : (this.times[(this.start + this.size - 1) % this.capacity] ?? 0);
  }

  lastValue(): number {
    return this.values[(this.start + this.size - 1) % this.capacity] ?? Number.NaN;
  }

  /** The oldest sample's time, or +Infinity when empty. */
  firstTime(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : (this.times[this.start] ?? 0);
  }

  /** Samples with `from <= t <= to`, oldest first, appended to `out`. */
  collect(from: number, to: number, out: Sample[]): Sample[] {
    for (let i = 0; i < this.size; i++) {
      const at = (this.start + i) % this.capacity;
      const t = this.times[at] ?? 0;
      if (t < from) continue;
      if (t > to) break;
      out.push({ t, v: this.values[at] ?? 0 });
    }
    return out;
  }
}
