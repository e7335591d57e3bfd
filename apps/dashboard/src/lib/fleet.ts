// The fleet overview of a sharding manager: `/api/fleet` read leniently (a field that is missing
// or of the wrong type reads as unknown, never as a misleading zero), and the rows the Fleet
// section shows, one per cluster.

export interface FleetSummary {
  shards: number | null;
  shardsUp: number | null;
  latencySeconds: number | null;
  interactionsPerSecond: number | null;
  commandErrors: number | null;
  unanswered: number | null;
  eventLoopLagSeconds: number | null;
  rssBytes: number | null;
}

export interface FleetCluster {
  cluster: string;
  index: number | null;
  up: boolean;
  ready: boolean;
  pid: number | null;
  /** Milliseconds since the epoch (server clock), null before its first report. */
  lastSeen: number | null;
  ageSeconds: number | null;
  deaths: number;
  /** Null while the cluster is down. */
  summary: FleetSummary | null;
}

export interface FleetOverview {
  /** Server time of the answer. */
  time: number | null;
  expected: number | null;
  ready: boolean;
  clusters: FleetCluster[];
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

function summaryOf(x: unknown): FleetSummary | null {
  if (!isRecord(x)) return null;
  return {
    shards: num(x.shards),
    shardsUp: num(x.shardsUp),
    latencySeconds: num(x.latencySeconds),
    interactionsPerSecond: num(x.interactionsPerSecond),
    commandErrors: num(x.commandErrors),
    unanswered: num(x.unanswered),
    eventLoopLagSeconds: num(x.eventLoopLagSeconds),
    rssBytes: num(x.rssBytes),
  };
}

/** `/api/fleet` as the section uses it; null when the body is not a fleet at all. */
export function parseFleet(raw: unknown): FleetOverview | null {
  if (!isRecord(raw) || !Array.isArray(raw.clusters)) return null;
  const clusters: FleetCluster[] = [];
  for (const c of raw.clusters) {
    if (!isRecord(c) || typeof c.cluster !== 'string' || c.cluster === '') continue;
    const up = c.up === true;
    clusters.push({
      cluster: c.cluster,
      index: num(c.index),
      up,
      ready: c.ready === true,
      pid: num(c.pid),
      lastSeen: num(c.lastSeen),
      ageSeconds: num(c.ageSeconds),
      deaths: num(c.deaths) ?? 0,
      summary: up ? summaryOf(c.summary) : null,
    });
  }
  return { time: num(raw.time), expected: num(raw.expected), ready: raw.ready === true, clusters };
}

/** The fleet's totals for the cards above the table. */
export function fleetTotals(fleet: FleetOverview) {
  let shards = 0;
  let shardsUp = 0;
  let perSecond: number | null = null;
  for (const c of fleet.clusters) {
    shards += c.summary?.shards ?? 0;
    shardsUp += c.summary?.shardsUp ?? 0;
    const rate = c.summary?.interactionsPerSecond;
    if (rate != null) perSecond = (perSecond ?? 0) + rate;
  }
  const up = fleet.clusters.filter((c) => c.up).length;
  return {
    clustersUp: up,
    clusters: Math.max(fleet.expected ?? 0, fleet.clusters.length),
    shards,
    shardsUp,
    interactionsPerSecond: perSecond,
  };
}

/** "ready", "up" (reporting, client not ready), "down" or "never seen". */
export function clusterState(c: FleetCluster): 'ready' | 'up' | 'down' | 'never seen' {
  if (c.ready) return 'ready';
  if (c.up) return 'up';
  return c.lastSeen === null ? 'never seen' : 'down';
}
