// The Overview section: the headline numbers over the window and their sparklines.

import { RESPONSE_DEADLINE_MS } from '@argus/core/wire';
import type { Frame } from '../buffer';
import { type MetricNames, PROCESS_METRICS } from '../names';
import { type Bucket, fractionAtOrBelow, histogramQuantile } from '../quantile';
import {
  bucketIncreases,
  gaugeMax,
  gaugeSum,
  increaseTotal,
  type Match,
  rateSeries,
  rateTotal,
  samplesOf,
  slidingBuckets,
  slidingIncreases,
  type TimeSeries,
} from '../series';
import { nanToNull, SMOOTH_MS, type StatsInput } from './input';
import { commandErrorRatio } from './interactions';

/** Discord's deadline for an initial interaction response, in seconds (the `le="3"` bucket). */
export const RESPONSE_DEADLINE_S = RESPONSE_DEADLINE_MS / 1000;

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
