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
  let result: R;
  try {
    result = call();
  } catch (error) {
    settled(error, true);
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        settled(undefined, false);
        return value;
      },
      (error: unknown) => {
        settled(error, true);
        throw error;
      },
    ) as R;
  }
  settled(undefined, false);
  return result;
}
