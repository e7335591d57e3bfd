import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/helpers';
import { AuthFailureLog, createTokenMatcher } from './auth';

describe('createTokenMatcher', () => {
  it('matches only the exact token', () => {
    const matches = createTokenMatcher('abc123');
    expect(matches('abc123')).toBe(true);
    expect(matches('abc124')).toBe(false);
    expect(matches('abc12')).toBe(false);
    expect(matches('abc1234')).toBe(false);
    expect(matches('')).toBe(false);
    expect(matches(undefined)).toBe(false);
  });

  it('fails closed for an empty expected token', () => {
    const matches = createTokenMatcher('');
    expect(matches('')).toBe(false);
    expect(matches(undefined)).toBe(false);
  });
});

describe('AuthFailureLog', () => {
  it('logs once per realm per interval and counts what it left out', () => {
    const logger = captureLogger();
    let now = 0;
    const log = new AuthFailureLog(logger, 1000, () => now);
    log.record('metrics', '/metrics', '10.0.0.1', 'missing');
    log.record('metrics', '/metrics', '10.0.0.1', 'invalid');
    log.record('metrics', '/metrics', '10.0.0.1', 'invalid');
    log.record('dashboard', '/api/config', '10.0.0.2', 'invalid');
    now = 1500;
    log.record('metrics', '/metrics', '10.0.0.3', 'invalid');
    expect(logger.records.map((r) => [r.level, r.message])).toEqual([
      ['warn', 'argus metrics auth failure for /metrics from 10.0.0.1'],
      ['warn', 'argus dashboard auth failure for /api/config from 10.0.0.2'],
      ['warn', 'argus metrics auth failure for /metrics from 10.0.0.3'],
    ]);
    expect(logger.records[0]!.fields).toMatchObject({ reason: 'no token presented' });
    expect(logger.records[2]!.fields).toMatchObject({ suppressedSinceLastLog: 2, reason: 'wrong token' });
  });

  it('truncates the remote address and survives a throwing logger', () => {
    const logger = captureLogger();
    new AuthFailureLog(logger).record('metrics', '/m', `1\n${'2'.repeat(100)}`, 'invalid');
    expect(String(logger.records[0]!.fields?.remote)).toBe(`${'1'}${'2'.repeat(63)}...`);
    const broken = {
      ...logger,
      warn: () => {
        throw new Error('logger down');
      },
    };
    expect(() => new AuthFailureLog(broken).record('metrics', '/m', 'x', 'invalid')).not.toThrow();
  });
});
