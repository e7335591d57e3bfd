// Charts with one line per label value stay readable: the busiest few, the rest as `other`.

import type { TimeSeries } from '../series';

/** Keeps the `top` largest groups of a time series and folds the rest into `other`. */
export function topGroups(ts: TimeSeries, top: number): TimeSeries {
  const totals = [...ts.groups].map(([k, arr]) => ({
    k,
    sum: arr.reduce<number>((a, v) => a + (v ?? 0), 0),
  }));
  totals.sort((a, b) => b.sum - a.sum || a.k.localeCompare(b.k));
  if (totals.length <= top) return ts;
  const keep = new Set(totals.slice(0, top).map((t) => t.k));
  const groups = new Map<string, (number | null)[]>();
  const other = ts.x.map(() => null as number | null);
  for (const [k, arr] of ts.groups) {
    if (keep.has(k)) groups.set(k, arr);
    else
      arr.forEach((v, i) => {
        if (v !== null) other[i] = (other[i] ?? 0) + v;
      });
  }
  const sorted = new Map(totals.slice(0, top).map((t) => [t.k, groups.get(t.k)!]));
  sorted.set('other', other);
  return { x: ts.x, groups: sorted };
}
