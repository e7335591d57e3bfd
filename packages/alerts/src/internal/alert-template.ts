// The subset of Prometheus' alert templates the shipped rules use: `{{ $labels.x }}`,
// `{{ $value }}` and the humanize, humanizePercentage and humanizeDuration functions.
import { formatNumber } from '../promql';

const SI = ['', 'k', 'M', 'G', 'T', 'P'];

function humanize(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  let v = value;
  let unit = 0;
  while (Math.abs(v) >= 1000 && unit < SI.length - 1) {
    v /= 1000;
    unit++;
  }
  return `${Number(v.toPrecision(4))}${SI[unit]}`;
}

function humanizeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (Math.abs(seconds) < 1) return `${Number((seconds * 1000).toPrecision(4))}ms`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
}

export function renderTemplate(
  text: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): string {
  return text.replace(/\{\{\s*\$(labels\.(\w+)|value)\s*(?:\|\s*(\w+)\s*)?\}\}/g, (_all, _ref, label, fn) => {
    if (label) return labels[label] ?? '';
    switch (fn) {
      case 'humanize':
        return humanize(value);
      case 'humanizePercentage':
        return `${humanize(value * 100)}%`;
      case 'humanizeDuration':
        return humanizeDuration(value);
      default:
        return formatNumber(value);
    }
  });
}
