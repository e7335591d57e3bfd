// The webhook notifier against the simulator's incoming-webhook route (Discord's execute route
// with its per-webhook rate-limit headers): exact payloads, rate limits honoured, 429 and 404.
import { type DiscordSim, startDiscordSim } from '@argus/discord-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordWebhookNotifier, type NotificationResult } from '../src/discord-webhook';
import type { AlertState, AlertTransition } from '../src/evaluator';

let sim: DiscordSim;
let notifier: DiscordWebhookNotifier | undefined;

beforeEach(async () => {
  sim = await startDiscordSim({ shardCount: 1, guildCount: 1 });
});
afterEach(async () => {
  notifier?.close();
  notifier = undefined;
  await sim.close();
});

const AT = Date.UTC(2026, 0, 1, 12);

function shardDown(shard: string, status: AlertState['status'] = 'firing'): AlertState {
  return {
    alert: 'DiscordShardDown',
    labels: { alertname: 'DiscordShardDown', cluster: 'default', severity: 'critical', shard },
    status,
    severity: 'critical',
    value: 0,
    activeAt: AT - 120_000,
    firedAt: AT,
    ...(status === 'resolved' ? { resolvedAt: AT + 60_000 } : {}),
    summary: `Shard ${shard} is down on default`,
    description: `Shard ${shard} of cluster default has had no ready gateway connection for 2 minutes.`,
    runbook: 'Check the Gateway board.',
  };
}

function start(url: string, extra: Partial<ConstructorParameters<typeof DiscordWebhookNotifier>[0]> = {}) {
  const results: NotificationResult[] = [];
  const errors: string[] = [];
  notifier = new DiscordWebhookNotifier({
    webhookUrl: url,
    dashboardUrl: 'http://bot.example:9464/',
    minGapMs: 0,
    onResult: (r) => results.push(r),
    onError: (m) => errors.push(m),
    ...extra,
  });
  return { notifier, results, errors };
}

describe('DiscordWebhookNotifier', () => {
  it('posts one embed per alert firing and resolving, with no token and no mention', async () => {
    const hook = sim.createWebhook();
    const { notifier, results } = start(hook.url);
    const firing: AlertTransition = { kind: 'firing', alert: shardDown('0') };
    notifier.notify([firing], [firing.alert], AT);
    // The same alert firing again (a second evaluation) is not announced twice.
    notifier.notify([firing], [firing.alert], AT + 15_000);
    notifier.notify([{ kind: 'resolved', alert: shardDown('0', 'resolved') }], [], AT + 60_000);
    await notifier.flush();
    expect(results).toEqual(['sent', 'sent']);
    const bodies = sim.webhookMessages(hook.id).map((m) => m.body);
    expect(JSON.stringify(bodies)).not.toContain(hook.token);
    expect(bodies).toMatchInlineSnapshot(`
      [
        {
          "allowed_mentions": {
            "parse": [],
          },
          "embeds": [
            {
              "color": 15158332,
              "description": "Shard 0 of cluster default has had no ready gateway connection for 2 minutes.",
              "fields": [
                {
                  "inline": true,
                  "name": "Alert",
                  "value": "DiscordShardDown",
                },
                {
                  "inline": true,
                  "name": "Severity",
                  "value": "critical",
                },
                {
                  "inline": true,
                  "name": "Value",
                  "value": "0",
                },
                {
                  "name": "Labels",
                  "value": "\`cluster=default\` \`shard=0\`",
                },
                {
                  "name": "Runbook",
                  "value": "Check the Gateway board.",
                },
              ],
              "footer": {
                "text": "Argus alerts",
              },
              "timestamp": "2026-01-01T12:00:00.000Z",
              "title": "FIRING · Shard 0 is down on default",
              "url": "http://bot.example:9464/",
            },
          ],
          "username": "Argus",
        },
        {
          "allowed_mentions": {
            "parse": [],
          },
          "embeds": [
            {
              "color": 3066993,
              "description": "Shard 0 of cluster default has had no ready gateway connection for 2 minutes.",
              "fields": [
                {
                  "inline": true,
                  "name": "Alert",
                  "value": "DiscordShardDown",
                },
                {
                  "inline": true,
                  "name": "Severity",
                  "value": "critical",
                },
                {
                  "inline": true,
                  "name": "Last value",
                  "value": "0",
                },
                {
                  "name": "Labels",
                  "value": "\`cluster=default\` \`shard=0\`",
                },
              ],
              "footer": {
                "text": "Argus alerts",
              },
              "timestamp": "2026-01-01T12:01:00.000Z",
              "title": "RESOLVED · Shard 0 is down on default",
              "url": "http://bot.example:9464/",
            },
          ],
          "username": "Argus",
        },
      ]
    `);
  });

  it("stays under the webhook's own rate limit however fast alerts come", async () => {
    const hook = sim.createWebhook();
    const { notifier, results } = start(hook.url);
    for (let i = 0; i < 12; i++) {
      const t: AlertTransition = { kind: 'firing', alert: shardDown(String(i)) };
      notifier.notify([t], [t.alert], AT);
    }
    await notifier.flush();
    const received = sim.webhookMessages(hook.id);
    expect(received).toHaveLength(12);
    expect(results.filter((r) => r === 'sent')).toHaveLength(12);
    // discord.js' REST client read the x-ratelimit headers and waited: the webhook never said 429.
    expect(sim.webhookRateLimited).toBe(0);
    for (let i = 5; i < received.length; i++) {
      expect((received[i]?.receivedAt ?? 0) - (received[i - 5]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(
        1900,
      );
    }
  }, 20_000);

  it('waits out a 429 and delivers, counting the rate limit', async () => {
    const hook = sim.createWebhook();
    const { notifier, results } = start(hook.url);
    sim.injectRateLimit({ route: '^/webhooks/', count: 1, retryAfter: 1 });
    const t: AlertTransition = { kind: 'firing', alert: shardDown('0') };
    notifier.notify([t], [t.alert], AT);
    await notifier.flush();
    expect(results).toEqual(['rate_limited', 'sent']);
    expect(sim.webhookMessages(hook.id)).toHaveLength(1);
  }, 10_000);

  it('stops after a 404 (deleted webhook), says so once without the token, and drops the rest', async () => {
    const hook = sim.createWebhook();
    const { notifier, results, errors } = start(hook.url);
    sim.deleteWebhook(hook.id);
    for (let i = 0; i < 3; i++) {
      const t: AlertTransition = { kind: 'firing', alert: shardDown(String(i)) };
      notifier.notify([t], [t.alert], AT);
    }
    await notifier.flush();
    expect(results).toEqual(['gone', 'dropped', 'dropped']);
    expect(errors).toEqual([
      'the alert webhook returned 404 (deleted?): alert notifications stop until restart',
    ]);
    const t: AlertTransition = { kind: 'firing', alert: shardDown('9') };
    notifier.notify([t], [t.alert], AT);
    await notifier.flush();
    expect(results).toHaveLength(3);
  });

  it('counts a failing webhook and never throws into the caller', async () => {
    const { notifier, results, errors } = start('http://127.0.0.1:9/api/webhooks/1/secret-token', {
      timeoutMs: 2000,
    });
    const t: AlertTransition = { kind: 'firing', alert: shardDown('0') };
    expect(() => notifier.notify([t], [t.alert], AT)).not.toThrow();
    await notifier.flush();
    expect(results).toEqual(['failed']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('secret-token');
  }, 10_000);

  it('sends one digest when many alerts change at once, and repeats what stays firing', async () => {
    const hook = sim.createWebhook();
    const { notifier } = start(hook.url, { repeatIntervalMs: 3_600_000 });
    const many = Array.from(
      { length: 15 },
      (_, i): AlertTransition => ({ kind: 'firing', alert: shardDown(String(i)) }),
    );
    const active = many.map((t) => t.alert);
    notifier.notify(many, active, AT);
    notifier.notify([], active.slice(0, 1), AT + 1_800_000);
    notifier.notify([], active.slice(0, 1), AT + 3_600_000);
    await notifier.flush();
    const bodies = sim
      .webhookMessages(hook.id)
      .map((m) => m.body as { embeds: { title: string; description?: string }[] });
    expect(bodies.map((b) => b.embeds.map((e) => e.title))).toEqual([
      ['15 alerts changed: 15 firing, 0 resolved'],
      ['STILL FIRING · Shard 0 is down on default'],
    ]);
    expect(bodies[0]?.embeds[0]?.description?.split('\n')).toHaveLength(15);
  });

  it('rejects a URL that is not a webhook, naming the option but not echoing the token', () => {
    expect(
      () => new DiscordWebhookNotifier({ webhookUrl: 'https://discord.com/api/channels/1/very-secret' }),
    ).toThrow(
      'alertWebhookUrl must be a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token> (host discord.com)',
    );
  });
});
