import { once } from 'node:events';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import {
  type ChatInputCommandInteraction,
  type Client,
  DiscordAPIError,
  Events,
  type Interaction,
  type RateLimitData,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscordSim, type RestEvent, startDiscordSim } from '../src/index.js';
import { destroyAll } from './helpers.js';

let sim: DiscordSim;
let client: Client;
let channel: TextChannel;
const clients: Client[] = [];

beforeAll(async () => {
  sim = await startDiscordSim({ guildCount: 2 });
  client = makeClient(sim, { shards: [0], shardCount: 1 });
  clients.push(client);
  await loginReady(client, sim.token);
  channel = client.channels.cache.get(sim.guilds[0]?.channels[0]?.id ?? '') as TextChannel;
});

afterAll(async () => {
  await destroyAll(clients);
  await sim.close();
});

/** Collects client.rest `response` statuses for one route while `fn` runs. */
async function statusesDuring(route: RegExp, fn: () => Promise<unknown>): Promise<number[]> {
  const statuses: number[] = [];
  const listener = (request: { path: string }, response: { status: number }) => {
    if (route.test(request.path)) statuses.push(response.status);
  };
  client.rest.on('response', listener);
  try {
    await fn();
  } finally {
    client.rest.off('response', listener);
  }
  return statuses;
}

describe('injected 429s', () => {
  it('a 429 with rate-limit headers makes discord.js emit rateLimited, then the retry succeeds', async () => {
    const limited: RateLimitData[] = [];
    const onLimited = (info: RateLimitData) => limited.push(info);
    client.rest.on('rateLimited', onLimited);
    const served = sim.waitFor('rest', (e) => e.status === 429);
    const handle = sim.injectRateLimit({
      method: 'POST',
      route: '^/channels/\\d+/messages$',
      retryAfter: 0.3,
    });
    const started = Date.now();
    const message = await channel.send('after a 429');
    client.rest.off('rateLimited', onLimited);
    expect(message.content).toBe('after a 429');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(handle.remaining).toBe(0);
    expect((await served).injected).toBe('rateLimit');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({
      global: false,
      route: '/channels/:id/messages',
      scope: 'user',
      limit: 5,
    });
    expect(sim.stats().rest.rateLimited).toBeGreaterThanOrEqual(1);
  });

  it('a global 429 is reported as global', async () => {
    const limited = once(client.rest, 'rateLimited');
    sim.injectRateLimit({ route: '/messages$', retryAfter: 0.2, global: true });
    await channel.send('after a global 429');
    const [info] = (await limited) as [RateLimitData];
    expect(info.global).toBe(true);
  });

  it('a bare 429 (only Retry-After) is retried without rateLimited', async () => {
    let limitedEvents = 0;
    const onLimited = () => limitedEvents++;
    client.rest.on('rateLimited', onLimited);
    sim.injectRateLimit({ route: '/messages$', retryAfter: 0.2, bare: true });
    const statuses = await statusesDuring(/\/messages$/, () => channel.send('after a bare 429'));
    client.rest.off('rateLimited', onLimited);
    expect(statuses).toEqual([429, 200]);
    expect(limitedEvents).toBe(0);
  });

  it('a 429 on an interaction callback is retried (seen only through response events)', async () => {
    const received = once(client, Events.InteractionCreate);
    const sent = sim.sendInteraction({ type: 'command', name: 'ping' });
    const [i] = (await received) as [Interaction];
    sim.injectRateLimit({ route: '^/interactions/', retryAfter: 0.2 });
    const statuses = await statusesDuring(/callback$/, () =>
      (i as ChatInputCommandInteraction).reply('late pong'),
    );
    expect(statuses).toEqual([429, 204]);
    const cb = await sent.callback;
    expect(cb.latencyMs).toBeGreaterThanOrEqual(150);
  });
});

describe('injected error statuses', () => {
  it('403 reaches the bot as DiscordAPIError 50013 and as a 403 response event', async () => {
    sim.injectStatus({ method: 'POST', route: '/messages$', status: 403 });
    let error: unknown;
    const statuses = await statusesDuring(/\/messages$/, () =>
      channel.send('forbidden').catch((e: unknown) => {
        error = e;
      }),
    );
    expect(statuses).toEqual([403]);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50013);
    expect(sim.stats().rest.injectedStatuses).toBeGreaterThanOrEqual(1);
  });

  it('404 with a custom body, for N requests in a row', async () => {
    sim.injectStatus({
      route: '/messages$',
      status: 404,
      count: 2,
      body: { message: 'Unknown Channel', code: 10003 },
    });
    const first = await channel.send('a').catch((e: DiscordAPIError) => e);
    const second = await channel.send('b').catch((e: DiscordAPIError) => e);
    const third = await channel.send('c');
    expect((first as DiscordAPIError).code).toBe(10003);
    expect((second as DiscordAPIError).status).toBe(404);
    expect(third.content).toBe('c');
  });

  it('a 500 is retried by discord.js and the call succeeds', async () => {
    sim.injectStatus({ route: '/messages$', status: 500 });
    const statuses = await statusesDuring(/\/messages$/, () => channel.send('retried'));
    expect(statuses).toEqual([500, 200]);
  });

  it('injected latency delays the response', async () => {
    sim.injectLatency({ route: '/messages$', delayMs: 300 });
    const restEvent = sim.waitFor('rest', (e: RestEvent) => e.route === '/channels/:id/messages');
    const started = Date.now();
    await channel.send('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect((await restEvent).durationMs).toBeGreaterThanOrEqual(280);
  });

  it('cancel() and clearFaults() remove queued faults', async () => {
    const h = sim.injectStatus({ route: '/messages$', status: 403, count: 5 });
    h.cancel();
    sim.injectStatus({ route: '/messages$', status: 403, count: 5 });
    sim.clearFaults();
    expect((await channel.send('clean')).content).toBe('clean');
  });

  it('401 makes discord.js drop its token (G12), so only use it on a throw-away client', async () => {
    const throwaway = makeClient(sim, { shards: [0], shardCount: 1 });
    clients.push(throwaway);
    await loginReady(throwaway, sim.token);
    sim.injectStatus({ route: '/users/@me$', status: 401 });
    await expect(throwaway.rest.get('/users/@me')).rejects.toMatchObject({ status: 401 });
  });
});

describe('routing', () => {
  it('unknown routes are 404 {message, code: 0}; a wrong token is 401', async () => {
    const unknown = await fetch(`${sim.apiUrl}/v10/guilds/1/bans`, {
      headers: { authorization: `Bot ${sim.token}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    const notApi = await fetch(`${sim.url}/nothing`);
    expect(notApi.status).toBe(404);
    const wrong = await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(wrong.status).toBe(401);
    const me = await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${sim.token}` } });
    expect(((await me.json()) as { id: string }).id).toBe(sim.applicationId);
    const gw = await fetch(`${sim.apiUrl}/v10/gateway`);
    expect(((await gw.json()) as { url: string }).url).toBe(sim.gatewayUrl);
  });

  it('callbacks for unknown interactions get 10062', async () => {
    const res = await fetch(`${sim.apiUrl}/v10/interactions/1/nope/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'x' } }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: number }).code).toBe(10062);
  });

  it('application fetch works', async () => {
    const app = await client.application?.fetch();
    expect(app?.id).toBe(sim.applicationId);
  });
});

describe('interaction deadline', () => {
  it('with interactionDeadlineMs, a late initial response gets 10062 like on Discord', async () => {
    const strict = await startDiscordSim({ interactionDeadlineMs: 150 });
    const bot = makeClient(strict, { shards: [0], shardCount: 1 });
    clients.push(bot);
    try {
      await loginReady(bot, strict.token);
      const received = once(bot, Events.InteractionCreate);
      const sent = strict.sendInteraction({ type: 'command', name: 'slow' });
      const [i] = (await received) as [ChatInputCommandInteraction];
      await new Promise((r) => setTimeout(r, 300));
      await expect(i.reply('too late')).rejects.toMatchObject({ code: 10062, status: 404 });
      expect(strict.interaction(sent.id)?.callback).toBeNull();
      expect(strict.stats().interactions.unknown).toBe(1);
    } finally {
      await bot.destroy();
      await strict.close();
    }
  });
});
