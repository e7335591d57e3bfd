// The REST section: rate limits, the invalid-request budget, and latency by route.

import { histogramQuantile } from '../quantile';
import {
  increase,
  quantiles,
  rate,
  rateSeries,
  samplesOf,
  slidingBuckets,
  spanSeconds,
  splitKey,
  type TimeSeries,
} from '../series';
import { nanToNull, SMOOTH_MS, type StatsInput } from './input';
import { topGroups } from './top-groups';

/** Discord bans an IP at this many invalid (401/403/429) requests within 10 minutes. */
export const INVALID_REQUEST_LIMIT = 10_000;
export const INVALID_REQUEST_WINDOW_MS = 10 * 60_000;

export interface RateLimitRow {
  route: string;
  method: string;
  scope: string;
  count: number;
  total: number;
}

export function rateLimitRows(input: StatsInput): RateLimitRow[] {
  const { window: w, names: n, match } = input;
  const by = ['route', 'method', 'scope'];
  const inc = increase(w, n.rateLimits, { match, by });
  const totals = new Map<string, number>();
  for (const s of samplesOf(w[w.length - 1], n.rateLimits, undefined, match)) {
    const k = by.map((l) => s.labels[l] ?? '').join('\u0001');
    totals.set(k, (totals.get(k) ?? 0) + s.value);
  }
  const keys = new Set([...inc.keys(), ...totals.keys()]);
  return [...keys]
    .map((k) => {
      const [route = '', method = '', scope = ''] = splitKey(k);
      return { route, method, scope, count: inc.get(k) ?? 0, total: totals.get(k) ?? 0 };
    })
    .sort((a, b) => b.count - a.count || b.total - a.total || a.route.localeCompare(b.route));
}

export interface InvalidRequests {
  /** Invalid requests seen in the covered span (at most the last 10 minutes). */
  count: number;
  byStatus: { status: string; count: number }[];
  /** Seconds of history the count covers (< 600 right after the page opened). */
  coveredSeconds: number;
  limit: number;
  /** count / limit. */
  share: number;
}

export function invalidRequests(input: StatsInput): InvalidRequests {
  const { frames, names: n, match } = input;
  const last = frames[frames.length - 1];
  const edge = last ? last.t - INVALID_REQUEST_WINDOW_MS : 0;
  let i = frames.length - 1;
  while (i > 0 && frames[i - 1]!.t >= edge) i--;
  const w = frames.slice(Math.max(0, i));
  const by = increase(w, n.restInvalidRequests, { match, by: ['status'] });
  let count = 0;
  for (const v of by.values()) count += v;
  return {
    count,
    byStatus: [...by]
      .map(([status, c]) => ({ status, count: c }))
      .sort((a, b) => a.status.localeCompare(b.status)),
    coveredSeconds: spanSeconds(w),
    limit: INVALID_REQUEST_LIMIT,
    share: count / INVALID_REQUEST_LIMIT,
  };
}

export interface RouteRow {
  method: string;
  route: string;
  rate: number | null;
  p95: number | null;
}

export function routeRows(input: StatsInput): RouteRow[] {
  const { window: w, names: n, match } = input;
  const by = ['method', 'route'];
  const p95 = quantiles(w, n.restDuration, 0.95, { match, by });
  const r = rate(w, n.restDuration, { sample: `${n.restDuration}_count`, match, by });
  const keys = new Set([...p95.keys(), ...r.keys()]);
  return [...keys]
    .map((k) => {
      const [method = '', route = ''] = splitKey(k);
      return { method, route, rate: r.get(k) ?? null, p95: nanToNull(p95.get(k) ?? Number.NaN) };
    })
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || a.route.localeCompare(b.route));
}

/** REST charts over the whole buffer; latency lines for the busiest `routes` (default: of the buffer). */
export function restCharts(
  input: StatsInput,
  routes: readonly RouteRow[] = routeRows({ ...input, window: input.frames }),
) {
  const { frames: f, names: n, match } = input;
  const invalid = rateSeries(f, n.restInvalidRequests, { match, by: ['status'] });
  const ratelimits = topGroups(rateSeries(f, n.rateLimits, { match, by: ['route'] }), 6);
  const responses = rateSeries(f, n.restResponses, { match, by: ['status_class'] });
  // p95 latency over time of the busiest routes.
  const top = routes.slice(0, 5);
  const latency: TimeSeries = { x: f.map((fr) => fr.t / 1000), groups: new Map() };
  const wanted = new Set(top.map((r) => `${r.method} ${r.route}`));
  const byRoute = slidingBuckets(f, n.restDuration, SMOOTH_MS, {
    match,
    by: ['method', 'route'],
    filter: (l) => wanted.has(`${l.method} ${l.route}`),
  });
  for (const r of top) {
    const buckets = byRoute.get(`${r.method}\u0001${r.route}`) ?? [];
    latency.groups.set(
      `${r.method} ${r.route}`,
      f.map((_, i) => {
        const b = buckets[i];
        const v = b ? histogramQuantile(0.95, b) : Number.NaN;
        return Number.isNaN(v) ? null : v;
      }),
    );
  }
  return { invalid, ratelimits, responses, latency };
}
