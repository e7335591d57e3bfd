// discord.js' ShardingManager, process and worker mode, 4 shards (one per child), against the
// simulator with traffic: the manager's /metrics carries every child under its own cluster label.
import { DiscordSim } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures, type RunningFleet, removeFixtures, samples, startFleet, sum } from './harness';
import { sendTraffic, waitForCounts } from './traffic';

const DEADLINE_MS = 2_500;
const INTERVAL_MS = 250;
let sim: DiscordSim;
let fixtures: string;
let fleet: RunningFleet | undefined;

beforeAll(async () => {
  fixtures = await buildFixtures('sharding-manager');
  sim = await DiscordSim.start({ shardCount: 4, guildCount: 8 });
}, 120_000);

afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

afterAll(async () => {
  await sim?.close();
  await removeFixtures(fixtures);
});

describe.each(['process', 'worker'] as const)('ShardingManager in %s mode', (mode) => {
  it('shows every shard and cluster with exact counts; a killed child is down at once and comes back', async () => {
    fleet = await startFleet(
      fixtures,
      sim,
      { manager: 'discordjs', mode, totalShards: 4, deadlineMs: DEADLINE_MS },
      INTERVAL_MS,
    );
    const running = fleet;
    await until(async () => (await running.fleet()).ready, 60_000, 'all four children ready');

    const expected = await sendTraffic(sim, [0, 1, 2, 3], (shard) => shard + 1);
    const byCluster = { '0': expected[0]!, '1': expected[1]!, '2': expected[2]!, '3': expected[3]! };
    let text = await waitForCounts(running, byCluster);
    for (const cluster of ['0', '1', '2', '3']) {
      expect(samples(text, 'argus_cluster_up', { cluster })).toEqual([1]);
      expect(samples(text, 'discord_shard_up', { cluster, shard: cluster })).toEqual([1]);
    }
    // One HELP and one TYPE per family, however many children carry it.
    expect(text.match(/^# TYPE discord_interactions_total /gm)).toHaveLength(1);

    running.kill(2);
    const killedAt = Date.now();
    text = await until(
      async () => {
        const t = await running.metrics();
        return samples(t, 'argus_cluster_up', { cluster: '2' })[0] === 0 ? t : undefined;
      },
      DEADLINE_MS + 2_000,
      'cluster 2 down',
    );
    expect(Date.now() - killedAt).toBeLessThan(DEADLINE_MS + 2_000);
    expect(samples(text, 'discord_interactions_total', { cluster: '2' })).toEqual([]);
    for (const cluster of ['0', '1', '3'])
      expect(sum(samples(text, 'discord_interactions_total', { cluster }))).toBe(byCluster[cluster as '0']);
    expect(samples(text, 'argus_cluster_last_seen_timestamp_seconds', { cluster: '2' })).toHaveLength(1);

    // The manager respawns it; it reports again and counts from zero in its own series.
    const back = await until(
      async () => (await running.fleet()).clusters.find((c) => c.cluster === '2' && c.ready),
      60_000,
      'cluster 2 back',
    );
    expect(back.deaths).toBe(1);
    text = await running.metrics();
    expect(samples(text, 'argus_cluster_up', { cluster: '2' })).toEqual([1]);
    expect(samples(text, 'argus_cluster_deaths_total', { cluster: '2' })).toEqual([1]);
  }, 180_000);
});
