// The example bot's memory bounds, on a real discord.js Client logged into the simulator: after
// more prefix-command traffic than a channel may keep, its message cache holds no more than the
// limit, and the message sweeper is armed.
import { once } from 'node:events';
import { type ChannelMessageEvent, type DiscordSim, startDiscordSim } from '@argus/discord-sim';
import { Events, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_LIMITS, createExampleBot, type ExampleBot } from './bot';

let sim: DiscordSim;
let bot: ExampleBot;

beforeAll(async () => {
  sim = await startDiscordSim({ heartbeatIntervalMs: 300, shardCount: 1, guildCount: 1 });
  bot = createExampleBot(
    {
      rest: { api: sim.apiUrl },
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    },
    { host: '127.0.0.1', port: 0, env: {} },
  );
  const ready = once(bot.client, Events.ClientReady);
  await bot.client.login(sim.token);
  await ready;
});

afterAll(async () => {
  await bot?.stop();
  await sim?.close();
});

describe('the example bot keeps its caches bounded', () => {
  it('keeps at most the configured messages per channel after heavy prefix traffic', async () => {
    const guild = sim.guilds[0]!;
    const channelId = guild.channels[0]!.id;
    const commands = 3 * CACHE_LIMITS.messagesPerChannel;
    let replies = 0;
    const allReplied = new Promise<void>((resolve) => {
      sim.on('channelMessage', (m: ChannelMessageEvent) => {
        if (m.channelId === channelId && ++replies === commands) resolve();
      });
    });
    for (let i = 0; i < commands; i++) sim.sendMessage({ guildId: guild.id, channelId, content: '!ping' });
    await allReplied;

    // Each command and its reply went through the cache; only the newest stay.
    const channel = bot.client.channels.cache.get(channelId) as TextChannel;
    expect(channel.messages.cache.size).toBe(CACHE_LIMITS.messagesPerChannel);
    const total = bot.client.channels.cache.reduce(
      (sum, c) => sum + ('messages' in c ? c.messages.cache.size : 0),
      0,
    );
    expect(total).toBe(CACHE_LIMITS.messagesPerChannel);
  });

  it('sweeps old messages on the configured interval', () => {
    expect(bot.client.options.sweepers?.messages).toEqual({
      interval: CACHE_LIMITS.messageSweepIntervalSeconds,
      lifetime: CACHE_LIMITS.messageLifetimeSeconds,
    });
    expect(bot.client.sweepers.intervals.messages).not.toBeNull();
  });
});
