import { USER_DURATION_BUCKETS } from './catalogue';
import { observeCall } from './observe-call';
import type { HistogramHandle, MetricRegistry } from './registry';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface Telemetry {
  /** Wraps `fn` so every call is timed into `<ns>_<name>_duration_seconds`, sync or async, thrown or not. */
  timed<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R;
  /** Starts a timer; the returned function stops it, records it once and returns the seconds. */
  timer(name: string): () => number;
  /** Wraps `fn` so thrown errors and rejections are counted by type, then rethrown unchanged. */
  countExceptions<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R;
}

/**
 * User-facing helpers. Metrics are defined on first use; recording is fail-open, so a
 * broken metric never changes what the wrapped function returns or throws.
 */
export function createTelemetry(registry: MetricRegistry, namespace: string): Telemetry {
  const guard = registry.guard;
  const durations = new Map<string, HistogramHandle>();

  const checkName = (name: string) => {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(
        `Argus metric name ${JSON.stringify(name)} must use letters, digits and underscores only`,
      );
    }
  };

  const duration = (name: string): HistogramHandle => {
    let handle = durations.get(name);
    if (!handle) {
      const metric = `${namespace}_${name}_duration_seconds`;
      if (!registry.has(metric)) {
        registry.define({
          kind: 'histogram',
          name: metric,
          help: `Duration of ${name} in seconds.`,
          buckets: USER_DURATION_BUCKETS,
        });
      }
      handle = registry.histogram(metric).labels();
      durations.set(name, handle);
    }
    return handle;
  };

  const exceptions = (name: string) => {
    const metric = `${namespace}_${name}_exceptions_total`;
    if (!registry.has(metric)) {
      registry.define({
        kind: 'counter',
        name: metric,
        help: `Exceptions raised in ${name}.`,
        labelNames: ['exception_type'],
      });
    }
    return registry.counter(metric);
  };

  const timer = (name: string) => {
    checkName(name);
    const handle = guard.run(`timer:${name}`, () => duration(name));
    const start = performance.now();
    let done = false;
    return () => {
      const seconds = (performance.now() - start) / 1000;
      if (!done && handle) {
        done = true;
        guard.run(`timer:${name}`, () => handle.observe(seconds));
      }
      return seconds;
    };
  };

  return {
    timer,
    timed<A extends unknown[], R>(name: string, fn: (...args: A) => R) {
      checkName(name);
      return function timedCall(this: unknown, ...args: A): R {
        const stop = timer(name);
        return observeCall(
          () => fn.apply(this, args),
          () => stop(),
        );
      };
    },
    countExceptions<A extends unknown[], R>(name: string, fn: (...args: A) => R) {
      checkName(name);
      const count = (error: unknown) =>
        guard.run(`exceptions:${name}`, () => exceptions(name).labels(errorType(error)).inc());
      return function countedCall(this: unknown, ...args: A): R {
        return observeCall(
          () => fn.apply(this, args),
          (error, failed) => {
            if (failed) count(error);
          },
        );
      };
    },
  };
}

/** The class name of a thrown value, bounded by the registry's label cap. */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor?.name || error.name || 'Error';
  if (error === null) return 'null';
  return typeof error;
}
