import { describe, expect, it } from 'vitest';
import { FailOpenGuard } from './guard';
import type { Logger } from './types';

function capture() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
  };
  return { lines, logger };
}

describe('FailOpenGuard', () => {
  it('swallows and counts a sync throw, returning undefined', () => {
    const { lines, logger } = capture();
    const guard = new FailOpenGuard({ logger });
    const counted: string[] = [];
    guard.setErrorCounter((hook) => counted.push(hook));
    const result = guard.run('interactionCreate', () => {
      throw new TypeError('bad');
    });
    expect(result).toBeUndefined();
    expect(counted).toEqual(['interactionCreate']);
    expect(lines[0]).toContain('interactionCreate');
    expect(lines[0]).toContain('TypeError: bad');
  });

  it('swallows and counts an async rejection', async () => {
    const guard = new FailOpenGuard();
    const counted: string[] = [];
    guard.setErrorCounter((hook) => counted.push(hook));
    await expect(guard.run('task', () => Promise.reject(new Error('later')))).resolves.toBeUndefined();
    expect(counted).toEqual(['task']);
  });

  it('passes results through untouched', async () => {
    const guard = new FailOpenGuard();
    expect(guard.run('x', () => 42)).toBe(42);
    await expect(guard.run('y', async () => 'ok')).resolves.toBe('ok');
    expect(guard.wrap('z', (a: number, b: number) => a + b)(1, 2)).toBe(3);
  });

  it('logs at most once per hook per interval, counting every failure', () => {
    let now = 0;
    const { lines, logger } = capture();
    const guard = new FailOpenGuard({ logger, now: () => now });
    let count = 0;
    guard.setErrorCounter(() => count++);
    const fail = guard.wrap('raw', () => {
      throw new Error('x');
    });
    for (let i = 0; i < 100; i++) fail();
    guard.run('other', () => {
      throw new Error('y');
    });
    expect(count).toBe(101);
    expect(lines).toHaveLength(2);
    now = 60_001;
    fail();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('"suppressedSinceLastLog":99');
  });

  it('survives a logger and a counter that throw', () => {
    const guard = new FailOpenGuard({
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {
          throw new Error('logger down');
        },
      },
    });
    guard.setErrorCounter(() => {
      throw new Error('counter down');
    });
    expect(() =>
      guard.run('x', () => {
        throw new Error('original');
      }),
    ).not.toThrow();
  });
});
