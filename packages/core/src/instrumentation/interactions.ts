import type { Counter, CounterHandle, Histogram } from '../registry';
import { BoundedTimerMap } from '../timer-map';

/** Discord's deadline for the initial response to an interaction. */
export const RESPONSE_DEADLINE_MS = 3_000;
/** How long an unanswered interaction is remembered, so a late answer is still measured. */
const LATE_MEMORY_MS = 60_000;

/** discord.js InteractionType values 1..5, as label values (argus-dpy's names where they exist). */
export const INTERACTION_TYPES = [
  'unknown',
  'ping',
  'application_command',
  'component',
  'autocomplete',
  'modal_submit',
];

export interface InFlight {
  /** performance.now() at receipt. */
  at: number;
  typeIndex: number;
  command: string;
  guildId: string | null;
  shard: number;
}

export interface InteractionOutcome {
  inFlight: InFlight;
  /** Receipt to initial response in ms, or null when it was never answered. */
  responseMs: number | null;
}

/**
 * Tracks interactions from receipt to their initial response. Entries past the deadline move,
 * once, to a second bounded map and are counted as unanswered; a late answer is still timed.
 * Both maps are bounded by `timerCap` and swept from the oldest entry, so a sweep costs only
 * what it expires.
 */
export class InteractionTracker {
  private readonly inFlight: BoundedTimerMap<string, InFlight>;
  private readonly late: BoundedTimerMap<string, InFlight>;
  private readonly received: (CounterHandle | undefined)[] = [];
  private readonly interactions: Counter;

  constructor(
    cap: number,
    onEvict: () => void,
    interactions: Counter,
    private readonly response: Histogram,
    private readonly unanswered: Counter,
    private readonly onOutcome: (outcome: InteractionOutcome) => void,
  ) {
    this.inFlight = new BoundedTimerMap(cap, onEvict);
    this.late = new BoundedTimerMap(cap, onEvict);
    this.interactions = interactions;
  }

  receive(id: string, entry: InFlight): void {
    // Bound on first use, so types a bot never sees leave no zero series behind.
    const type = entry.typeIndex;
    let handle = this.received[type];
    if (handle === undefined) {
      handle = this.interactions.labels(INTERACTION_TYPES[type]!, 'received');
      this.received[type] = handle;
    }
    handle.inc();
    this.inFlight.start(id, entry);
  }

  /** The receipt time of an interaction still being tracked, for handler durations. */
  receivedAt(id: string): number | undefined {
    return (this.inFlight.peek(id) ?? this.late.peek(id))?.at;
  }

  answered(id: string, now: number): void {
    let entry = this.inFlight.take(id);
    // Late, but before a sweep moved it: it missed the deadline all the same.
    if (entry && now - entry.at > RESPONSE_DEADLINE_MS) this.countUnanswered(entry);
    entry ??= this.late.take(id);
    if (!entry) return;
    const elapsed = now - entry.at;
    this.response.labels(INTERACTION_TYPES[entry.typeIndex]!, entry.command).observe(elapsed / 1000);
    this.onOutcome({ inFlight: entry, responseMs: elapsed });
  }

  /** Moves interactions past the deadline to the late map (counting them) and forgets old ones. */
  sweep(now: number): void {
    for (const [id, entry] of this.inFlight.drainWhile((e) => now - e.at > RESPONSE_DEADLINE_MS)) {
      this.countUnanswered(entry);
      this.late.start(id, entry);
    }
    for (const [, entry] of this.late.drainWhile((e) => now - e.at > LATE_MEMORY_MS)) {
      this.onOutcome({ inFlight: entry, responseMs: null });
    }
  }

  private countUnanswered(entry: InFlight): void {
    this.unanswered.labels(INTERACTION_TYPES[entry.typeIndex]!, entry.command).inc();
  }

  get size(): number {
    return this.inFlight.size + this.late.size;
  }

  clear(): void {
    this.inFlight.clear();
    this.late.clear();
  }
}
