// Issue 13 on a real discord.js Client and the simulator: argus() evaluates the shipped alert
// rules in the bot, posts to a Discord webhook (the simulator's execute route) through its own
// REST client, serves /api/alerts, and digests command errors; the bot's REST metrics never count
// the webhook. A second evaluator over the same registry, fed with a clock that steps 15 s per
// tick, takes a shard outage through pending, firing and resolved without waiting minutes.
import { AlertEvaluator, type AlertTransition } from '@argus/alerts';
import { type DiscordSim, startDiscordSim } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Argus, argus } from '../src/index';
import { Exposition, installBot } from './harness';

const TOKEN = 'alerts-dashboard-token';
let sim: DiscordSim;
let client: Client;
let bot: Argus;
let url: string;
let hook: { id: string; token: string; url: string };

beforeAll(async () => {
  sim = await startDiscordSim({ heartbeatIntervalMs: 300, shardCount: 1, guildCount: 1 });
  hook = sim.createWebhook();
  client = makeClient(sim, { shards: 'auto' });
  bot = argus(client, {
    host: '127.0.0.1',
    port: 0,
    env: {},
    alertWebhookUrl: hook.url,
    alertInterval: 1,
    errorDigestInterval: 10,
    alertDashboardUrl: 'http://bot.example/',
    dashboardAuthToken: TOKEN,
  });
  installBot(client, bot);
  await loginReady(client, sim.token);
  const server = await bot.server;
  if (!server) throw new Error('the Argus server did not start');
  url = server.url;
}, 30_000);

afterAll(async () => {
  await bot?.close();
  await client?.destroy();
  await sim?.close();
});

async function alertsView() {
  const res = await fetch(`${url}/api/alerts`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    active: { alert: string; status: string }[];
    webhook: boolean;
    skipped: unknown[];
  };
}

type Embeds = { embeds: { title: string; description?: string }[] };

describe('alerts in a real bot', () => {
  it('fires on a global rate limit, posts it to the webhook, and the bot never counts that post', async () => {
    expect(await alertsView()).toMatchObject({ active: [], webhook: true });
    expect((await fetch(`${url}/api/alerts`)).status).toBe(401);
    // Two global rate limits on the bot's message sends, one evaluation apart: the counter's
    // increase over 5 minutes is above 0, and the rule's `for` is 0m. (discord.js reports a limit
    // when a request has to wait for it: hence two sends at once.)
    const globalLimits = async () =>
      new Exposition(await (await fetch(`${url}/metrics`)).text()).sum('discord_ratelimits_total', {
        scope: 'global',
      });
    for (let i = 1; i <= 2; i++) {
      sim.injectRateLimit({
        global: true,
        method: 'POST',
        route: '^/channels/\\d+/messages',
        retryAfter: 0.2,
        count: 1,
      });
      sim.sendMessage({ content: '!ping' });
      sim.sendMessage({ content: '!ping' });
      await until(async () => (await globalLimits()) >= i, 10_000, `global rate limit ${i}`);
      await new Promise((r) => setTimeout(r, 1200));
    }
    await until(
      async () =>
        (await alertsView()).active.find(
          (a) => a.alert === 'DiscordGlobalRateLimited' && a.status === 'firing',
        ),
      15_000,
      'DiscordGlobalRateLimited firing',
    );
    const posted = await until(
      () =>
        sim.webhookMessages(hook.id).find((m) => JSON.stringify(m.body).includes('Global REST rate limit')),
      15_000,
      'the webhook message',
    );
    const embed = (posted.body as unknown as Embeds).embeds[0];
    expect(embed?.title).toBe('FIRING · Global REST rate limit on default');
    expect(JSON.stringify(posted.body)).not.toContain(hook.token);

    const metrics = new Exposition(await (await fetch(`${url}/metrics`)).text());
    // The bot's own REST traffic is counted (the callbacks), the webhook post is not.
    expect(metrics.sum('discord_rest_responses_total')).toBeGreaterThan(0);
    expect(metrics.text).not.toMatch(/discord_rest_\w+\{[^}]*webhooks/);
    expect(metrics.value('argus_alert_notifications_total', { result: 'sent' })).toBeGreaterThanOrEqual(1);
  }, 40_000);

  it('digests command errors into one message with no user text', async () => {
    // The handler throws before answering: no callback to wait for.
    for (let i = 0; i < 3; i++) sim.sendInteraction({ type: 'command', name: 'fail' });
    const digest = await until(
      () => sim.webhookMessages(hook.id).find((m) => JSON.stringify(m.body).includes('command error')),
      20_000,
      'the error digest',
    );
    expect((digest.body as unknown as Embeds).embeds[0]?.description).toBe(
      '**/fail** · `PlannedFailure` × 3\n> on purpose',
    );
  }, 30_000);

  it('takes a shard outage through pending, firing and resolved (a 15 s step per tick)', async () => {
    let time = Date.now();
    const evaluator = new AlertEvaluator({
      snapshot: async () => ({ ...(await bot.snapshot()), time }),
      onError: (where, error) => {
        throw new Error(`${where}: ${String(error)}`);
      },
    });
    const seen: AlertTransition[] = [];
    const tick = async () => {
      time += 15_000;
      seen.push(...(await evaluator.tick()));
    };
    const shardUp = async () =>
      new Exposition(await (await fetch(`${url}/metrics`)).text()).value('discord_shard_up', { shard: '0' });
    await tick();
    const outage = sim.outage(0, 4000);
    await until(async () => (await shardUp()) === 0, 5000, 'shard 0 down');
    await tick();
    expect(evaluator.active().map((a) => [a.alert, a.status])).toContainEqual([
      'DiscordShardDown',
      'pending',
    ]);
    for (let i = 0; i < 8; i++) await tick();
    expect(seen.map((t) => [t.kind, t.alert.alert])).toContainEqual(['firing', 'DiscordShardDown']);
    await outage;
    await until(async () => (await shardUp()) === 1, 15_000, 'shard 0 back');
    await tick();
    expect(seen.map((t) => [t.kind, t.alert.alert])).toContainEqual(['resolved', 'DiscordShardDown']);
    expect(evaluator.active().find((a) => a.alert === 'DiscordShardDown')).toBeUndefined();
    evaluator.close();
  }, 40_000);
});

describe('a bad alert webhook option', () => {
  it('fails argus() at once, naming the option, and never echoes the token', () => {
    const other = makeClient(sim, { shards: 'auto' });
    let message = '';
    try {
      argus(other, { env: {}, port: 0, alertWebhookUrl: 'https://discord.com/api/channels/1/very-secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('alertWebhookUrl (ARGUS_ALERT_WEBHOOK_URL) must be a Discord webhook URL');
    expect(message).not.toContain('very-secret');
    // Nothing was claimed: the client can still be instrumented.
    const ok = argus(other, { env: {}, port: 0, serverStart: 'immediate', alerts: false });
    return ok.close();
  });
});
