import { silentLogger } from './logger';
import type { Logger } from './types';

export interface FailOpenGuardOptions {
  logger?: Logger;
  /** At most one log line per hook in this window. Default 60 s. */
  logIntervalMs?: number;
  now?: () => number;
}

/**
 * The one wrapper every hook, gauge callback and background task runs through (invariant 5):
 * a throw or a rejection is counted, logged at most once per hook per interval, and swallowed.
 */
export class FailOpenGuard {
  private readonly logger: Logger;
  private readonly logIntervalMs: number;
  private readonly now: () => number;
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();
  private counter: ((hook: string) => void) | undefined;

  constructor(options: FailOpenGuardOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.logIntervalMs = options.logIntervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Wired by the registry to `argus_instrumentation_errors_total{hook}`. */
  setErrorCounter(count: (hook: string) => void): void {
    this.counter = count;
  }

  /** Records a failure of `hook`. Never throws. */
  report(hook: string, error: unknown): void {
    try {
      this.counter?.(hook);
    } catch {
      // Counting must not become a second failure.
    }
    try {
      const now = this.now();
      const last = this.lastLogged.get(hook);
      if (last && now - last.at < this.logIntervalMs) {
        last.suppressed++;
        return;
      }
      const suppressed = last?.suppressed ?? 0;
      this.lastLogged.set(hook, { at: now, suppressed: 0 });
      this.logger.error(`hook "${hook}" failed; the error was swallowed`, {
        error: describeError(error),
        ...(suppressed > 0 ? { suppressedSinceLastLog: suppressed } : {}),
      });
    } catch {
      // A broken logger must not reach the bot either.
    }
  }

  /** Runs `fn`; a sync throw or an async rejection is reported and swallowed. */
  run<T>(hook: string, fn: () => T): T | undefined {
    try {
      const result = fn();
      if (isThenable(result)) {
        return result.then(undefined, (error: unknown) => {
          this.report(hook, error);
          return undefined;
        }) as T;
      }
      return result;
    } catch (error) {
      this.report(hook, error);
      return undefined;
    }
  }

  /** Wraps a listener so it can be handed to an emitter that must never see it throw. */
  wrap<A extends unknown[], R>(hook: string, fn: (...args: A) => R): (...args: A) => R | undefined {
    return (...args: A) => this.run(hook, () => fn(...args));
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
