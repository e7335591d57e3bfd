import { describe, expect, it } from 'vitest';
import { modeOfCustomId, modeOfOption, parsePrefixCommand, shardOf, startDiscordSim } from '../src/index.js';
import { FaultQueue } from '../src/internal/faults.js';
import { guildId, SnowflakeGenerator, seededRandom } from '../src/internal/ids.js';

describe('ids', () => {
  it('guild ids land on shard index % shardCount for any shard count', () => {
    for (const count of [1, 2, 3, 5, 16]) {
      for (let i = 0; i < 40; i++) expect(shardOf(guildId(i, count), count)).toBe(i % count);
    }
  });

  it('live snowflakes are unique and increasing, even thousands per millisecond', () => {
    const gen = new SnowflakeGenerator();
    let last = 0n;
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = gen.next();
      expect(BigInt(id) > last).toBe(true);
      last = BigInt(id);
      seen.add(id);
    }
    expect(seen.size).toBe(20_000);
  });

  it('seeded random is reproducible', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('the same options give the same fixture ids', async () => {
    const a = await startDiscordSim({ shardCount: 2, guildCount: 3 });
    const b = await startDiscordSim({ shardCount: 2, guildCount: 3 });
    try {
      expect(b.guilds).toEqual(a.guilds);
      expect(b.users).toEqual(a.users);
      expect(b.applicationId).toBe(a.applicationId);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('mode conventions', () => {
  it('reads modes from options, custom ids and prefix commands', () => {
    expect(modeOfOption('error')).toBe('error');
    expect(modeOfOption(null)).toBe('ok');
    expect(modeOfOption('weird')).toBe('ok');
    expect(modeOfCustomId('confirm')).toEqual({ base: 'confirm', mode: 'ok' });
    expect(modeOfCustomId('confirm:slow')).toEqual({ base: 'confirm', mode: 'slow' });
    expect(modeOfCustomId('page:2')).toEqual({ base: 'page:2', mode: 'ok' });
    expect(parsePrefixCommand('!ping')).toEqual({ name: 'ping', args: [], mode: 'ok' });
    expect(parsePrefixCommand('!Echo hi there --mode=ignore')).toEqual({
      name: 'echo',
      args: ['hi', 'there'],
      mode: 'ignore',
    });
    expect(parsePrefixCommand('hello')).toBeNull();
    expect(parsePrefixCommand('?ping', '?')?.name).toBe('ping');
  });
});

describe('fault queue', () => {
  it('matches method and route, consumes counts in order, and builds discord.js-ready 429s', () => {
    const q = new FaultQueue();
    const a = q.add('status', { method: 'post', route: '/messages$', status: 403, count: 2 });
    q.add('rateLimit', { route: /^\/channels\//, retryAfter: 2.5 });
    expect(q.takeResponse('GET', '/channels/1/messages', '/channels/:id/messages')?.status).toBe(429);
    expect(q.takeResponse('POST', '/channels/1/messages', '/channels/:id/messages')?.status).toBe(403);
    expect(a.remaining).toBe(1);
    expect(q.takeResponse('POST', '/channels/1/messages', '/channels/:id/messages')?.status).toBe(403);
    expect(q.takeResponse('POST', '/channels/1/messages', '/channels/:id/messages')).toBeNull();
    expect(q.size).toBe(0);

    q.add('rateLimit', { retryAfter: 1, global: true });
    const global = q.takeResponse('POST', '/x', '/x');
    expect(global?.headers).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-global': 'true',
      'x-ratelimit-scope': 'global',
    });
    expect(global?.body).toMatchObject({ retry_after: 1, global: true });
    q.add('rateLimit', { bare: true, retryAfter: 3 });
    expect(q.takeResponse('POST', '/x', '/x')?.headers).toEqual({ 'retry-after': '3' });
    q.add('latency', { delayMs: 50, count: 2 });
    q.add('latency', { delayMs: 20, route: '^/y' });
    expect(q.takeDelay('GET', '/y')).toBe(70);
    expect(q.takeDelay('GET', '/y')).toBe(50);
    expect(q.takeDelay('GET', '/y')).toBe(0);
  });
});

describe('options', () => {
  it('rejects invalid options with an error naming the option', async () => {
    await expect(startDiscordSim({ shardCount: 0 })).rejects.toThrow(/'shardCount'/);
    await expect(startDiscordSim({ guildCount: 1.5 })).rejects.toThrow(/'guildCount'/);
    await expect(startDiscordSim({ token: '' })).rejects.toThrow(/'token'/);
    const sim = await startDiscordSim();
    try {
      expect(() => sim.injectStatus({ status: 42 })).toThrow(RangeError);
      expect(() => sim.sendInteraction({ type: 'command', name: 'ping' })).toThrow(/no gateway session/);
    } finally {
      await sim.close();
    }
  });

  it('close() is idempotent and frees the port', async () => {
    const sim = await startDiscordSim();
    const port = sim.port;
    await Promise.all([sim.close(), sim.close()]);
    const again = await startDiscordSim({ port });
    expect(again.port).toBe(port);
    await again.close();
  });
});
