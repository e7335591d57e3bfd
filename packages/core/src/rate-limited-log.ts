export interface RateLimitedLogOptions {
  /** At most one line per key in this window. Default 60,000 ms. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Lets one log line per key through per interval and counts the ones it holds back, so a failure
 * that repeats thousands of times a second writes one line a minute that says how many it stood
 * for. Keys must come from a bounded set (hook names, realms), never from user input.
 */
export class RateLimitedLog {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(options: RateLimitedLogOptions = {}) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Calls `emit` with how many lines for `key` were held back since its last one, unless one went
   * out within the interval (then it only counts). Returns whether `emit` ran. Never throws:
   * a broken logger must not become a second failure.
   */
  log(key: string, emit: (suppressed: number) => void): boolean {
    try {
      const now = this.now();
      const entry = this.last.get(key);
      if (entry && now - entry.at < this.intervalMs) {
        entry.suppressed++;
        return false;
      }
      const suppressed = entry?.suppressed ?? 0;
      this.last.set(key, { at: now, suppressed: 0 });
      emit(suppressed);
      return true;
    } catch {
      return false;
    }
  }
}
