/** The rejection of {@link withTimeout} when no error of the caller's is given. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * `work`, or a rejection when it has not settled within `ms`. `timeout` is what the rejection
 * says: a description (`"<what> timed out after <ms> ms"`, a {@link TimeoutError}) or a function
 * returning the error to reject with. The timer never keeps the process alive and is cleared as
 * soon as `work` settles.
 */
export function withTimeout<T>(
  work: PromiseLike<T>,
  ms: number,
  timeout: string | (() => unknown),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        reject(
          typeof timeout === 'string' ? new TimeoutError(`${timeout} timed out after ${ms} ms`) : timeout(),
        );
      } catch (error) {
        reject(error);
      }
    }, ms);
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
