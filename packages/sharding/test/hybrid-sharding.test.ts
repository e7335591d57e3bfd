// discord-hybrid-sharding's ClusterManager: 2 clusters of 2 shards in child processes, against the
// simulator with traffic. Also: a hung child (SIGSTOP) never delays the manager's /metrics.
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
const stopped: number[] = [];

beforeAll(async () => {
  fixtures = await buildFixtures('hybrid');
  sim = await DiscordSim.start({ shardCount: 4, guildCount: 8 });
}, 120_000);

afterEach(async () => {
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Gone already.
    }
  }
  await fleet?.stop();
  fleet = undefined;
});

afterAll(async () => {
  await sim?.close();
  await removeFixtures(fixtures);
});

const plan = {
  manager: 'hybrid',
  mode: 'process',
  totalShards: 4,
  clusters: 2,
  deadlineMs: DEADLINE_MS,
} as const;

describe.each(['process', 'worker'] as const)(
  'discord-hybrid-sharding ClusterManager in %s mode, 2 clusters of 2 shards',
  (mode) => {
    it('shows both clusters and all four shards with exact counts; a killed cluster is down, then respawned', async () => {
      fleet = await startFleet(fixtures, sim, { ...plan, mode }, INTERVAL_MS);
      const running = fleet;
      await until(async () => (await running.fleet()).ready, 60_000, 'both clusters ready');

      const sent = await sendTraffic(sim, [0, 1, 2, 3], (shard) => 2 * shard + 1);
      // Cluster 0 runs shards 0 and 1, cluster 1 runs shards 2 and 3.
      const byCluster = { '0': sent[0]! + sent[1]!, '1': sent[2]! + sent[3]! };
      let text = await waitForCounts(running, byCluster);
      expect(samples(text, 'argus_cluster_up')).toEqual([1, 1]);
      for (const [cluster, shards] of [
        ['0', ['0', '1']],
        ['1', ['2', '3']],
      ] as const) {
        for (const shard of shards)
          expect(samples(text, 'discord_shard_up', { cluster, shard })).toEqual([1]);
      }
      const view = await running.fleet();
      expect(
        view.clusters.map((c) => [
          c.cluster,
          c.summary?.shards,
          c.summary?.shardsUp,
          c.summary?.interactions,
        ]),
      ).toEqual([
        ['0', 2, 2, byCluster['0']],
        ['1', 2, 2, byCluster['1']],
      ]);

      running.kill(1);
      text = await until(
        async () => {
          const t = await running.metrics();
          return samples(t, 'argus_cluster_up', { cluster: '1' })[0] === 0 ? t : undefined;
        },
        DEADLINE_MS + 2_000,
        'cluster 1 down',
      );
      expect(sum(samples(text, 'discord_interactions_total', { cluster: '0' }))).toBe(byCluster['0']);
      expect(samples(text, 'discord_shard_up', { cluster: '1' })).toEqual([]);

      await until(async () => (await running.fleet()).clusters[1]?.ready, 60_000, 'cluster 1 respawned');
      text = await running.metrics();
      expect(samples(text, 'discord_shard_up', { cluster: '1' })).toEqual([1, 1]);
      expect(samples(text, 'argus_cluster_deaths_total', { cluster: '1' })).toEqual([1]);
    }, 180_000);
  },
);

describe('a hung child (SIGSTOP) under discord-hybrid-sharding', () => {
  it('answers /metrics within the deadline while a child is stopped, shows it down, and up once resumed', async () => {
    fleet = await startFleet(fixtures, sim, plan, INTERVAL_MS);
    const running = fleet;
    const ready = await until(
      async () => {
        const v = await running.fleet();
        return v.ready ? v : undefined;
      },
      60_000,
      'both clusters ready',
    );
    const pid = ready.clusters[0]!.pid!;
    process.kill(pid, 'SIGSTOP');
    stopped.push(pid);
    const stoppedAt = Date.now();

    let slowest = 0;
    let text = '';
    while (Date.now() - stoppedAt < DEADLINE_MS + 2_000) {
      const started = Date.now();
      text = await running.metrics();
      slowest = Math.max(slowest, Date.now() - started);
      if (samples(text, 'argus_cluster_up', { cluster: '0' })[0] === 0) break;
    }
    expect(slowest).toBeLessThan(DEADLINE_MS);
    expect(samples(text, 'argus_cluster_up', { cluster: '0' })).toEqual([0]);
    expect(samples(text, 'argus_cluster_up', { cluster: '1' })).toEqual([1]);
    expect(samples(text, 'discord_shard_up', { cluster: '0' })).toEqual([]);
    expect(samples(text, 'discord_shard_up', { cluster: '1' })).toEqual([1, 1]);
    expect((await running.fleet()).clusters[0]).toMatchObject({ up: false, alive: true, summary: null });

    process.kill(pid, 'SIGCONT');
    stopped.splice(stopped.indexOf(pid), 1);
    await until(
      async () => samples(await running.metrics(), 'argus_cluster_up', { cluster: '0' })[0] === 1,
      30_000,
      'cluster 0 up after SIGCONT',
    );
  }, 180_000);
});
