import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from './rate-limited-log';

describe('RateLimitedLog', () => {
  it('lets one line per key through per interval and reports how many it held back', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog({ intervalMs: 1_000, now: () => now });
    const emit = (key: string) => log.log(key, (held) => lines.push(`${key}:${held}`));
    expect(emit('a')).toBe(true);
    expect(emit('a')).toBe(false);
    expect(emit('a')).toBe(false);
    expect(emit('b')).toBe(true);
    now = 999;
    expect(emit('a')).toBe(false);
    now = 1_000;
    expect(emit('a')).toBe(true);
    expect(lines).toEqual(['a:0', 'b:0', 'a:3']);
  });

  it('never throws, even when the logger does', () => {
    const log = new RateLimitedLog();
    expect(
      log.log('x', () => {
        throw new Error('broken logger');
      }),
    ).toBe(false);
  });
});
