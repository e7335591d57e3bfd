import { describe, expect, it } from 'vitest';
import { isThenable, observeCall } from './observe-call';

describe('observeCall', () => {
  it('tells a sync return and a sync throw at once, and passes both through', () => {
    const seen: [unknown, boolean][] = [];
    const settled = (error: unknown, failed: boolean) => seen.push([error, failed]);
    expect(observeCall(() => 3, settled)).toBe(3);
    const boom = new Error('boom');
    expect(() =>
      observeCall(() => {
        throw boom;
      }, settled),
    ).toThrow(boom);
    expect(seen).toEqual([
      [undefined, false],
      [boom, true],
    ]);
  });

  it('tells a promise when it settles, not before', async () => {
    const seen: [unknown, boolean][] = [];
    const settled = (error: unknown, failed: boolean) => seen.push([error, failed]);
    let resolve: (v: string) => void = () => {};
    const pending = observeCall(() => new Promise<string>((r) => (resolve = r)), settled);
    expect(seen).toEqual([]);
    resolve('ok');
    await expect(pending).resolves.toBe('ok');
    await expect(observeCall(() => Promise.reject(undefined), settled)).rejects.toBeUndefined();
    expect(seen).toEqual([
      [undefined, false],
      [undefined, true],
    ]);
  });

  it('isThenable', () => {
    expect(isThenable(Promise.resolve())).toBe(true);
    expect(isThenable(Object.fromEntries([['then', () => {}]]))).toBe(true);
    expect([null, undefined, 1, 'x', {}, () => {}].some(isThenable)).toBe(false);
  });
});
