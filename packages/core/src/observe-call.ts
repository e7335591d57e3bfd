/** Whether `value` is a promise or any other thenable (of the type the caller expects). */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `call` and tells `settled` once when it is over, whether it is synchronous or returns a
 * promise: at once for a return or a throw, when the promise settles otherwise. `failed` tells a
 * throw or rejection apart from a thrown `undefined`. What `call` returns or throws passes through
 * unchanged (a promise is chained, so the caller gets an equivalent one). `settled` must not throw.
 */
export function observeCall<R>(call: () => R, settled: (error: unknown, failed: boolean) => void): R {
  return observeApply(call, undefined, NO_ARGS, settled, settleWith);
}

/**
 * `observeCall` for `fn.apply(thisArg, args)`, telling `settled` about `subject`: on a hot path
 * (every wrapped command) it needs no closure per call.
 */
export function observeApply<A extends unknown[], S, R>(
  fn: (...args: A) => R,
  thisArg: unknown,
  args: A,
  subject: S,
  settled: (subject: S, error: unknown, failed: boolean) => void,
): R {
  let result: R;
  try {
    result = Reflect.apply(fn, thisArg, args);
  } catch (error) {
    settled(subject, error, true);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        settled(subject, undefined, false);
        return value;
      },
      (error: unknown) => {
        settled(subject, error, true);
        throw error;
      },
    ) as R;
  }
  settled(subject, undefined, false);
  return result;
}

const NO_ARGS: [] = [];

const settleWith = (settled: (error: unknown, failed: boolean) => void, error: unknown, failed: boolean) =>
  settled(error, failed);
