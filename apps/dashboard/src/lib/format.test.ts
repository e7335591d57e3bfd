import { describe, expect, it } from 'vitest';
import {
  axisLabel,
  axisTick,
  fmtBytes,
  fmtCount,
  fmtMs,
  fmtPercent,
  fmtRate,
  fmtSeconds,
  NONE,
} from './format';

describe('formatting', () => {
  it('shows a dash, never 0, for values that do not exist', () => {
    for (const f of [fmtCount, fmtRate, fmtPercent, fmtSeconds, fmtMs, fmtBytes]) {
      expect(f(null)).toBe(NONE);
      expect(f(Number.NaN)).toBe(NONE);
      expect(f(Number.POSITIVE_INFINITY)).toBe(NONE);
    }
  });

  it('counts', () => {
    expect(fmtCount(0)).toBe('0');
    expect(fmtCount(1234)).toBe('1,234');
    expect(fmtCount(250_000)).toBe('250k');
    expect(fmtCount(1_250_000)).toBe('1.25M');
    expect(fmtCount(2.5)).toBe('2.5');
  });

  it('rates', () => {
    expect(fmtRate(0)).toBe('0/s');
    expect(fmtRate(0.0123)).toBe('0.012/s');
    expect(fmtRate(1.5)).toBe('1.5/s');
    expect(fmtRate(12.34)).toBe('12.3/s');
    expect(fmtRate(250)).toBe('250/s');
    expect(fmtRate(1e-7)).toBe('<0.001/s');
  });

  it('percentages from ratios', () => {
    expect(fmtPercent(0)).toBe('0%');
    expect(fmtPercent(0.1)).toBe('10%');
    expect(fmtPercent(0.01234)).toBe('1.23%');
    expect(fmtPercent(1)).toBe('100%');
    expect(fmtPercent(0.00001)).toBe('<0.01%');
  });

  it('durations in seconds', () => {
    expect(fmtSeconds(0)).toBe('0 ms');
    expect(fmtSeconds(0.0005)).toBe('500 µs');
    expect(fmtSeconds(0.0042)).toBe('4.2 ms');
    expect(fmtSeconds(0.19375)).toBe('194 ms');
    expect(fmtSeconds(1.5)).toBe('1.5 s');
    expect(fmtSeconds(95)).toBe('1m 35s');
    expect(fmtSeconds(3 * 3600 + 120)).toBe('3h 2m');
    expect(fmtSeconds(2 * 86400 + 3600)).toBe('2d 1h');
    expect(fmtMs(0.0421)).toBe('42 ms');
    expect(fmtMs(0.0042)).toBe('4.2 ms');
  });

  it('bytes in binary units', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(1536)).toBe('1.5 KiB');
    expect(fmtBytes(150 * 1024 * 1024)).toBe('150 MiB');
    expect(fmtBytes(3 * 1024 ** 3)).toBe('3 GiB');
  });

  it('axis ticks and labels carry the unit', () => {
    expect(axisTick('percent', 0.25)).toBe('25%');
    expect(axisTick('ms', 0.042)).toBe('42');
    expect(axisTick('bytes', 2048)).toBe('2 KiB');
    expect(axisTick('seconds', 0.5)).toBe('500 ms');
    expect(axisLabel('rate')).toBe('per second (/s)');
    expect(axisLabel('ms')).toBe('milliseconds (ms)');
    expect(axisLabel('percent')).toBe('percent (%)');
    expect(axisLabel('seconds')).toBe('seconds (s)');
  });
});
