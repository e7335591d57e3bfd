import type { DiscordSim } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { type RunningFleet, samples, sum } from './harness';

/** Sends `count(shard)` /ping commands on each shard and waits until the sim saw them answered. */
export async function sendTraffic(
  sim: DiscordSim,
  shards: readonly number[],
  count: (shard: number) => number,
): Promise<number[]> {
  const sent: number[] = [];
  const ids: string[] = [];
  for (const shard of shards) {
    sent[shard] = count(shard);
    for (let i = 0; i < count(shard); i++)
      ids.push(sim.sendInteraction({ type: 'command', name: 'ping', shardId: shard }).id);
  }
  await Promise.all(ids.map((id) => sim.waitForCallback(id, 30_000)));
  return sent;
}

/** Waits until the manager's /metrics shows exactly these interaction counts per cluster. */
export async function waitForCounts(fleet: RunningFleet, byCluster: Record<string, number>): Promise<string> {
  return until(
    async () => {
      const text = await fleet.metrics();
      const ok = Object.entries(byCluster).every(
        ([cluster, n]) => sum(samples(text, 'discord_interactions_total', { cluster })) === n,
      );
      return ok ? text : undefined;
    },
    20_000,
    `interaction counts ${JSON.stringify(byCluster)}`,
  );
}
