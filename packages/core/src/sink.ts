/**
 * The analytical path (invariant 7): per-guild events go to a sink, never to metric labels.
 * `record` is called on the bot's hot path, so it is synchronous and must never block.
 */
export interface EventSink<E> {
  record(event: E): void;
  close(deadlineMs?: number): Promise<SinkCloseReport>;
}

export interface SinkCloseReport {
  /** Events written during close. */
  flushed: number;
  /** Events still queued when the deadline passed; they are counted as dropped (`shutdown`). */
  unflushed: number;
}

/** The default sink: records nothing, costs nothing. */
export class NullSink<E = unknown> implements EventSink<E> {
  record(_event: E): void {}
  async close(): Promise<SinkCloseReport> {
    return { flushed: 0, unflushed: 0 };
  }
}

/**
 * Why events were dropped: `overflow` (the queue was full), `shutdown` (unwritten at close),
 * `invalid` (the destination refused them for what they hold, or the writer could not encode them).
 */
export type DropReason = 'overflow' | 'shutdown' | 'invalid';

/**
 * The most events one batch may lose to refusals before the write counts as failed: splitting
 * costs about two writes per refused event per halving, so this bounds the writes a batch makes.
 */
export const MAX_REFUSED_PER_WRITE = 32;

/** What a write may report back: how many events of its batch it set aside as unstorable. */
export interface WriteOutcome {
  /** Events of the batch left unwritten because they cannot be stored; counted as `invalid`. */
  invalid?: number;
  /** Why (the first of them): passed to `onError`, so the drop has a log line. */
  reason?: unknown;
}

export interface BatchingSinkOptions<E> {
  /**
   * Writes one batch; a rejection keeps the batch queued for a retry, unless `isRefusal` says
   * the destination refused its content. It may resolve with a {@link WriteOutcome} telling how
   * many events it set aside.
   */
  write: (batch: E[]) => Promise<unknown>;
  /**
   * Tells a batch the destination refused for its content (a row it cannot store) from one that
   * failed in transit (connection refused, timeout, server down). A refused batch is split in
   * halves until the events at fault are alone; those are dropped as `invalid` and the rest are
   * written, with no backoff and no effect on health. A store that refuses more than
   * {@link MAX_REFUSED_PER_WRITE} events of one batch is not looking at a few bad events (a table
   * that does not match, say): the write then counts as failed, what was settled stays settled,
   * and the rest is retried with backoff like any failure. Default: no error is a refusal.
   */
  isRefusal?: (error: unknown) => boolean;
  /** Events held in memory at most; past it new events are dropped and counted. Default 10,000. */
  capacity?: number;
  /** Flush as soon as this many events are queued. Default 500. */
  batchSize?: number;
  /**
   * When more than `batchSize` events wait (a burst, or a destination that was slow or down), one
   * write takes up to this many, so a slow destination still keeps up. Default `batchSize`.
   */
  maxBatchSize?: number;
  /** Flush whatever is queued at least this often. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** First retry delay after a failed write; doubles per failure up to `maxBackoffMs`. Default 500 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failures that open the circuit. Default 5. */
  circuitThreshold?: number;
  /** How long an open circuit waits before one trial write. Default 30,000 ms. */
  circuitCooldownMs?: number;
  onDrop?: (reason: DropReason, count: number) => void;
  /** Told how many events each successful write stored. */
  onWritten?: (count: number) => void;
  /** Told when the sink becomes healthy or unhealthy (circuit closed / open). */
  onHealth?: (up: boolean) => void;
  onError?: (error: unknown) => void;
}

export interface BatchingSinkStats {
  produced: number;
  written: number;
  dropped: number;
  queued: number;
  circuitOpen: boolean;
  consecutiveFailures: number;
}

/**
 * A bounded in-memory queue flushed in batches by size or interval. Enqueue is O(1) and never
 * waits; overflow drops and counts. Failed writes are retried with backoff while the events fit,
 * and a circuit breaker stops hammering a dead destination. At any moment:
 * produced = written + dropped + queued.
 */
export class BatchingSink<E> implements EventSink<E> {
  private readonly write: (batch: E[]) => Promise<unknown>;
  private readonly isRefusal: (error: unknown) => boolean;
  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly maxBatchSize: number;
  private readonly flushIntervalMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly circuitThreshold: number;
  private readonly circuitCooldownMs: number;
  private readonly onDrop: (reason: DropReason, count: number) => void;
  private readonly onWritten: (count: number) => void;
  private readonly onHealth: (up: boolean) => void;
  private readonly onError: (error: unknown) => void;

  // A ring buffer: O(1) push and batch removal without shifting arrays.
  private readonly ring: (E | undefined)[];
  private head = 0;
  private length = 0;

  private produced = 0;
  private written = 0;
  private dropped = 0;
  private failures = 0;
  private circuitOpenUntil = 0;
  private nextAttemptAt = 0;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: BatchingSinkOptions<E>) {
    this.write = options.write;
    this.isRefusal = options.isRefusal ?? (() => false);
    this.capacity = positiveInt('capacity', options.capacity ?? 10_000);
    this.batchSize = positiveInt('batchSize', options.batchSize ?? 500);
    this.maxBatchSize = positiveInt('maxBatchSize', options.maxBatchSize ?? this.batchSize);
    if (this.maxBatchSize < this.batchSize)
      throw new RangeError(
        `BatchingSink maxBatchSize (${this.maxBatchSize}) must be at least batchSize (${this.batchSize})`,
      );
    this.flushIntervalMs = positiveInt('flushIntervalMs', options.flushIntervalMs ?? 1_000);
    this.backoffMs = positiveInt('backoffMs', options.backoffMs ?? 500);
    this.maxBackoffMs = positiveInt('maxBackoffMs', options.maxBackoffMs ?? 30_000);
    this.circuitThreshold = positiveInt('circuitThreshold', options.circuitThreshold ?? 5);
    this.circuitCooldownMs = positiveInt('circuitCooldownMs', options.circuitCooldownMs ?? 30_000);
    this.onDrop = options.onDrop ?? (() => {});
    this.onWritten = options.onWritten ?? (() => {});
    this.onHealth = options.onHealth ?? (() => {});
    this.onError = options.onError ?? (() => {});
    this.ring = new Array(this.capacity);
    this.timer = setInterval(() => this.tick(), this.flushIntervalMs);
    this.timer.unref();
  }

  record(event: E): void {
    this.produced++;
    if (this.closed || this.length >= this.capacity) {
      this.dropped++;
      this.safeDrop(this.closed ? 'shutdown' : 'overflow', 1);
      return;
    }
    this.ring[(this.head + this.length) % this.capacity] = event;
    this.length++;
    if (this.length >= this.batchSize && !this.inFlight) queueMicrotask(() => this.tick());
  }

  stats(): BatchingSinkStats {
    return {
      produced: this.produced,
      written: this.written,
      dropped: this.dropped,
      queued: this.length,
      circuitOpen: this.circuitOpenUntil > Date.now(),
      consecutiveFailures: this.failures,
    };
  }

  /** Writes one batch now if allowed (circuit, backoff); resolves when that write settles. */
  flush(): Promise<void> {
    this.tick(true);
    return this.inFlight ?? Promise.resolve();
  }

  async close(deadlineMs = 5_000): Promise<SinkCloseReport> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const before = this.written;
    const deadline = Date.now() + deadlineMs;
    this.closed = true;
    while (this.length > 0 && Date.now() < deadline) {
      if (this.inFlight) {
        await Promise.race([this.inFlight, sleep(deadline - Date.now())]);
        continue;
      }
      const wait = Math.max(0, this.nextAttemptAt - Date.now());
      if (wait > 0) {
        if (Date.now() + wait >= deadline) break;
        await sleep(wait);
      }
      this.start(true);
      if (this.inFlight) await Promise.race([this.inFlight, sleep(deadline - Date.now())]);
    }
    const unflushed = this.length;
    if (unflushed > 0) {
      this.dropped += unflushed;
      this.head = (this.head + unflushed) % this.capacity;
      this.length = 0;
      this.safeDrop('shutdown', unflushed);
    }
    return { flushed: this.written - before, unflushed };
  }

  private tick(force = false): void {
    if (this.inFlight || this.length === 0) return;
    if (!force && this.length < this.batchSize && !this.dueByInterval()) return;
    this.start(force);
  }

  private lastFlushAt = Date.now();
  private dueByInterval(): boolean {
    return Date.now() - this.lastFlushAt >= this.flushIntervalMs;
  }

  private start(force: boolean): void {
    const now = Date.now();
    if (now < this.nextAttemptAt && !(force && this.closed)) return;
    if (this.circuitOpenUntil > now && !this.closed) return;
    const count = Math.min(this.maxBatchSize, this.length);
    const batch: E[] = new Array(count);
    for (let i = 0; i < count; i++) batch[i] = this.ring[(this.head + i) % this.capacity]!;
    this.lastFlushAt = now;
    this.inFlight = this.deliver(batch).then((delivery) => {
      this.settle(delivery);
      this.inFlight = undefined;
      if (!delivery.failed && this.length >= this.batchSize) queueMicrotask(() => this.tick());
    });
  }

  /**
   * Writes `batch`, splitting a refused part until the events at fault are alone. Stops at the
   * first failure that is not a refusal; what was settled before it is a prefix of the batch.
   */
  private async deliver(batch: E[]): Promise<Delivery> {
    const delivery: Delivery = {
      settled: 0,
      written: 0,
      invalid: 0,
      refused: 0,
      failed: false,
      error: undefined,
    };
    const part = async (from: number, to: number): Promise<boolean> => {
      const events = from === 0 && to === batch.length ? batch : batch.slice(from, to);
      try {
        const outcome = await this.write(events);
        const invalid = setAside(outcome, events.length);
        delivery.written += events.length - invalid;
        delivery.invalid += invalid;
        delivery.settled = to;
        if (invalid > 0)
          this.safeError((outcome as WriteOutcome).reason ?? new Error(`${invalid} events set aside`));
        return true;
      } catch (error) {
        if (!this.refused(error)) {
          delivery.failed = true;
          delivery.error = error;
          return false;
        }
        if (events.length === 1) {
          if (delivery.refused >= MAX_REFUSED_PER_WRITE) {
            delivery.failed = true;
            delivery.error = error;
            return false;
          }
          delivery.refused++;
          delivery.invalid++;
          delivery.settled = to;
          this.safeError(error);
          return true;
        }
        const middle = from + Math.ceil((to - from) / 2);
        return (await part(from, middle)) && part(middle, to);
      }
    };
    await part(0, batch.length);
    return delivery;
  }

  private refused(error: unknown): boolean {
    try {
      return this.isRefusal(error) === true;
    } catch {
      return false;
    }
  }

  private settle(delivery: Delivery): void {
    // Only now do settled events leave the queue: what a failed write left keeps its place.
    const settled = delivery.settled;
    for (let i = 0; i < settled; i++) this.ring[(this.head + i) % this.capacity] = undefined;
    this.head = (this.head + settled) % this.capacity;
    this.length -= settled;
    this.written += delivery.written;
    this.dropped += delivery.invalid;
    if (delivery.written > 0)
      try {
        this.onWritten(delivery.written);
      } catch {}
    if (delivery.invalid > 0) this.safeDrop('invalid', delivery.invalid);
    if (!delivery.failed) {
      const wasFailing = this.failures >= this.circuitThreshold;
      this.failures = 0;
      this.nextAttemptAt = 0;
      this.circuitOpenUntil = 0;
      if (wasFailing) this.safeHealth(true);
      return;
    }
    this.failures++;
    const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (this.failures - 1));
    this.nextAttemptAt = Date.now() + delay;
    if (this.failures >= this.circuitThreshold) this.circuitOpenUntil = Date.now() + this.circuitCooldownMs;
    this.safeError(delivery.error);
    // Told last, so a health listener that reads stats() sees the circuit it is told about.
    if (this.failures === this.circuitThreshold) this.safeHealth(false);
  }

  private safeError(error: unknown): void {
    try {
      this.onError(error);
    } catch {}
  }

  private safeDrop(reason: DropReason, count: number): void {
    try {
      this.onDrop(reason, count);
    } catch {}
  }

  private safeHealth(up: boolean): void {
    try {
      this.onHealth(up);
    } catch {}
  }
}

interface Delivery {
  /** How many events from the start of the batch are done with (written or set aside). */
  settled: number;
  written: number;
  /** Set aside by the writer or refused by the store. */
  invalid: number;
  /** Refused by the store, one by one. */
  refused: number;
  /** A failure that is not a refusal (or one refusal too many) stopped the delivery. */
  failed: boolean;
  error: unknown;
}

/** The writer's count of events it set aside, trusted only when it makes sense. */
function setAside(outcome: unknown, size: number): number {
  const invalid = (outcome as WriteOutcome | undefined)?.invalid;
  return typeof invalid === 'number' && Number.isInteger(invalid) && invalid > 0
    ? Math.min(invalid, size)
    : 0;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`BatchingSink ${name} must be a positive integer, got ${value}`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
