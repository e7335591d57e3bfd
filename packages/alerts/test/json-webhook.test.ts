// The Alertmanager-shaped JSON webhook against a real local HTTP server.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationResult } from '../src/discord-webhook';
import type { AlertState } from '../src/evaluator';
import { JsonWebhookNotifier } from '../src/json-webhook';

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

async function receiver(status: number): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

const AT = Date.UTC(2026, 0, 1, 12);
const alert: AlertState = {
  alert: 'DiscordShardDown',
  labels: { alertname: 'DiscordShardDown', cluster: 'default', severity: 'critical', shard: '0' },
  status: 'firing',
  severity: 'critical',
  value: 0,
  activeAt: AT - 120_000,
  firedAt: AT,
  summary: 'Shard 0 is down on default',
  description: 'No ready gateway connection for 2 minutes.',
  runbook: 'Check the Gateway board.',
};

describe('JsonWebhookNotifier', () => {
  it("posts Alertmanager's webhook payload", async () => {
    const { url, bodies } = await receiver(200);
    const results: NotificationResult[] = [];
    const notifier = new JsonWebhookNotifier({
      url,
      externalUrl: 'http://bot.example/',
      onResult: (r) => results.push(r),
    });
    notifier.notify([{ kind: 'firing', alert }]);
    notifier.notify([{ kind: 'resolved', alert: { ...alert, status: 'resolved', resolvedAt: AT + 60_000 } }]);
    await notifier.flush();
    expect(results).toEqual(['sent', 'sent']);
    expect(bodies[1]).toMatchObject({ status: 'resolved', alerts: [{ endsAt: '2026-01-01T12:01:00.000Z' }] });
    expect(bodies[0]).toMatchInlineSnapshot(`
      {
        "alerts": [
          {
            "annotations": {
              "description": "No ready gateway connection for 2 minutes.",
              "runbook": "Check the Gateway board.",
              "summary": "Shard 0 is down on default",
            },
            "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": "5b67a7542613a22b",
            "generatorURL": "http://bot.example/",
            "labels": {
              "alertname": "DiscordShardDown",
              "cluster": "default",
              "severity": "critical",
              "shard": "0",
            },
            "startsAt": "2026-01-01T11:58:00.000Z",
            "status": "firing",
          },
        ],
        "commonAnnotations": {
          "description": "No ready gateway connection for 2 minutes.",
          "runbook": "Check the Gateway board.",
          "summary": "Shard 0 is down on default",
        },
        "commonLabels": {
          "alertname": "DiscordShardDown",
          "cluster": "default",
          "severity": "critical",
          "shard": "0",
        },
        "externalURL": "http://bot.example/",
        "groupKey": "{}:{}",
        "groupLabels": {},
        "receiver": "argus",
        "status": "firing",
        "truncatedAlerts": 0,
        "version": "4",
      }
    `);
  });

  it('counts a failing or unreachable receiver and never throws', async () => {
    const { url } = await receiver(500);
    const results: NotificationResult[] = [];
    const errors: string[] = [];
    const failing = new JsonWebhookNotifier({
      url,
      onResult: (r) => results.push(r),
      onError: (m) => errors.push(m),
    });
    failing.notify([{ kind: 'firing', alert }]);
    await failing.flush();
    const down = new JsonWebhookNotifier({
      url: 'http://127.0.0.1:9/hook',
      onResult: (r) => results.push(r),
    });
    down.notify([{ kind: 'firing', alert }]);
    await down.flush();
    expect(results).toEqual(['failed', 'failed']);
    expect(errors).toEqual(['the JSON alert webhook failed (HTTP 500); later failures are only counted']);
  });
});
