import { describe, expect, it } from 'vitest';
import { BoundedTimerMap } from './timer-map';

describe('BoundedTimerMap', () => {
  it('takes what was started, once', () => {
    const m = new BoundedTimerMap<string>(10);
    m.start('a', 5);
    expect(m.take('a')).toBe(5);
    expect(m.take('a')).toBeUndefined();
  });

  it('evicts the oldest entry past the cap and reports it', () => {
    let evicted = 0;
    const m = new BoundedTimerMap<number>(3, () => evicted++);
    for (let i = 0; i < 5; i++) m.start(i, i * 10);
    expect(m.size).toBe(3);
    expect(evicted).toBe(2);
    expect(m.take(0)).toBeUndefined();
    expect(m.take(1)).toBeUndefined();
    expect(m.take(2)).toBe(20);
  });

  it('drains expired entries from the oldest and stops at the first live one', () => {
    const m = new BoundedTimerMap<string>(10);
    m.start('a', 1);
    m.start('b', 2);
    m.start('c', 9);
    expect([...m.drainWhile((at) => at < 5)]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(m.size).toBe(1);
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => new BoundedTimerMap(0)).toThrow(/positive integer/);
  });
});
