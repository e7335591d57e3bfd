// Pushgateway push from a real bot on the simulator into Debian's Pushgateway 1.5, scraped by
// Debian's Prometheus 2.42 with honor_labels: the bot's series arrive with their cluster, a
// Pushgateway restart is survived, and close() deletes the group.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type PrometheusServer,
  type PushgatewayServer,
  startPrometheus,
  startPushgateway,
  until,
} from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startBot } from './harness';

let gateway: PushgatewayServer;
let prometheus: PrometheusServer;
let bot: Running;
const CLUSTER = 'eu/1'; // a slash: the grouping key must use @base64

beforeAll(async () => {
  gateway = await startPushgateway();
  prometheus = await startPrometheus([{ url: `${gateway.url}/metrics`, honorLabels: true }]);
  bot = await startBot(
    { shardCount: 2, guildCount: 3 },
    { clusterId: CLUSTER, pushgatewayUrl: gateway.url, pushgatewayInterval: 1, pushgatewayInstance: 'bot-a' },
  );
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await prometheus?.stop();
  await gateway?.stop();
});

const pushes = async (result: 'success' | 'failure') =>
  (await bot.scrape()).value('argus_pushgateway_pushes_total', { result }) ?? 0;

describe('Pushgateway push', () => {
  it("puts the bot's series in Prometheus with their cluster, job and instance", async () => {
    await bot.sim.sendInteraction({ type: 'command', name: 'ping' }).callback;
    const series = await prometheus.waitFor(`discord_interactions_total{cluster="${CLUSTER}"}`, (r) =>
      r.some((s) => Number(s.value[1]) >= 1),
    );
    expect(series[0]!.metric).toMatchObject({ cluster: CLUSTER, job: 'argus', instance: 'bot-a' });
    const pushed = await prometheus.waitFor(
      `push_time_seconds{job="argus",cluster="${CLUSTER}",instance="bot-a"}`,
      (r) => r.length === 1,
    );
    expect(Number(pushed[0]!.value[1])).toBeGreaterThan(0);
    expect(await pushes('success')).toBeGreaterThan(0);
    expect((await bot.scrape()).value('argus_subsystem_up', { subsystem: 'pushgateway' })).toBe(1);
  }, 60_000);

  it('survives a Pushgateway restart: failures are counted, the bot answers, the group comes back', async () => {
    const port = gateway.port;
    const failures = await pushes('failure');
    await gateway.stop();
    await until(async () => (await pushes('failure')) > failures, 15_000, 'a counted push failure');
    expect((await bot.scrape()).value('argus_subsystem_up', { subsystem: 'pushgateway' })).toBe(0);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    await bot.sim.sendInteraction({ type: 'command', name: 'ping' }).callback;
    gateway = await startPushgateway({ port });
    await until(
      async () => (await gateway.metrics()).includes(`discord_interactions_total{`),
      15_000,
      'the group pushed again',
    );
    expect(
      (await gateway.metrics()).match(/discord_interactions_total\{[^}]*cluster="eu\/1"/),
    ).not.toBeNull();
  }, 60_000);

  it('a Pushgateway that refuses the push is counted, never thrown', async () => {
    // A stand-in that answers 500 (a real HTTP server): the real Pushgateway does not refuse on demand.
    const refusing = createServer((_req, res) => res.writeHead(500).end('no'));
    refusing.listen(0, '127.0.0.1');
    await once(refusing, 'listening');
    const { pushgateway } = await import('@argus/prometheus');
    const push = pushgateway({
      url: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`,
      intervalMs: 3_600_000,
    }).start({
      render: () => bot.argus.prometheus!.render('text'),
      registry: bot.argus.registry,
      clusterId: 'other',
    });
    const before = await pushes('failure');
    expect(await push.push()).toBe(false);
    expect(await pushes('failure')).toBeGreaterThan(before);
    await push.close(500);
    refusing.close();
  });

  it('close() deletes the group from the Pushgateway', async () => {
    await until(async () => (await gateway.metrics()).includes('discord_interactions_total{'));
    await bot.stop();
    const text = await gateway.metrics();
    expect(text).not.toContain('discord_interactions_total{');
    expect(text).not.toMatch(/push_time_seconds\{[^}]*job="argus"/);
  }, 30_000);
});
