// What each section shows, computed from the buffered frames. Pure functions: the components
// only format and draw these.

import type { Frame } from './buffer';
import { type MetricNames, PROCESS_METRICS } from './names';
import { type Bucket, fractionAtOrBelow, histogramQuantile } from './quantile';
import {
  bucketIncreases,
  gaugeBy,
  gaugeMax,
  gaugeSeries,
  gaugeSum,
  increase,
  increaseTotal,
  labelValues,
  type Match,
  quantiles,
  rate,
  rateSeries,
  rateTotal,
  samplesOf,
  slidingBuckets,
  slidingIncreases,
  slidingQuantiles,
  spanSeconds,
  splitKey,
  type TimeSeries,
} from './series';

/** Inputs of every section: the whole buffer (for charts), the rolling window (for numbers). */
export interface StatsInput {
  /** Every buffered frame, oldest first. */
  frames: readonly Frame[];
  /** The frames of the rolling window (see SnapshotBuffer.window). */
  window: readonly Frame[];
  names: MetricNames;
  /** `{ cluster }` when a cluster is selected, else `{}`. */
  match: Match;
}

/** Trailing window used for smoothed lines (quantiles, ratios) in charts and sparklines. */
export const SMOOTH_MS = 60_000;

/** Discord's deadline for an initial interaction response, in seconds. */
export const RESPONSE_DEADLINE_S = 3;

/** Discord bans an IP at this many invalid (401/403/429) requests within 10 minutes. */
export const INVALID_REQUEST_LIMIT = 10_000;
export const INVALID_REQUEST_WINDOW_MS = 10 * 60_000;

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** Cluster values present in the newest frame (for the cluster filter). */
export function clustersOf(frame: Frame | undefined, names: MetricNames): string[] {
  const preferred = labelValues(frame, 'cluster', [names.guilds, names.shardsConfigured, names.up]);
  return preferred.length > 0 ? preferred : labelValues(frame, 'cluster');
}

// ---------------------------------------------------------------- ratios

/** Command outcomes over frames: app (slash) and prefix commands together. */
function commandCounts(frames: readonly Frame[], n: MetricNames, match: Match) {
  const total =
    increaseTotal(frames, n.appCommands, { match }) + increaseTotal(frames, n.commands, { match });
  const errors =
    increaseTotal(frames, n.appCommands, { match: { ...match, status: 'error' } }) +
    increaseTotal(frames, n.commands, { match: { ...match, status: 'error' } });
  return { total, errors };
}

/** Command error ratio over the frames; null when no command ran. */
export function commandErrorRatio(frames: readonly Frame[], n: MetricNames, match: Match): number | null {
  const { total, errors } = commandCounts(frames, n, match);
  return total > 0 ? errors / total : null;
}

/**
 * Share of interactions answered within Discord's 3 s deadline:
 * answered within 3 s (the `le="3"` response bucket) / (that + unanswered by the deadline).
 * Interactions answered late are in the unanswered counter too, so they count as missed once.
 */
function answeredShare(buckets: readonly Bucket[] | null | undefined, missed: number | null): number | null {
  const list = buckets ?? [];
  const total = list.length > 0 ? list[list.length - 1]!.count : 0;
  const frac = fractionAtOrBelow(RESPONSE_DEADLINE_S, list);
  const within = total > 0 && !Number.isNaN(frac) ? frac * total : 0;
  const all = within + (missed ?? 0);
  return all > 0 ? within / all : null;
}

// ---------------------------------------------------------------- overview

export interface Overview {
  up: number | null;
  guilds: number | null;
  shardsUp: number | null;
  shardsConfigured: number | null;
  latencyMean: number | null;
  latencyByShard: { shard: string; seconds: number }[];
  interactionsRate: number | null;
  errorRatio: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  answered3s: number | null;
  eventLoopLag: number | null;
  memory: number | null;
  heapUsed: number | null;
  uptime: number | null;
}

function eventLoopLag(frame: Frame | undefined, n: MetricNames, match: Match): number | null {
  return gaugeMax(frame, n.eventLoopLag, match) ?? gaugeMax(frame, PROCESS_METRICS.eventLoopLagP99, match);
}

function shardsUp(frame: Frame | undefined, n: MetricNames, match: Match): number | null {
  const connected = gaugeSum(frame, n.shardsConnected, match);
  if (connected !== null) return connected;
  const ups = samplesOf(frame, n.shardUp, undefined, match);
  return ups.length > 0 ? ups.filter((s) => s.value === 1).length : null;
}

export function overview(input: StatsInput): Overview {
  const { window: w, names: n, match } = input;
  const last = w[w.length - 1];
  const latencies = samplesOf(last, n.shardLatency, undefined, match)
    .map((s) => ({ shard: s.labels.shard ?? '?', seconds: s.value }))
    .sort((a, b) => Number(a.shard) - Number(b.shard) || a.shard.localeCompare(b.shard));
  const response = bucketIncreases(w, n.interactionResponse, { match }).get('') ?? [];
  const q = (p: number) => nanToNull(histogramQuantile(p, response));
  return {
    up: gaugeMax(last, n.up, match),
    guilds: gaugeSum(last, n.guilds, match),
    shardsUp: shardsUp(last, n, match),
    shardsConfigured: gaugeSum(last, n.shardsConfigured, match),
    latencyMean:
      latencies.length > 0 ? latencies.reduce((a, l) => a + l.seconds, 0) / latencies.length : null,
    latencyByShard: latencies,
    interactionsRate: rateTotal(w, n.interactions, { match }),
    errorRatio: commandErrorRatio(w, n, match),
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    answered3s: answeredShare(response, increaseTotal(w, n.interactionsUnanswered, { match })),
    eventLoopLag: eventLoopLag(last, n, match),
    memory: gaugeSum(last, PROCESS_METRICS.residentMemory, match),
    heapUsed: gaugeSum(last, PROCESS_METRICS.heapUsed, match),
    uptime: gaugeMax(last, n.uptime, match),
  };
}

export type SparkKey =
  | 'guilds'
  | 'shards'
  | 'latency'
  | 'interactionsRate'
  | 'errorRatio'
  | 'p50'
  | 'p95'
  | 'p99'
  | 'answered3s'
  | 'eventLoop'
  | 'memory';

/** The overview sparklines over the whole buffer: one value (or null) per frame. */
export function overviewSparklines(input: StatsInput): Record<SparkKey, (number | null)[]> {
  const { frames: f, names: n, match } = input;
  const only = (ts: TimeSeries) => ts.groups.get('') ?? f.map(() => null);
  const perFrame = (fn: (fr: Frame) => number | null) => f.map(fn);
  const ratioOf = (num: (number | null)[], den: (number | null)[]) =>
    num.map((v, i) => {
      const d = den[i];
      return d !== null && d !== undefined && d > 0 ? (v ?? 0) / d : null;
    });
  const cmdTotal = sumSliding([
    slidingIncreases(f, n.appCommands, SMOOTH_MS, { match }).values,
    slidingIncreases(f, n.commands, SMOOTH_MS, { match }).values,
  ]);
  const cmdErrors = sumSliding([
    slidingIncreases(f, n.appCommands, SMOOTH_MS, { match: { ...match, status: 'error' } }).values,
    slidingIncreases(f, n.commands, SMOOTH_MS, { match: { ...match, status: 'error' } }).values,
  ]);
  const response = slidingBuckets(f, n.interactionResponse, SMOOTH_MS, { match }).get('') ?? [];
  const missed = slidingIncreases(f, n.interactionsUnanswered, SMOOTH_MS, { match }).values.map(sumOf);
  const q = (p: number) =>
    f.map((_, i) => {
      const b = response[i];
      const v = b ? histogramQuantile(p, b) : Number.NaN;
      return Number.isNaN(v) ? null : v;
    });
  return {
    guilds: perFrame((fr) => gaugeSum(fr, n.guilds, match)),
    shards: perFrame((fr) => shardsUp(fr, n, match)),
    latency: perFrame((fr) => {
      const ss = samplesOf(fr, n.shardLatency, undefined, match);
      return ss.length > 0 ? ss.reduce((a, s) => a + s.value, 0) / ss.length : null;
    }),
    interactionsRate: only(rateSeries(f, n.interactions, { match })),
    errorRatio: ratioOf(cmdErrors, cmdTotal),
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    answered3s: f.map((_, i) => answeredShare(response[i], missed[i] ?? null)),
    eventLoop: perFrame((fr) => eventLoopLag(fr, n, match)),
    memory: perFrame((fr) => gaugeSum(fr, PROCESS_METRICS.residentMemory, match)),
  };
}

function sumOf(m: Map<string, number> | null): number | null {
  if (!m) return null;
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function sumSliding(list: (Map<string, number> | null)[][]): (number | null)[] {
  const len = list[0]?.length ?? 0;
  const out: (number | null)[] = [];
  for (let i = 0; i < len; i++) {
    let any = false;
    let s = 0;
    for (const values of list) {
      const v = sumOf(values[i] ?? null);
      if (v !== null) {
        any = true;
        s += v;
      }
    }
    out.push(any ? s : null);
  }
  return out;
}

// ---------------------------------------------------------------- interactions

export interface CommandRow {
  command: string;
  kind: 'slash' | 'prefix';
  /** Invocations over the window (handler outcomes when wrapped, else answered interactions). */
  calls: number;
  rate: number | null;
  errors: number;
  errorRatio: number | null;
  /** Handler duration quantiles (wrapped commands only). */
  p50: number | null;
  p95: number | null;
  /** Receipt to initial response, p95 (slash commands). */
  responseP95: number | null;
  /** Interactions not answered within 3 s over the window. */
  unanswered: number;
}

export function commandRows(input: StatsInput): CommandRow[] {
  const { window: w, names: n, match } = input;
  const last = w[w.length - 1];
  const span = spanSeconds(w);
  const slashMatch = { ...match, type: 'application_command' };
  const rows: CommandRow[] = [];

  const kinds = [
    { kind: 'slash' as const, calls: n.appCommands, duration: n.appCommandDuration },
    { kind: 'prefix' as const, calls: n.commands, duration: n.commandDuration },
  ];
  for (const k of kinds) {
    const names = new Set<string>();
    for (const s of samplesOf(last, k.calls, undefined, match)) names.add(s.labels.command ?? '');
    for (const s of samplesOf(last, k.duration, `${k.duration}_count`, match))
      names.add(s.labels.command ?? '');
    if (k.kind === 'slash') {
      for (const s of samplesOf(last, n.interactionResponse, `${n.interactionResponse}_count`, slashMatch)) {
        names.add(s.labels.command ?? '');
      }
      for (const s of samplesOf(last, n.interactionsUnanswered, undefined, slashMatch)) {
        names.add(s.labels.command ?? '');
      }
    }
    names.delete('');
    if (names.size === 0) continue;
    const calls = increase(w, k.calls, { match, by: ['command'] });
    const errors = increase(w, k.calls, { match: { ...match, status: 'error' }, by: ['command'] });
    const wrapped = new Set(samplesOf(last, k.calls, undefined, match).map((s) => s.labels.command ?? ''));
    const durations = bucketIncreases(w, k.duration, { match, by: ['command'] });
    const responses =
      k.kind === 'slash'
        ? bucketIncreases(w, n.interactionResponse, { match: slashMatch, by: ['command'] })
        : null;
    const answered =
      k.kind === 'slash'
        ? increase(w, n.interactionResponse, {
            sample: `${n.interactionResponse}_count`,
            match: slashMatch,
            by: ['command'],
          })
        : null;
    const unanswered =
      k.kind === 'slash'
        ? increase(w, n.interactionsUnanswered, { match: slashMatch, by: ['command'] })
        : null;
    for (const command of names) {
      const c = wrapped.has(command) ? (calls.get(command) ?? 0) : (answered?.get(command) ?? 0);
      const e = errors.get(command) ?? 0;
      const d = durations.get(command) ?? [];
      const r = responses?.get(command) ?? [];
      rows.push({
        command,
        kind: k.kind,
        calls: c,
        rate: span > 0 ? c / span : null,
        errors: e,
        errorRatio: wrapped.has(command) && c > 0 ? e / c : null,
        p50: nanToNull(histogramQuantile(0.5, d)),
        p95: nanToNull(histogramQuantile(0.95, d)),
        responseP95: nanToNull(histogramQuantile(0.95, r)),
        unanswered: unanswered?.get(command) ?? 0,
      });
    }
  }
  return rows;
}

export type CommandSortKey = 'command' | 'rate' | 'errorRatio' | 'p50' | 'p95' | 'responseP95' | 'unanswered';

/** Sorts rows by a column; missing values always sort last; ties break by command name. */
export function sortCommandRows(
  rows: readonly CommandRow[],
  key: CommandSortKey,
  desc: boolean,
): CommandRow[] {
  const dir = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (key === 'command') return dir * a.command.localeCompare(b.command) || a.kind.localeCompare(b.kind);
    const av = a[key];
    const bv = b[key];
    if (av === null && bv === null) return a.command.localeCompare(b.command);
    if (av === null) return 1;
    if (bv === null) return -1;
    return dir * (av - bv) || a.command.localeCompare(b.command);
  });
}

/** Charts for one command over the whole buffer: calls/s and errors/s, and duration p50/p95. */
export function commandCharts(input: StatsInput, row: Pick<CommandRow, 'command' | 'kind'>) {
  const { frames: f, names: n, match } = input;
  const calls = row.kind === 'slash' ? n.appCommands : n.commands;
  const duration = row.kind === 'slash' ? n.appCommandDuration : n.commandDuration;
  const m = { ...match, command: row.command };
  const wrapped = samplesOf(f[f.length - 1], calls, undefined, m).length > 0;
  const rates = wrapped
    ? rateSeries(f, calls, { match: m, by: ['status'] })
    : rateSeries(f, n.interactionResponse, {
        sample: `${n.interactionResponse}_count`,
        match: { ...m, type: 'application_command' },
      });
  const x = f.map((fr) => fr.t / 1000);
  const zero = () => f.map(() => null as number | null);
  const total = x.map((_, i) => {
    let s: number | null = null;
    for (const arr of rates.groups.values()) {
      const v = arr[i];
      if (v !== null && v !== undefined) s = (s ?? 0) + v;
    }
    return s;
  });
  const hasDuration = samplesOf(f[f.length - 1], duration, `${duration}_count`, m).length > 0;
  const durBase = hasDuration ? duration : n.interactionResponse;
  const durMatch = hasDuration ? m : { ...m, type: 'application_command' };
  const durations = slidingQuantiles(f, durBase, [0.5, 0.95], SMOOTH_MS, durMatch);
  return {
    x,
    calls: total,
    errors: wrapped ? (rates.groups.get('error') ?? zero()) : zero(),
    durationKind: hasDuration ? ('handler' as const) : ('response' as const),
    p50: durations[0]!,
    p95: durations[1]!,
  };
}

/** Interactions per second by type over the window. */
export function interactionsByType(input: StatsInput): { type: string; rate: number }[] {
  const r = rate(input.window, input.names.interactions, { match: input.match, by: ['type'] });
  const last = input.window[input.window.length - 1];
  for (const t of gaugeBy(last, input.names.interactions, 'type', input.match).keys())
    if (!r.has(t)) r.set(t, 0);
  return [...r]
    .map(([type, v]) => ({ type, rate: v }))
    .sort((a, b) => b.rate - a.rate || a.type.localeCompare(b.type));
}

// ---------------------------------------------------------------- gateway

export interface ShardRow {
  shard: string;
  up: boolean | null;
  latency: number | null;
  disconnects: number;
  reconnects: number;
}

export function shardRows(input: StatsInput): ShardRow[] {
  const { window: w, names: n, match } = input;
  const last = w[w.length - 1];
  const ids = new Set<string>();
  const up = new Map<string, number>();
  const lat = new Map<string, number>();
  for (const s of samplesOf(last, n.shardUp, undefined, match)) {
    const id = s.labels.shard ?? '?';
    ids.add(id);
    up.set(id, s.value);
  }
  for (const s of samplesOf(last, n.shardLatency, undefined, match)) {
    const id = s.labels.shard ?? '?';
    ids.add(id);
    lat.set(id, s.value);
  }
  const disc = increase(w, n.shardDisconnects, { match, by: ['shard'] });
  const reco = increase(w, n.shardReconnects, { match, by: ['shard'] });
  for (const id of [...disc.keys(), ...reco.keys()]) ids.add(id);
  return [...ids]
    .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
    .map((shard) => ({
      shard,
      up: up.has(shard) ? up.get(shard) === 1 : null,
      latency: lat.get(shard) ?? null,
      disconnects: disc.get(shard) ?? 0,
      reconnects: reco.get(shard) ?? 0,
    }));
}

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

export function gatewayCharts(input: StatsInput) {
  const { frames: f, names: n, match } = input;
  const latency = gaugeSeries(f, n.shardLatency, { match, by: ['shard'] });
  const events = topGroups(rateSeries(f, n.gatewayEvents, { match, by: ['event'] }), 8);
  const disconnects = rateSeries(f, n.shardDisconnects, { match }).groups.get('') ?? f.map(() => null);
  const reconnects = rateSeries(f, n.shardReconnects, { match }).groups.get('') ?? f.map(() => null);
  return { latency, events, disconnects, reconnects };
}

/** Dispatches per second by event type over the window, busiest first. */
export function eventRates(input: StatsInput): { event: string; rate: number }[] {
  return [...rate(input.window, input.names.gatewayEvents, { match: input.match, by: ['event'] })]
    .map(([event, r]) => ({ event, rate: r }))
    .sort((a, b) => b.rate - a.rate || a.event.localeCompare(b.event));
}

// ---------------------------------------------------------------- REST

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

// ---------------------------------------------------------------- health

export interface CounterRow {
  key: string;
  total: number;
  window: number;
}

function counterRows(input: StatsInput, metric: string, label: string | null): CounterRow[] {
  const { window: w, match } = input;
  const last = w[w.length - 1];
  const totals = label
    ? gaugeBy(last, metric, label, match)
    : new Map([['', gaugeSum(last, metric, match) ?? 0]]);
  if (!label && samplesOf(last, metric, undefined, match).length === 0) return [];
  const inc = increase(w, metric, { match, by: label ? [label] : [] });
  const keys = new Set([...totals.keys(), ...inc.keys()]);
  return [...keys]
    .map((key) => ({ key, total: totals.get(key) ?? 0, window: inc.get(key) ?? 0 }))
    .sort((a, b) => b.window - a.window || b.total - a.total || a.key.localeCompare(b.key));
}

export interface Health {
  up: number | null;
  subsystems: { subsystem: string; up: boolean }[];
  instrumentationErrors: CounterRow[];
  folded: CounterRow[];
  /** null when the metric is absent (analytics off). */
  dropped: CounterRow[] | null;
  evicted: CounterRow | null;
  logs: { logger: string; level: string; window: number }[];
  info: Record<string, string> | null;
}

export function health(input: StatsInput): Health {
  const { window: w, names: n, match } = input;
  const last = w[w.length - 1];
  const subsystems = [...gaugeBy(last, n.subsystemUp, 'subsystem', match)]
    .map(([subsystem, v]) => ({ subsystem, up: v >= 1 }))
    .sort((a, b) => a.subsystem.localeCompare(b.subsystem));
  const dropped =
    samplesOf(last, n.eventsDropped, undefined, match).length > 0 || last?.snap.metrics[n.eventsDropped]
      ? counterRows(input, n.eventsDropped, 'reason')
      : null;
  const evicted = counterRows(input, n.timersEvicted, null)[0] ?? null;
  const logs = [...increase(w, n.logRecords, { match, by: ['logger', 'level'] })]
    .map(([k, v]) => {
      const [logger = '', level = ''] = splitKey(k);
      return { logger, level, window: v };
    })
    .filter((l) => l.level !== 'debug')
    .sort((a, b) => b.window - a.window);
  const info = samplesOf(last, n.botInfo, undefined, match)[0]?.labels ?? null;
  return {
    up: gaugeMax(last, n.up, match),
    subsystems,
    instrumentationErrors: counterRows(input, n.instrumentationErrors, 'hook'),
    folded: counterRows(input, n.labelValuesFolded, 'metric'),
    dropped,
    evicted,
    logs,
    info,
  };
}
