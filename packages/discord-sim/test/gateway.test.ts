import { once } from 'node:events';
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import { type Client, Events, Status } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordSim, shardOf, startDiscordSim } from '../src/index.js';
import { destroyAll } from './helpers.js';

const clients: Client[] = [];
let sim: DiscordSim | undefined;

afterEach(async () => {
  await destroyAll(clients);
  await sim?.close();
  sim = undefined;
});

async function setup(options: Parameters<typeof startDiscordSim>[0] = {}, shards?: number[]) {
  sim = await startDiscordSim({ heartbeatIntervalMs: 250, ...options });
  const count = sim.shardCount;
  const client = makeClient(sim, { shards: shards ?? [...Array(count).keys()], shardCount: count });
  clients.push(client);
  await loginReady(client, sim.token);
  return { sim, client };
}

describe('login and READY', () => {
  it('logs a real discord.js client in on 3 shards and fills the guild and channel caches', async () => {
    const { sim, client } = await setup({
      shardCount: 3,
      guildCount: 9,
      channelsPerGuild: 2,
      emojisPerGuild: 3,
    });
    expect(client.isReady()).toBe(true);
    expect(client.ws.shards.size).toBe(3);
    expect(client.guilds.cache.size).toBe(9);
    for (const g of sim.guilds) {
      const guild = client.guilds.cache.get(g.id);
      expect(guild?.available).toBe(true);
      expect(guild?.name).toBe(g.name);
      expect(guild?.shardId).toBe(g.shardId);
      expect(shardOf(g.id, 3)).toBe(g.shardId);
      expect(guild?.memberCount).toBe(g.memberCount);
      expect(guild?.channels.cache.filter((c) => c.isTextBased()).size).toBe(2);
      expect(guild?.emojis.cache.size).toBe(3);
      expect(guild?.stickers.cache.size).toBe(1);
      expect(guild?.roles.everyone.id).toBe(g.id);
      expect(guild?.members.me?.id).toBe(sim.applicationId);
    }
    expect(client.user?.id).toBe(sim.applicationId);
    const stats = sim.stats();
    expect(stats.shards.map((s) => s.identifies)).toEqual([1, 1, 1]);
    expect(stats.dispatches.byType.GUILD_CREATE).toBe(9);
  });

  it('uses shards: auto with the shard count from /gateway/bot', async () => {
    sim = await startDiscordSim({ shardCount: 2 });
    const client = makeClient(sim, { shards: 'auto' });
    clients.push(client);
    await loginReady(client, sim.token);
    expect([...client.ws.shards.keys()].sort()).toEqual([0, 1]);
  });

  it('rejects login with a wrong token (401 on /gateway/bot)', async () => {
    sim = await startDiscordSim();
    const client = makeClient(sim);
    clients.push(client);
    await expect(client.login('not-the-token')).rejects.toThrow(/token/i);
  });

  it('rejects login when IDENTIFY is closed with 4004', async () => {
    sim = await startDiscordSim();
    sim.failIdentify({ code: 4004 });
    const client = makeClient(sim);
    clients.push(client);
    await expect(client.login(sim.token)).rejects.toThrow(/Authentication failed/);
  });

  it('emits identify with the shard and intents', async () => {
    sim = await startDiscordSim({ shardCount: 2 });
    const seen: number[] = [];
    sim.on('identify', (e) => seen.push(e.shardId));
    const client = makeClient(sim, { shards: [0, 1], shardCount: 2 });
    clients.push(client);
    await loginReady(client, sim.token);
    expect(seen.sort()).toEqual([0, 1]);
  });
});

describe('shard routing', () => {
  it('routes guilds by (id >> 22) % shardCount of the connected client, even if it differs from the sim', async () => {
    sim = await startDiscordSim({ shardCount: 1, guildCount: 6 });
    const client = makeClient(sim, { shards: [0, 1], shardCount: 2 });
    clients.push(client);
    await loginReady(client, sim.token);
    expect(client.guilds.cache.size).toBe(6);
    for (const g of client.guilds.cache.values()) expect(g.shardId).toBe(shardOf(g.id, 2));
    const target = sim.guilds.find((g) => shardOf(g.id, 2) === 1);
    const received = once(client, Events.InteractionCreate);
    const sent = sim.sendInteraction({ type: 'command', name: 'ping', guildId: target?.id });
    expect(sent.shardId).toBe(1);
    const [interaction] = (await received) as [{ guildId: string; guild: { shardId: number } }];
    expect(interaction.guildId).toBe(target?.id);
    expect(interaction.guild.shardId).toBe(1);
  });

  it('answers guild.members.fetch() over the gateway (op 8)', async () => {
    const { sim, client } = await setup({ guildCount: 1, userCount: 7 });
    const guild = client.guilds.cache.first();
    const members = await guild?.members.fetch();
    expect(members?.size).toBe(7);
    expect(members?.map((m) => m.user.username).sort()).toEqual(sim.users.map((u) => u.username).sort());
  });
});

describe('heartbeats', () => {
  it('reports a per-shard ping from per-shard ACK delays', async () => {
    const { client } = await setup({ shardCount: 2, ackDelayMs: [30, 150] });
    await until(
      () => client.ws.shards.every((s) => s.ping >= 0),
      10_000,
      'first heartbeat ACK on each shard',
    );
    // A loaded machine only adds latency, so the lower bounds are tight and the upper bounds loose.
    const p0 = client.ws.shards.get(0)?.ping ?? -1;
    const p1 = client.ws.shards.get(1)?.ping ?? -1;
    expect(p0).toBeGreaterThanOrEqual(28);
    expect(p1).toBeGreaterThanOrEqual(148);
    expect(p1).toBeGreaterThan(p0);
    expect(p0).toBeLessThan(1000);
  });

  it('zombie mode makes the client reconnect and resume', async () => {
    const { sim, client } = await setup({ shardCount: 1 });
    const resumed = once(client, Events.ShardResume);
    sim.setZombie(0, true);
    await until(() => sim.stats().shards[0]?.heartbeats ?? 0, 5000);
    sim.setZombie(0, false);
    await resumed;
    expect(sim.stats().shards[0]?.resumes).toBeGreaterThanOrEqual(1);
  });
});

describe('disconnects and sessions', () => {
  it('close 4000: the client resumes and gets the missed dispatches replayed', async () => {
    const { sim, client } = await setup({ shardCount: 2 });
    const got: string[] = [];
    client.on(Events.MessageCreate, (m) => got.push(m.content));
    const reconnecting = once(client, Events.ShardReconnecting);
    const resumedEvent = sim.waitFor('resumed', (e) => e.shardId === 1);
    const resumed = once(client, Events.ShardResume);
    expect(sim.disconnect(1, 4000)).toBe(true);
    await reconnecting;
    // Sent while the shard is down: buffered and replayed on RESUME.
    sim.sendMessage({ shardId: 1, content: 'while-down-1' });
    sim.sendMessage({ shardId: 1, content: 'while-down-2' });
    const [shardId, replayed] = await resumed;
    expect(shardId).toBe(1);
    expect(replayed).toBeGreaterThanOrEqual(2);
    expect((await resumedEvent).replayed).toBe(2);
    await until(() => got.length === 2, 5000, 'replayed messages');
    expect(got).toEqual(['while-down-1', 'while-down-2']);
    expect(sim.stats().shards[1]?.identifies).toBe(1);
  });

  it('1006 (dropped TCP connection): the client resumes', async () => {
    const { sim, client } = await setup();
    const resumed = once(client, Events.ShardResume);
    sim.disconnect(0, 1006);
    await resumed;
    expect(sim.stats().shards[0]?.resumes).toBe(1);
  });

  it('op 7 RECONNECT: the client resumes', async () => {
    const { sim, client } = await setup();
    const resumed = once(client, Events.ShardResume);
    sim.requestReconnect(0);
    await resumed;
  });

  it('close 1000: the client identifies again', async () => {
    const { sim, client } = await setup();
    // Wait for the client's own ready, not the sim's identify: destroying a client between its IDENTIFY
    // and READY leaves discord.js reconnecting forever (a discord.js race, not a sim one).
    const ready = once(client, Events.ShardReady);
    sim.disconnect(0, 1000);
    await ready;
    expect(sim.stats().shards[0]?.identifies).toBe(2);
  });

  it('op 9 (not resumable): the client identifies again with a new session', async () => {
    const { sim, client } = await setup();
    const before = sim.stats().shards[0]?.sessionId;
    const ready = once(client, Events.ShardReady);
    sim.invalidateSession(0, false);
    await ready;
    await until(() => sim?.stats().shards[0]?.connected, 5000);
    const after = sim.stats().shards[0];
    expect(after?.identifies).toBe(2);
    expect(after?.sessionId).not.toBe(before);
  });

  it('op 9 (resumable): the client resumes the same session', async () => {
    const { sim, client } = await setup();
    const before = sim.stats().shards[0]?.sessionId;
    const resumed = once(client, Events.ShardResume);
    sim.invalidateSession(0, true);
    await resumed;
    expect(sim.stats().shards[0]?.sessionId).toBe(before);
  });

  it('close 4004 after ready: the shard dies, the client stays "ready"', async () => {
    const { sim, client } = await setup({ shardCount: 2 });
    const disconnected = once(client, Events.ShardDisconnect);
    const shardError = once(client, Events.ShardError);
    sim.disconnect(0, 4004);
    const [event, shardId] = await disconnected;
    expect((event as { code: number }).code).toBe(4004);
    expect(shardId).toBe(0);
    expect(String((await shardError)[0])).toMatch(/Authentication failed/);
    expect(client.ws.shards.get(0)?.status).toBe(Status.Disconnected);
    expect(client.isReady()).toBe(true);
    expect(sim.isShardConnected(0)).toBe(false);
    expect(sim.isShardConnected(1)).toBe(true);
  });

  it('outage: the shard is refused for the window, then resumes with replay', async () => {
    const { sim, client } = await setup({ shardCount: 2 });
    let reconnects = 0;
    client.on(Events.ShardReconnecting, (id) => {
      if (id === 0) reconnects++;
    });
    const got: string[] = [];
    client.on(Events.MessageCreate, (m) => got.push(m.content));
    const started = Date.now();
    const over = sim.outage(0, 1500);
    await until(() => !sim?.isShardConnected(0), 2000);
    sim.sendMessage({ shardId: 0, content: 'during-outage' });
    const resumed = once(client, Events.ShardResume);
    await over;
    const [shardId] = await resumed;
    expect(shardId).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    // The client kept trying (every ~500 ms) and was refused while the outage lasted.
    expect(reconnects).toBeGreaterThanOrEqual(2);
    await until(() => got.includes('during-outage'), 5000);
    expect(sim.isShardConnected(1)).toBe(true);
  });
});

describe('garbage and load', () => {
  it('survives malformed and unknown dispatches (sim and client)', async () => {
    const { sim, client } = await setup();
    const raw: string[] = [];
    client.on(Events.Raw, (p: { t: string | null }) => {
      if (p.t) raw.push(p.t);
    });
    expect(sim.sendGarbage(0, 'malformed')).not.toBeNull();
    expect(sim.sendGarbage(0, 'unknownEvent')).not.toBeNull();
    expect(sim.sendGarbage(0, 'emptyInteraction')).not.toBeNull();
    sim.sendMessage({ content: 'after-garbage' });
    const msg = await once(client, Events.MessageCreate);
    expect((msg[0] as { content: string }).content).toBe('after-garbage');
    expect(raw).toEqual(
      expect.arrayContaining(['MESSAGE_CREATE', 'ARGUS_SIM_UNKNOWN_EVENT', 'INTERACTION_CREATE']),
    );
    expect(sim.stats().garbage).toBe(3);
  });

  it('blasts 20,000 MESSAGE_CREATE events, all received by a raw listener', async () => {
    // Heartbeat ACKs queue behind the blast on the same socket; a short interval would let a loaded
    // client declare the connection a zombie mid-blast (as it would on Discord).
    const { sim, client } = await setup({ shardCount: 2, heartbeatIntervalMs: 3000 });
    let raw = 0;
    let messages = 0;
    client.on(Events.Raw, (p: { t: string | null }) => {
      if (p.t === 'MESSAGE_CREATE') raw++;
    });
    client.on(Events.MessageCreate, () => messages++);
    const result = await sim.blast({ shardId: 1, count: 20_000, event: 'MESSAGE_CREATE' });
    expect(result.sent).toBe(20_000);
    expect(result.lastSeq - result.firstSeq).toBe(19_999);
    await until(() => raw === 20_000, 20_000, '20k raw events');
    await until(() => messages === 20_000, 5000, '20k messageCreate');
  });

  it('blasts TYPING_START and PRESENCE_UPDATE', async () => {
    const { sim, client } = await setup({ heartbeatIntervalMs: 3000 });
    const counts: Record<string, number> = {};
    client.on(Events.Raw, (p: { t: string | null }) => {
      if (p.t) counts[p.t] = (counts[p.t] ?? 0) + 1;
    });
    await sim.blast({ count: 500, event: 'TYPING_START' });
    await sim.blast({ count: 500, event: 'PRESENCE_UPDATE' });
    await until(() => counts.TYPING_START === 500 && counts.PRESENCE_UPDATE === 500, 10_000);
  });
});
