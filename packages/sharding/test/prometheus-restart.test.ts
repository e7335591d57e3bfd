// Prometheus 2.42 scraping the manager of a ShardingManager bot across a child's crash and respawn:
// each child keeps its own cluster series, so rate() sees a counter reset in one series and no
// spike. The same data summed across children (what AggregatorRegistry.aggregate() serves) does
// spike, which the test also shows, so it can tell the two apart.
import { DiscordSim } from '@argus/discord-sim';
import { type PrometheusServer, sleep, startPrometheus, until } from '@argus/test-services';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFixtures, type RunningFleet, removeFixtures, startFleet } from './harness';
import { sendTraffic } from './traffic';

let sim: DiscordSim;
let fixtures: string;
let fleet: RunningFleet | undefined;
let prometheus: PrometheusServer | undefined;

beforeAll(async () => {
  fixtures = await buildFixtures('prometheus');
  sim = await DiscordSim.start({ shardCount: 2, guildCount: 4 });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await fleet?.stop();
  await sim?.close();
  await removeFixtures(fixtures);
});

/** Sends one /ping per connected shard every `everyMs`; a shard without a session (its child is down) is skipped. */
function steadyTraffic(everyMs: number) {
  let sent = 0;
  const timer = setInterval(() => {
    for (const shardId of sim.sessionShards()) {
      try {
        sim.sendInteraction({ type: 'command', name: 'ping', shardId });
        sent++;
      } catch {
        // The shard lost its session between the two calls.
      }
    }
  }, everyMs);
  return {
    stop: () => clearInterval(timer),
    get sent() {
      return sent;
    },
  };
}

it('shows no rate() spike across a child restart, where the summed counter would', async () => {
  fleet = await startFleet(
    fixtures,
    sim,
    { manager: 'discordjs', mode: 'process', totalShards: 2, deadlineMs: 2_500 },
    250,
  );
  const running = fleet;
  await until(async () => (await running.fleet()).ready, 60_000, 'both children ready');
  // Large counts before the first scrape: a sum that resets would count them again as new.
  await sendTraffic(sim, [0, 1], () => 400);

  prometheus = await startPrometheus([{ url: `${running.url}/metrics` }], { scrapeIntervalSeconds: 1 });
  const server = prometheus;
  await server.waitFor('count(discord_interactions_total)', (r) => Number(r[0]?.value[1]) >= 2, 30_000);
  const traffic = steadyTraffic(100);
  try {
    await sleep(6_000);
    running.kill(1);
    await until(async () => (await running.fleet()).clusters[1]?.deaths === 1, 10_000, 'child 1 dead');
    await until(async () => (await running.fleet()).clusters[1]?.ready, 60_000, 'child 1 respawned');
    await sleep(12_000);
  } finally {
    traffic.stop();
  }

  // The offered load is at most 2 shards x 10/s = 20/s; give scrape jitter and extrapolation room.
  const bound = 40;
  const perCluster = await server.query('max_over_time(sum(rate(discord_interactions_total[10s]))[40s:1s])');
  const summed = await server.query('max_over_time(rate(sum(discord_interactions_total)[10s:1s])[40s:1s])');
  const perClusterMax = Number(perCluster[0]?.value[1]);
  const summedMax = Number(summed[0]?.value[1]);
  expect(perClusterMax).toBeGreaterThan(5);
  expect(perClusterMax).toBeLessThan(bound);
  expect(summedMax).toBeGreaterThan(bound);
  // The restart is in the window Prometheus saw: cluster 1's counter reset once, cluster 0's never.
  const resets = await server.query('resets(discord_interactions_total[40s])');
  const byCluster = Object.fromEntries(resets.map((r) => [r.metric.cluster, Number(r.value[1])]));
  expect(byCluster).toMatchObject({ '0': 0, '1': 1 });
}, 180_000);
