/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What `until` returns: the check's value, without the falsy values it waited past. */
export type Truthy<T> = Exclude<T, false | 0 | 0n | '' | null | undefined>;

/**
 * Polls `check` every 25 ms until it returns (or resolves to) something truthy, and returns that;
 * for conditions without an event to await. A check that throws is polled again, so it may throw
 * to say where things stood: past the deadline the error names `what` and the last error thrown.
 */
export async function until<T>(
  check: () => T | PromiseLike<T>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await sleep(25);
  }
}
