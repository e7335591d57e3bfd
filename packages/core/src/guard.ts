import { silentLogger } from './logger';
import { isThenable } from './observe-call';
import { RateLimitedLog } from './rate-limited-log';
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
  private readonly log: RateLimitedLog;
  private counter: ((hook: string) => void) | undefined;

  constructor(options: FailOpenGuardOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.log = new RateLimitedLog({
      intervalMs: options.logIntervalMs ?? 60_000,
      ...(options.now ? { now: options.now } : {}),
    });
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
    this.log.log(hook, (suppressed) =>
      this.logger.error(`hook "${hook}" failed; the error was swallowed`, {
        error: describeError(error),
        ...(suppressed > 0 ? { suppressedSinceLastLog: suppressed } : {}),
      }),
    );
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

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
