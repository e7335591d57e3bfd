import { type InteractionRecord, type Lifecycle, RESPONSE_DEADLINE_MS } from '../lifecycle';
import { BoundedTimerMap } from '../timer-map';

/** How long an unanswered interaction is remembered, so a late answer is still measured. */
export const LATE_MEMORY_MS = 60_000;

/**
 * Follows interactions from receipt to their initial response and publishes each step. Entries
 * past the deadline move, once, to a second bounded map (deadline missed); a late answer is still
 * published. Both maps are bounded by `cap` and swept from the oldest entry, so a sweep costs only
 * what it expires; an entry evicted at the cap is finished as unanswered, so every received
 * interaction is finished exactly once.
 */
export class InteractionTracker {
  private readonly inFlight: BoundedTimerMap<TrackingKey, InteractionRecord>;
  private readonly late: BoundedTimerMap<TrackingKey, InteractionRecord>;
  /**
   * The newest interaction while it is tracked: its handler usually runs right after receipt,
   * and finding its record there needs no key or lookup.
   */
  private newest: InteractionRecord | undefined;
  private newestKey: TrackingKey = '';

  constructor(
    cap: number,
    private readonly lifecycle: Lifecycle,
    onEvict: () => void,
    private readonly lateMemoryMs = LATE_MEMORY_MS,
  ) {
    const evict = (_key: TrackingKey, record: InteractionRecord) => {
      this.forget(record);
      onEvict();
      this.lifecycle.interactionFinished?.(record, null);
    };
    this.inFlight = new BoundedTimerMap(cap, evict);
    this.late = new BoundedTimerMap(cap, evict);
  }

  receive(record: InteractionRecord): void {
    this.lifecycle.interactionReceived?.(record);
    // Without an id no response can be matched to it: it is finished at once, unanswered.
    if (record.id === '') {
      this.lifecycle.interactionFinished?.(record, null);
      return;
    }
    const key = trackingKey(record.id);
    // The same key again (the same id re-emitted): the one it replaces can never be matched now.
    const replaced = this.inFlight.take(key) ?? this.late.take(key);
    if (replaced !== undefined) {
      this.forget(replaced);
      this.lifecycle.interactionFinished?.(replaced, null);
    }
    this.inFlight.start(key, record);
    this.newest = record;
    this.newestKey = key;
  }

  /** An interaction Argus still tracks (in flight or late), for command records. */
  get(id: string): InteractionRecord | undefined {
    const newest = this.newest;
    if (newest !== undefined && newest.id === id) return newest;
    const key = trackingKey(id);
    const record = this.inFlight.peek(key) ?? this.late.peek(key);
    return record?.id === id ? record : undefined;
  }

  answered(id: string, now: number): void {
    const { lifecycle } = this;
    // Usually the answer to the newest interaction: its key is known, no digits to read, and
    // the id (a slice of the request's URL, slow to compare) is compared once.
    const newest = this.newest;
    const matched = newest !== undefined && newest.id === id ? newest : undefined;
    const key = matched !== undefined ? this.newestKey : trackingKey(id);
    let record = this.inFlight.peek(key);
    if (record !== undefined) {
      if (record !== matched && record.id !== id) return;
      this.inFlight.take(key);
      // Late, but before a sweep moved it: it missed the deadline all the same.
      if (now - record.receivedAt > RESPONSE_DEADLINE_MS)
        lifecycle.interactionDeadlineMissed?.(record, record.receivedAt + RESPONSE_DEADLINE_MS);
    } else {
      record = this.late.peek(key);
      if (record === undefined || (record !== matched && record.id !== id)) return;
      this.late.take(key);
    }
    this.forget(record);
    lifecycle.interactionResponded?.(record, now);
    lifecycle.interactionFinished?.(record, now);
  }

  /** Publishes missed deadlines, and finishes interactions that stayed unanswered too long. */
  sweep(now: number): void {
    const { lifecycle } = this;
    for (const [key, record] of this.inFlight.drainWhile((r) => now - r.receivedAt > RESPONSE_DEADLINE_MS)) {
      lifecycle.interactionDeadlineMissed?.(record, record.receivedAt + RESPONSE_DEADLINE_MS);
      this.late.start(key, record);
    }
    for (const [, record] of this.late.drainWhile((r) => now - r.receivedAt > this.lateMemoryMs)) {
      this.forget(record);
      lifecycle.interactionFinished?.(record, null);
    }
  }

  get size(): number {
    return this.inFlight.size + this.late.size;
  }

  clear(): void {
    this.inFlight.clear();
    this.late.clear();
    this.newest = undefined;
  }

  /** A record leaves tracking (answered, given up on, evicted, replaced). */
  private forget(record: InteractionRecord): void {
    if (this.newest === record) this.newest = undefined;
  }
}

type TrackingKey = number | string;

/**
 * What an interaction is tracked under: a snowflake's last 15 digits as a number, anything else
 * the id itself. Each callback path yields a fresh id string, and hashing it for a lookup costs
 * several times a number's; two snowflakes less than 10^15 apart (days of Discord time, against
 * the minute an interaction is tracked) never share a key, and every lookup checks the full id.
 */
export function trackingKey(id: string): TrackingKey {
  const length = id.length;
  let key = 0;
  for (let i = length > 15 ? length - 15 : 0; i < length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return id;
    key = key * 10 + digit;
  }
  return length === 0 ? id : key;
}
