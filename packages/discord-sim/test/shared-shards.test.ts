// One simulator serving several processes' shards at once, as Discord does for a sharded bot:
// each client identifies only its shards and gets only its guilds, and every IDENTIFY uses up one
// session start.
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import type { Client } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordSim, startDiscordSim } from '../src/index.js';
import { destroyAll } from './helpers.js';

const clients: Client[] = [];
let sim: DiscordSim | undefined;

afterEach(async () => {
  await destroyAll(clients);
  await sim?.close();
  sim = undefined;
});

async function sessionStartLimit(s: DiscordSim) {
  const response = await fetch(`${s.apiUrl}/v10/gateway/bot`, {
    headers: { Authorization: `Bot ${s.token}` },
  });
  return ((await response.json()) as { session_start_limit: { total: number; remaining: number } })
    .session_start_limit;
}

describe('shards split over several clients', () => {
  it('gives each client only its shards’ guilds and routes traffic to the client that owns the shard', async () => {
    sim = await startDiscordSim({ shardCount: 4, guildCount: 8, sessionStartLimit: 50 });
    expect(await sessionStartLimit(sim)).toMatchObject({ total: 50, remaining: 50 });
    const low = makeClient(sim, { shards: [0, 1], shardCount: 4 });
    const high = makeClient(sim, { shards: [2, 3], shardCount: 4 });
    clients.push(low, high);
    await Promise.all([loginReady(low, sim.token), loginReady(high, sim.token)]);

    const guildsOf = (shards: number[]) =>
      sim!.guilds
        .filter((g) => shards.includes(g.shardId))
        .map((g) => g.id)
        .sort();
    expect([...low.guilds.cache.keys()].sort()).toEqual(guildsOf([0, 1]));
    expect([...high.guilds.cache.keys()].sort()).toEqual(guildsOf([2, 3]));
    expect(sim.sessionShards().sort()).toEqual([0, 1, 2, 3]);
    expect(await sessionStartLimit(sim)).toMatchObject({ total: 50, remaining: 46 });

    const seen = { low: 0, high: 0 };
    low.on('interactionCreate', () => seen.low++);
    high.on('interactionCreate', () => seen.high++);
    for (const shardId of [0, 1, 2, 3, 3]) sim.sendInteraction({ type: 'command', name: 'ping', shardId });
    await until(() => seen.low === 2 && seen.high === 3, 10_000, 'interactions on their clients');

    // A client that goes away and comes back (a respawned child) identifies again.
    await low.destroy();
    const again = makeClient(sim, { shards: [0, 1], shardCount: 4 });
    clients.push(again);
    await loginReady(again, sim.token);
    expect(await sessionStartLimit(sim)).toMatchObject({ total: 50, remaining: 44 });
  });
});
