import { describe, expect, it } from 'vitest';
import { NewestRing } from './newest-ring';

describe('NewestRing', () => {
  it('keeps the last items, newest first', () => {
    const ring = new NewestRing<number>(3);
    expect(ring.newestFirst()).toEqual([]);
    ring.add(1);
    ring.add(2);
    expect(ring.newestFirst()).toEqual([2, 1]);
    for (const n of [3, 4, 5]) ring.add(n);
    expect(ring.newestFirst()).toEqual([5, 4, 3]);
  });
});
