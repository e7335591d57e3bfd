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

  it('keeps start order when the newest entry is replaced by a newer one', () => {
    const evicted: string[] = [];
    const m = new BoundedTimerMap<string>(2, (key) => evicted.push(key));
    m.start('a', 1);
    expect(m.peek('a')).toBe(1);
    m.start('b', 2);
    m.start('c', 3);
    expect(evicted).toEqual(['a']);
    expect(m.size).toBe(2);
    expect([...m.drainWhile(() => true)]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    expect(m.size).toBe(0);
  });

  it('moves a key started again to the newest place, without evicting anything', () => {
    const evicted: string[] = [];
    const m = new BoundedTimerMap<string>(3, (key) => evicted.push(key));
    m.start('a', 1);
    m.start('b', 2);
    m.start('c', 3);
    m.start('a', 4);
    expect(evicted).toEqual([]);
    expect(m.size).toBe(3);
    expect([...m.drainWhile(() => true)].map(([key]) => key)).toEqual(['b', 'c', 'a']);
  });

  it('with a cap of one, a new key evicts the one held', () => {
    const evicted: [string, number][] = [];
    const m = new BoundedTimerMap<string>(1, (key, value) => evicted.push([key, value]));
    m.start('a', 1);
    m.start('a', 2);
    m.start('b', 3);
    expect(evicted).toEqual([['a', 2]]);
    expect(m.take('a')).toBeUndefined();
    expect(m.take('b')).toBe(3);
    expect(m.size).toBe(0);
  });

  it('stops a drain before the newest entry when it has not expired', () => {
    const m = new BoundedTimerMap<string>(10);
    m.start('a', 1);
    m.start('b', 9);
    expect([...m.drainWhile((at) => at < 5)]).toEqual([['a', 1]]);
    expect(m.peek('b')).toBe(9);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.peek('b')).toBeUndefined();
  });

  it('matches keys as a Map does', () => {
    const m = new BoundedTimerMap<number>(10);
    m.start(Number.NaN, 1);
    expect(m.peek(Number.NaN)).toBe(1);
    m.start(0, 2);
    expect(m.take(-0)).toBe(2);
    expect(m.take(Number.NaN)).toBe(1);
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => new BoundedTimerMap(0)).toThrow(/positive integer/);
  });
});
