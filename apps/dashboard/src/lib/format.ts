// Number formatting for cards, tables and chart axes. Every formatter answers "–" for a value
// that does not exist (null, NaN, ±Infinity) rather than a misleading 0.

export const NONE = '–';

const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function trim(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Counts: 1234 → "1,234"; large values compact: 1.25M. */
export function fmtCount(v: number | null | undefined): string {
  if (!ok(v)) return NONE;
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9, 2)}B`;
  if (a >= 1e6) return `${trim(v / 1e6, 2)}M`;
  if (a >= 1e5) return `${trim(v / 1e3, 1)}k`;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return trim(v, 2);
}

/** A plain number with up to `digits` decimals. */
export function fmtNumber(v: number | null | undefined, digits = 2): string {
  if (!ok(v)) return NONE;
  return trim(v, digits);
}

/** Per-second rates: 0 → "0/s", 0.0123 → "0.012/s", 12.345 → "12.3/s". */
export function fmtRate(v: number | null | undefined): string {
  if (!ok(v)) return NONE;
  const a = Math.abs(v);
  if (a === 0) return '0/s';
  if (a >= 1000) return `${fmtCount(v)}/s`;
  if (a >= 100) return `${trim(v, 0)}/s`;
  if (a >= 10) return `${trim(v, 1)}/s`;
  if (a >= 1) return `${trim(v, 2)}/s`;
  if (a < 0.001) return v > 0 ? '<0.001/s' : '>-0.001/s';
  return `${Number(v.toPrecision(2))}/s`;
}

/** Ratios (0..1) as percentages: 0.01234 → "1.23%". */
export function fmtPercent(v: number | null | undefined, digits = 2): string {
  if (!ok(v)) return NONE;
  const p = v * 100;
  if (p !== 0 && Math.abs(p) < 0.01) return p > 0 ? '<0.01%' : '>-0.01%';
  return `${trim(p, digits)}%`;
}

/** Durations given in seconds: 0.0042 → "4.2 ms", 1.5 → "1.5 s", 95 → "1m 35s". */
export function fmtSeconds(v: number | null | undefined): string {
  if (!ok(v)) return NONE;
  const a = Math.abs(v);
  if (a === 0) return '0 ms';
  if (a < 0.001) return `${trim(v * 1e6, 0)} µs`;
  if (a < 1) return `${trim(v * 1000, a < 0.01 ? 2 : a < 0.1 ? 1 : 0)} ms`;
  if (a < 60) return `${trim(v, 2)} s`;
  if (a < 3600) return `${Math.floor(v / 60)}m ${Math.round(v % 60)}s`;
  if (a < 86400) return `${Math.floor(v / 3600)}h ${Math.floor((v % 3600) / 60)}m`;
  return `${Math.floor(v / 86400)}d ${Math.floor((v % 86400) / 3600)}h`;
}

/** Milliseconds given in seconds, for latency axes and tables: 0.0421 → "42 ms". */
export function fmtMs(v: number | null | undefined): string {
  if (!ok(v)) return NONE;
  const ms = v * 1000;
  return `${trim(ms, Math.abs(ms) < 10 ? 1 : 0)} ms`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units: 1536 → "1.5 KiB". */
export function fmtBytes(v: number | null | undefined): string {
  if (!ok(v)) return NONE;
  let n = v;
  let u = 0;
  while (Math.abs(n) >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return `${trim(n, u === 0 ? 0 : Math.abs(n) >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

export type Unit = 'count' | 'rate' | 'percent' | 'seconds' | 'ms' | 'bytes' | 'number';

export function formatUnit(unit: Unit, v: number | null | undefined): string {
  switch (unit) {
    case 'count':
      return fmtCount(v);
    case 'rate':
      return fmtRate(v);
    case 'percent':
      return fmtPercent(v);
    case 'seconds':
      return fmtSeconds(v);
    case 'ms':
      return fmtMs(v);
    case 'bytes':
      return fmtBytes(v);
    default:
      return fmtNumber(v);
  }
}

/** Short axis tick labels (no unit suffix clutter beyond what the axis label says). */
export function axisTick(unit: Unit, v: number): string {
  if (!Number.isFinite(v)) return '';
  switch (unit) {
    case 'percent':
      return `${trim(v * 100, 2)}%`;
    case 'seconds':
      return fmtSeconds(v);
    case 'ms':
      return `${trim(v * 1000, 1)}`;
    case 'bytes':
      return fmtBytes(v);
    case 'rate':
    case 'count':
      return fmtCount(Number(v.toPrecision(3)));
    default:
      return trim(v, 3);
  }
}

/** The axis label for a unit. */
export function axisLabel(unit: Unit): string {
  switch (unit) {
    case 'rate':
      return 'per second (/s)';
    case 'percent':
      return 'percent (%)';
    case 'seconds':
      return 'seconds (s)';
    case 'ms':
      return 'milliseconds (ms)';
    case 'bytes':
      return 'bytes';
    case 'count':
      return 'count';
    default:
      return '';
  }
}
