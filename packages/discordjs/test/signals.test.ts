// End to end: a real discord.js 14 Client on the Discord simulator with Argus attached. Every
// value asserted here was produced by real gateway traffic, REST calls and handler runs.
import { until } from '@argus/test-services';
import { Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposition, type Running, startBot } from './harness';

const GUILDS = 6;
const CLUSTER = { cluster: 'e2e' };
let bot: Running;

beforeAll(async () => {
  bot = await startBot(
    { shardCount: 2, guildCount: GUILDS, emojisPerGuild: 3, stickersPerGuild: 2, ackDelayMs: [20, 150] },
    { clusterId: 'e2e' },
  );
});
afterAll(async () => {
  await bot?.stop();
});

async function delta(
  read: (e: Exposition) => number,
  act: () => Promise<unknown>,
  until_: (d: number) => boolean,
) {
  const before = read(await bot.scrape());
  await act();
  let now = 0;
  await until(
    async () => {
      now = read(await bot.scrape()) - before;
      return until_(now);
    },
    15_000,
    'the metric to move',
  );
  return now;
}

describe('interactions', () => {
  it('counts interactions by type and times every initial response', async () => {
    const appCommands = (e: Exposition) =>
      e.value('discord_interactions_total', {
        type: 'application_command',
        status: 'received',
        ...CLUSTER,
      }) ?? 0;
    const sent = [1, 2, 3, 4, 5].map(() => bot.sim.sendInteraction({ type: 'command', name: 'ping' }));
    const button = bot.sim.sendInteraction({ type: 'button', customId: 'confirm' });
    await Promise.all([...sent.map((s) => s.callback), button.callback]);
    const e = await until(async () => {
      const x = await bot.scrape();
      return appCommands(x) >= 5 &&
        (x.value('discord_interaction_response_seconds_count', { command: 'ping' }) ?? 0) >= 5
        ? x
        : undefined;
    });
    expect(appCommands(e)).toBe(5);
    expect(e.value('discord_interactions_total', { type: 'component', status: 'received' })).toBe(1);
    expect(
      e.value('discord_interaction_response_seconds_count', { type: 'application_command', command: 'ping' }),
    ).toBe(5);
    expect(
      e.value('discord_interaction_response_seconds_count', { type: 'component', command: 'none' }),
    ).toBe(1);
    // Loopback replies: every response lands well inside Discord's 3 s deadline.
    expect(e.value('discord_interaction_response_seconds_bucket', { command: 'ping', le: '3' })).toBe(5);
  });

  it('measures receipt to response matching a handler delay', async () => {
    const sent = [1, 2, 3].map(() => bot.sim.sendInteraction({ type: 'command', name: 'delayed' }));
    const callbacks = await Promise.all(sent.map((s) => s.callback));
    const e = await until(async () => {
      const x = await bot.scrape();
      return (x.value('discord_interaction_response_seconds_count', { command: 'delayed' }) ?? 0) >= 3
        ? x
        : undefined;
    });
    const mean =
      e.value('discord_interaction_response_seconds_sum', { command: 'delayed' })! /
      e.value('discord_interaction_response_seconds_count', { command: 'delayed' })!;
    // The handler sleeps 400 ms; the sim's own view of the same latency bounds Argus' figure.
    const simMean = callbacks.reduce((a, c) => a + c.latencyMs, 0) / callbacks.length / 1000;
    expect(mean).toBeGreaterThanOrEqual(0.39);
    expect(mean).toBeLessThanOrEqual(simMean + 0.05);
    expect(e.value('discord_interaction_response_seconds_bucket', { command: 'delayed', le: '0.25' })).toBe(
      0,
    );
  });

  it('counts interactions left unanswered past 3 s, and still times a late answer', async () => {
    const ignored = bot.sim.sendInteraction({ type: 'command', name: 'ignore' });
    const slow = bot.sim.sendInteraction({ type: 'command', name: 'slow' });
    await slow.callback;
    const e = await until(async () => {
      const x = await bot.scrape();
      return (x.value('discord_interactions_unanswered_total', { command: 'ignore' }) ?? 0) >= 1 &&
        (x.value('discord_interaction_response_seconds_count', { command: 'slow' }) ?? 0) >= 1
        ? x
        : undefined;
    }, 15_000);
    expect(ignored.id).toBeTruthy();
    expect(
      e.value('discord_interactions_unanswered_total', { type: 'application_command', command: 'ignore' }),
    ).toBe(1);
    expect(e.value('discord_interactions_unanswered_total', { command: 'slow' })).toBe(1);
    expect(e.value('discord_interaction_response_seconds_bucket', { command: 'slow', le: '3' })).toBe(0);
    expect(e.value('discord_interaction_response_seconds_bucket', { command: 'slow', le: '5' })).toBe(1);
    expect(e.value('discord_interactions_unanswered_total', { command: 'ping' })).toBeUndefined();
  });

  it('records command outcomes, durations and error types through the wrapper', async () => {
    const fail = bot.sim.sendInteraction({ type: 'command', name: 'fail' });
    const defer = bot.sim.sendInteraction({ type: 'command', name: 'defer' });
    await defer.callback;
    const e = await until(async () => {
      const x = await bot.scrape();
      return (x.value('discord_app_commands_total', { command: 'fail', status: 'error' }) ?? 0) >= 1 &&
        (x.value('discord_app_commands_total', { command: 'defer', status: 'success' }) ?? 0) >= 1
        ? x
        : undefined;
    });
    expect(fail.id).toBeTruthy();
    expect(e.value('discord_command_errors_total', { command: 'fail', error_type: 'PlannedFailure' })).toBe(
      1,
    );
    expect(e.value('discord_app_commands_total', { command: 'ping', status: 'success' })).toBe(5);
    expect(e.value('discord_app_command_duration_seconds_count', { command: 'ping' })).toBe(5);
    // Failed commands record no duration (argus-dpy's rule), successful ones do.
    expect(e.value('discord_app_command_duration_seconds_count', { command: 'fail' })).toBeUndefined();
    expect(e.value('discord_app_command_duration_seconds_count', { command: 'defer' })).toBe(1);
  });

  it('records prefix commands through the same wrapper', async () => {
    const replies: string[] = [];
    const onMessage = (m: { content?: string }) => replies.push(String(m.content));
    bot.sim.on('channelMessage', onMessage as never);
    const n = await delta(
      (e) => e.value('discord_commands_total', { command: 'ping', status: 'success' }) ?? 0,
      async () => bot.sim.sendMessage({ content: '!ping' }),
      (d) => d >= 1,
    );
    bot.sim.off('channelMessage', onMessage as never);
    expect(n).toBe(1);
    const e = await bot.scrape();
    expect(e.value('discord_command_duration_seconds_count', { command: 'ping' })).toBe(1);
  });
});

describe('labels', () => {
  it('puts the cluster label on every sample, process and Node.js metrics included', async () => {
    const e = await bot.scrape();
    const samples = e.text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.filter((l) => l.startsWith('process_') || l.startsWith('nodejs_')).length).toBeGreaterThan(
      20,
    );
    expect(samples.filter((l) => !l.includes('cluster="e2e"'))).toEqual([]);
  });
});

describe('gateway and shards', () => {
  it('counts every dispatch by type', async () => {
    const e0 = await bot.scrape();
    expect(e0.value('discord_gateway_events_total', { event: 'GUILD_CREATE' })).toBe(GUILDS);
    expect(e0.value('discord_gateway_events_total', { event: 'READY' })).toBe(2);
    const n = await delta(
      (e) => e.value('discord_gateway_events_total', { event: 'TYPING_START' }) ?? 0,
      () => bot.sim.blast({ shardId: 1, count: 2_000, event: 'TYPING_START' }),
      (d) => d >= 2_000,
    );
    expect(n).toBe(2_000);
  });

  it('reads shard latency, status and cache sizes at scrape time', async () => {
    const e = await until(async () => {
      const x = await bot.scrape();
      return (x.value('discord_shard_latency_seconds', { shard: '1' }) ?? 0) > 0.1 ? x : undefined;
    }, 15_000);
    const s0 = e.value('discord_shard_latency_seconds', { shard: '0' })!;
    const s1 = e.value('discord_shard_latency_seconds', { shard: '1' })!;
    expect(s0).toBeGreaterThanOrEqual(0.015);
    expect(s0).toBeLessThan(s1);
    expect(s1).toBeGreaterThanOrEqual(0.14);
    expect(e.value('discord_shard_up', { shard: '0', ...CLUSTER })).toBe(1);
    expect(e.value('discord_shards_connected')).toBe(2);
    expect(e.value('discord_shards_configured')).toBe(2);
    expect(e.value('discord_guilds')).toBe(GUILDS);
    expect(e.value('discord_channels')).toBe(bot.client.channels.cache.size);
    expect(e.value('discord_channels')).toBeGreaterThan(GUILDS);
    expect(e.value('discord_emojis')).toBe(GUILDS * 3);
    expect(e.value('discord_stickers')).toBe(GUILDS * 2);
    expect(e.value('argus_subsystem_up', { subsystem: 'server' })).toBe(1);
    expect(e.value('argus_up')).toBe(1);
    expect(e.text).toMatch(
      /discord_bot_info\{discordjs_version="14\.\d+\.\d+",argus_version="[^"]+",node_version="[^"]+",cluster="e2e"\} 1/,
    );
    expect(e.value('discord_event_loop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts a shard disconnect and its resume, not the reconnect storm of destroy()', async () => {
    const resumed = new Promise((r) => bot.client.once(Events.ShardResume, r));
    bot.sim.disconnect(0, 4000);
    await resumed;
    const e = await until(async () => {
      const x = await bot.scrape();
      return (x.value('discord_shard_reconnects_total', { shard: '0' }) ?? 0) >= 1 ? x : undefined;
    });
    expect(e.value('discord_shard_disconnects_total', { shard: '0' })).toBe(1);
    expect(e.value('discord_shard_reconnects_total', { shard: '0' })).toBe(1);
    expect(e.value('discord_shard_disconnects_total', { shard: '1' })).toBeUndefined();
  });
});

describe('REST', () => {
  it('counts rate limits by scope, method and route template', async () => {
    bot.sim.injectRateLimit({ method: 'POST', route: '^/channels/\\d+/messages', retryAfter: 0.2, count: 1 });
    bot.sim.sendMessage({ content: '!ping' });
    bot.sim.sendMessage({ content: '!ping' });
    const e = await until(async () => {
      const x = await bot.scrape();
      return x.sum('discord_ratelimits_total') >= 1 ? x : undefined;
    });
    expect(
      e.value('discord_ratelimits_total', { scope: 'user', method: 'POST', route: '/channels/:id/messages' }),
    ).toBe(1);
    expect(e.value('discord_rest_invalid_requests_total', { status: '429' })).toBeGreaterThanOrEqual(1);
  });

  it('counts responses by status class and invalid requests by status', async () => {
    bot.sim.injectStatus({ method: 'POST', route: '^/channels/\\d+/messages', status: 403, count: 1 });
    const n = await delta(
      (e) => e.value('discord_rest_invalid_requests_total', { status: '403' }) ?? 0,
      async () => bot.sim.sendMessage({ content: '!ping' }),
      (d) => d >= 1,
    );
    expect(n).toBe(1);
    const e = await bot.scrape();
    expect(
      e.value('discord_rest_responses_total', {
        method: 'POST',
        route: '/channels/:id/messages',
        status_class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      e.value('discord_rest_responses_total', {
        method: 'POST',
        route: '/interactions/:id/:token/callback',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(5);
  });

  it('times REST requests through undici diagnostics channels', async () => {
    const e = await bot.scrape();
    expect(
      e.value('discord_rest_request_duration_seconds_count', {
        method: 'POST',
        route: '/interactions/:id/:token/callback',
      }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      e.value('discord_rest_request_duration_seconds_count', { method: 'GET', route: '/gateway/bot' }),
    ).toBe(1);
  });

  it('never puts an id on a label', async () => {
    const e = await bot.scrape();
    expect(e.text).not.toMatch(/guild_id|user_id|channel_id|interaction_id|custom_id|message_id/);
    const ids = [
      ...bot.sim.guilds.map((g) => g.id),
      ...bot.sim.guilds.flatMap((g) => g.channels.map((c) => c.id)),
    ];
    for (const id of ids) expect(e.text).not.toContain(id);
  });
});
