// Per-guild analytics of a sharded bot on the embedded engine: children forward their events over
// the manager's IPC, and the manager alone opens the engine (chdb), writes each event once and
// serves /api/analytics/* for the whole bot.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordSim } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFixtures, type RunningFleet, removeFixtures, samples, startFleet } from './harness';

let sim: DiscordSim;
let fixtures: string;
let fleet: RunningFleet | undefined;
const workDir = mkdtempSync(join(tmpdir(), 'argus-sharding-analytics-'));
const TOKEN = 'analytics-token';

beforeAll(async () => {
  fixtures = await buildFixtures('analytics');
  sim = await DiscordSim.start({ shardCount: 2, guildCount: 4 });
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await sim?.close();
  await removeFixtures(fixtures);
  rmSync(workDir, { recursive: true, force: true });
});

interface TopGuilds {
  rows: { guildId: string; interactions: number; commands: number }[];
}

it('stores every child’s events once in the manager’s embedded engine and serves them', async () => {
  fleet = await startFleet(
    fixtures,
    sim,
    {
      manager: 'discordjs',
      mode: 'process',
      totalShards: 2,
      deadlineMs: 2_500,
      analytics: { clickhouseDsn: `embedded:${join(workDir, 'store')}`, token: TOKEN, flushIntervalMs: 200 },
    },
    250,
    {
      cwd: workDir,
      env: {
        ARGUS_ENABLE_PER_GUILD: 'true',
        ARGUS_CLICKHOUSE_DSN: 'embedded',
        ARGUS_HISTORY_FLUSH_INTERVAL: '1',
      },
    },
  );
  const running = fleet;
  await until(async () => (await running.fleet()).ready, 60_000, 'both children ready');

  // Guild k gets k + 1 commands; the 4 guilds sit on both shards, so on both children.
  const expected = new Map<string, number>();
  const ids: string[] = [];
  sim.guilds.forEach((guild, k) => {
    expected.set(guild.id, k + 1);
    for (let i = 0; i <= k; i++)
      ids.push(sim.sendInteraction({ type: 'command', name: 'ping', guildId: guild.id }).id);
  });
  expect(new Set(sim.guilds.map((g) => g.shardId))).toEqual(new Set([0, 1]));
  await Promise.all(ids.map((id) => sim.waitForCallback(id, 30_000)));

  const answer = await until(
    async () => {
      const response = await running.get('/api/analytics/top-guilds?limit=10', TOKEN);
      if (response.status !== 200)
        throw new Error(`${response.status} ${await response.text()}\n${running.logs()}`);
      const body = (await response.json()) as TopGuilds;
      const total = body.rows.reduce((n, r) => n + r.interactions, 0);
      return total === ids.length ? body : undefined;
    },
    60_000,
    'every forwarded event in the store',
  );
  expect(new Map(answer.rows.map((r) => [r.guildId, r.interactions]))).toEqual(expected);
  expect((await running.get('/api/analytics/top-guilds')).status).toBe(401);

  const text = await running.metrics();
  expect(samples(text, 'argus_manager_events_written_total')).toEqual([ids.length]);
  // overflow, shutdown, invalid, malformed: none.
  expect(samples(text, 'argus_manager_events_dropped_total')).toEqual([0, 0, 0, 0]);
  // Only the manager opened an engine: the children's "embedded" never became a directory.
  expect(existsSync(join(workDir, '.argus'))).toBe(false);
  expect(existsSync(join(workDir, 'store'))).toBe(true);
}, 180_000);
