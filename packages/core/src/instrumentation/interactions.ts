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
  private readonly inFlight: BoundedTimerMap<string, InteractionRecord>;
  private readonly late: BoundedTimerMap<string, InteractionRecord>;

  constructor(
    cap: number,
    private readonly lifecycle: Lifecycle,
    onEvict: () => void,
    private readonly lateMemoryMs = LATE_MEMORY_MS,
  ) {
    const evict = (_id: string, record: InteractionRecord) => {
      onEvict();
      this.lifecycle.interactionFinished?.(record, null);
    };
    this.inFlight = new BoundedTimerMap(cap, evict);
    this.late = new BoundedTimerMap(cap, evict);
  }

  receive(record: InteractionRecord): void {
    this.lifecycle.interactionReceived?.(record);
    // Without an id no response can be matched to it: it is finished at once, unanswered.
    if (record.id === '') this.lifecycle.interactionFinished?.(record, null);
    else this.inFlight.start(record.id, record);
  }

  /** An interaction Argus still tracks (in flight or late), for command records. */
  get(id: string): InteractionRecord | undefined {
    return this.inFlight.peek(id) ?? this.late.peek(id);
  }

  answered(id: string, now: number): void {
    const { lifecycle } = this;
    let record = this.inFlight.take(id);
    // Late, but before a sweep moved it: it missed the deadline all the same.
    if (record && now - record.receivedAt > RESPONSE_DEADLINE_MS)
      lifecycle.interactionDeadlineMissed?.(record, record.receivedAt + RESPONSE_DEADLINE_MS);
    record ??= this.late.take(id);
    if (!record) return;
    lifecycle.interactionResponded?.(record, now);
    lifecycle.interactionFinished?.(record, now);
  }

  /** Publishes missed deadlines, and finishes interactions that stayed unanswered too long. */
  sweep(now: number): void {
    const { lifecycle } = this;
    for (const [id, record] of this.inFlight.drainWhile((r) => now - r.receivedAt > RESPONSE_DEADLINE_MS)) {
      lifecycle.interactionDeadlineMissed?.(record, record.receivedAt + RESPONSE_DEADLINE_MS);
      this.late.start(id, record);
    }
    for (const [, record] of this.late.drainWhile((r) => now - r.receivedAt > this.lateMemoryMs)) {
      lifecycle.interactionFinished?.(record, null);
    }
  }

  get size(): number {
    return this.inFlight.size + this.late.size;
  }

  clear(): void {
    this.inFlight.clear();
    this.late.clear();
  }
}
