// The Gateway section: shards, dispatch rates, disconnects and reconnects.

import { gaugeSeries, increase, rate, rateSeries, samplesOf } from '../series';
import type { StatsInput } from './input';
import { topGroups } from './top-groups';

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
