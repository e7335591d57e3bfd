import { once } from 'node:events';
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import {
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type Interaction,
  type Message,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordSim, startDiscordSim, type TrafficReport } from '../src/index.js';
import { attachDemoBot } from './demo-bot.js';
import { destroyAll } from './helpers.js';

let sim: DiscordSim;
let client: Client;
const clients: Client[] = [];

async function control<T = Record<string, unknown>>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

beforeAll(async () => {
  sim = await startDiscordSim({ shardCount: 2, guildCount: 4 });
  client = makeClient(sim, { shards: [0, 1], shardCount: 2 });
  clients.push(client);
  await loginReady(client, sim.token);
});

afterAll(async () => {
  await destroyAll(clients);
  await sim.close();
});

describe('control API (/_sim)', () => {
  it('GET /_sim/state describes the sim for another process', async () => {
    const { status, body } = await control<{
      apiUrl: string;
      token: string;
      shardCount: number;
      guilds: { id: string; shardId: number; channels: { id: string }[] }[];
      stats: { shards: { connected: boolean }[] };
    }>('GET', '/state');
    expect(status).toBe(200);
    expect(body.apiUrl).toBe(sim.apiUrl);
    expect(body.token).toBe(sim.token);
    expect(body.shardCount).toBe(2);
    expect(body.guilds).toHaveLength(4);
    expect(body.stats.shards.every((s) => s.connected)).toBe(true);
  });

  it('POST /_sim/interaction drives a slash command and can wait for the callback', async () => {
    client.once(Events.InteractionCreate, (i: Interaction) => {
      if (i.isChatInputCommand()) void i.reply(`pong ${i.options.getString('text')}`);
    });
    const { status, body } = await control<{
      id: string;
      shardId: number;
      callback: { callbackTypeName: string; latencyMs: number; body: { data: { content: string } } } | null;
    }>('POST', '/interaction', {
      type: 'command',
      name: 'echo',
      options: { text: 'x' },
      shardId: 1,
      waitMs: 5000,
    });
    expect(status).toBe(200);
    expect(body.shardId).toBe(1);
    expect(body.callback?.callbackTypeName).toBe('reply');
    expect(body.callback?.body.data.content).toBe('pong x');
    const record = await control<{ id: string; callback: unknown }>('GET', `/interactions/${body.id}`);
    expect(record.body.callback).not.toBeNull();
  });

  it('POST /_sim/message sends a prefix command', async () => {
    const received = once(client, Events.MessageCreate);
    const { status } = await control('POST', '/message', { content: '!help', shardId: 0 });
    expect(status).toBe(200);
    const [m] = (await received) as [Message];
    expect(m.content).toBe('!help');
  });

  it('POST /_sim/dispatch and /_sim/garbage', async () => {
    const raw: string[] = [];
    const listener = (p: { t: string | null }) => {
      if (p.t) raw.push(p.t);
    };
    client.on(Events.Raw, listener);
    expect((await control('POST', '/dispatch', { shardId: 0, t: 'CUSTOM_EVENT', d: { a: 1 } })).status).toBe(
      200,
    );
    expect((await control('POST', '/garbage', { shardId: 1, kind: 'unknownEvent' })).status).toBe(200);
    await until(() => raw.includes('CUSTOM_EVENT') && raw.includes('ARGUS_SIM_UNKNOWN_EVENT'), 5000);
    client.off(Events.Raw, listener);
  });

  it('POST /_sim/blast waits until sent', async () => {
    let typing = 0;
    const listener = (p: { t: string | null }) => {
      if (p.t === 'TYPING_START') typing++;
    };
    client.on(Events.Raw, listener);
    const { body } = await control<{ sent: number }>('POST', '/blast', {
      shardId: 1,
      count: 1000,
      event: 'TYPING_START',
    });
    expect(body.sent).toBe(1000);
    await until(() => typing === 1000, 10_000);
    client.off(Events.Raw, listener);
  });

  it('POST /_sim/ratelimit, /_sim/status, /_sim/latency, /_sim/faults/clear', async () => {
    const channel = client.channels.cache.get(sim.guilds[0]?.channels[0]?.id ?? '');
    if (!channel?.isSendable()) throw new Error('no channel');
    const limited = once(client.rest, 'rateLimited');
    expect((await control('POST', '/ratelimit', { route: '/messages$', retryAfter: 0.2 })).status).toBe(200);
    await channel.send('limited');
    await limited;
    await control('POST', '/status', { route: '/messages$', status: 403 });
    await expect(channel.send('forbidden')).rejects.toMatchObject({ status: 403 });
    await control('POST', '/status', { route: '/messages$', status: 403, count: 3 });
    await control('POST', '/faults/clear');
    await control('POST', '/latency', { route: '/messages$', delayMs: 200 });
    const started = Date.now();
    await channel.send('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it('POST /_sim/disconnect, /_sim/invalidate, /_sim/reconnect, /_sim/heartbeat, /_sim/outage', async () => {
    let resumed = once(client, Events.ShardResume);
    await control('POST', '/disconnect', { shardId: 1, code: 4000 });
    expect((await resumed)[0]).toBe(1);
    resumed = once(client, Events.ShardResume);
    await control('POST', '/reconnect', { shardId: 0 });
    expect((await resumed)[0]).toBe(0);
    const ready = once(client, Events.ShardReady);
    await control('POST', '/invalidate', { shardId: 1, resumable: false });
    expect((await ready)[0]).toBe(1);
    await until(() => sim.isShardConnected(1), 5000);
    await control('POST', '/heartbeat', { shardId: 0, ackDelayMs: 40 });
    expect(sim.stats().shards[0]?.ackDelayMs).toBe(40);
    resumed = once(client, Events.ShardResume);
    const { body } = await control<{ until: number }>('POST', '/outage', { shardId: 0, ms: 300 });
    expect(body.until).toBeGreaterThan(Date.now());
    expect((await resumed)[0]).toBe(0);
  });

  it('POST /_sim/scenario starts a named scenario; /_sim/scenario/stop reports it', async () => {
    const counts = attachDemoBot(client, 50);
    const started = await control<TrafficReport>('POST', '/scenario', { name: 'busy', rate: 100, seed: 3 });
    expect(started.status).toBe(200);
    expect(started.body.scenario).toBe('busy');
    expect(started.body.running).toBe(true);
    await until(() => sim.stats().interactions.sent > 20, 10_000);
    const progress = await control<TrafficReport>('GET', '/scenario');
    expect(progress.body.running).toBe(true);
    const stopped = await control<TrafficReport>('POST', '/scenario/stop');
    expect(stopped.body.running).toBe(false);
    expect(stopped.body.sent.total).toBeGreaterThan(0);
    await until(
      () => Object.values(counts.byMode).reduce((a, b) => a + b, 0) === stopped.body.sent.total,
      10_000,
    );
    expect(counts.byCommand).toEqual(stopped.body.sent.byCommand);
  });

  it('answers bad requests with 4xx and keeps working', async () => {
    expect((await control('POST', '/interaction', { type: 'nope' })).status).toBe(400);
    expect((await control('POST', '/interaction', { type: 'command' })).status).toBe(400);
    expect((await control('POST', '/interaction', { type: 'select', customId: 'x' })).status).toBe(400);
    expect((await control('POST', '/interaction', { type: 'command', name: 'x', guildId: '1' })).status).toBe(
      400,
    );
    expect((await control('POST', '/scenario', { name: 'unknown' })).status).toBe(400);
    expect((await control('POST', '/dispatch', { shardId: 0 })).status).toBe(400);
    expect((await control('POST', '/dispatch', { shardId: 7, t: 'X' })).status).toBe(409);
    expect((await control('GET', '/interactions/123')).status).toBe(404);
    expect((await control('GET', '/nothing')).status).toBe(404);
    const bad = await fetch(`${sim.controlUrl}/message`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    // Still alive:
    const received = once(client, Events.InteractionCreate);
    await control('POST', '/interaction', { type: 'command', name: 'ping' });
    const [i] = (await received) as [ChatInputCommandInteraction];
    expect(i.commandName).toBe('ping');
  });
});
