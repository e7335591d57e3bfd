import type { ParsedFamily } from './exposition';

/** What the fleet view shows of one cluster, derived from its report when it arrives. */
export interface ClusterSummary {
  /** Shards this child runs, and how many of them are connected. */
  shards: number;
  shardsUp: number;
  /** Mean gateway latency of its shards, in seconds; null before the first heartbeat. */
  latencySeconds: number | null;
  /** Interactions received since the child started, and per second over the last report interval. */
  interactions: number;
  interactionsPerSecond: number | null;
  /** Failed command handlers since the child started. */
  commandErrors: number;
  /** Interactions never answered within Discord's deadline since the child started. */
  unanswered: number;
  eventLoopLagSeconds: number | null;
  /** Resident memory of the child's process, in bytes. */
  rssBytes: number;
}

/** The families the summary reads, for a child whose bot metrics use `namespace`. */
export function summaryFamilies(namespace: string) {
  return {
    shardUp: `${namespace}_shard_up`,
    latency: `${namespace}_shard_latency_seconds`,
    interactions: `${namespace}_interactions_total`,
    commandErrors: `${namespace}_command_errors_total`,
    unanswered: `${namespace}_interactions_unanswered_total`,
    eventLoopLag: `${namespace}_event_loop_lag_seconds`,
  };
}

const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);

export function summarize(
  families: readonly ParsedFamily[],
  namespace: string,
  rssBytes: number,
  previous: { interactions: number; time: number } | undefined,
  time: number,
): ClusterSummary {
  const names = summaryFamilies(namespace);
  const byName = new Map<string, readonly number[] | undefined>();
  for (const f of families) if (f.values) byName.set(f.name, f.values);
  const shardUp = byName.get(names.shardUp) ?? [];
  const latency = byName.get(names.latency) ?? [];
  const lag = byName.get(names.eventLoopLag) ?? [];
  const interactions = sum(byName.get(names.interactions));
  let perSecond: number | null = null;
  if (previous && time > previous.time) {
    // A counter that went down means the child restarted: count from zero, never negative.
    const delta = interactions >= previous.interactions ? interactions - previous.interactions : interactions;
    perSecond = delta / ((time - previous.time) / 1000);
  }
  return {
    shards: shardUp.length,
    shardsUp: shardUp.filter((v) => v === 1).length,
    latencySeconds: latency.length > 0 ? sum(latency) / latency.length : null,
    interactions,
    interactionsPerSecond: perSecond,
    commandErrors: sum(byName.get(names.commandErrors)),
    unanswered: sum(byName.get(names.unanswered)),
    eventLoopLagSeconds: lag.length > 0 ? Math.max(...lag) : null,
    rssBytes,
  };
}
