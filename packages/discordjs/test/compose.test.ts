// Adapters composed in bot code: argus(client, { metrics, tracing, analytics }) with the real
// adapters, the bot on the simulator, OTLP into an in-process receiver that decodes with the
// official protobuf definitions, ClickHouse on the embedded engine (chdb).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickhouse } from '@argus/clickhouse';
import { otlp } from '@argus/otlp';
import { prometheus, pushgateway } from '@argus/prometheus';
import { until } from '@argus/test-services';
import { tracing } from '@argus/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatten, type OtlpReceiver, startOtlpReceiver } from '../../otlp/test/otlp-receiver';
import { OtlpReceiver as TraceReceiver } from '../../tracing/test/otlp-receiver';
import { argus } from '../src';
import { type Running, startBot } from './harness';

let receiver: OtlpReceiver;
const dirs: string[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const exported = (name: string): number =>
  receiver.received
    .flatMap((r) => flatten(r.body))
    .filter((p) => p.name === name)
    .reduce((sum, p) => sum + Number(p.value ?? 0), 0);

describe('argus(client, { metrics: [otlp()] }): no Prometheus backend attached', () => {
  let bot: Running;
  beforeAll(async () => {
    bot = await startBot(
      {},
      { metrics: [otlp({ url: receiver.url, intervalMs: 200 })], clusterId: 'c-otlp' },
    );
  });
  afterAll(async () => bot?.stop());

  it('pushes OTLP, feeds the dashboard from core store, and has no /metrics', async () => {
    await bot.sim.sendInteraction({ type: 'command', name: 'ping' }).callback;
    expect(bot.argus.prometheus).toBeUndefined();
    expect((await fetch(`${bot.url}/metrics`)).status).toBe(404);
    const snapshot = await bot.argus.snapshot();
    const interactions = snapshot.metrics.discord_interactions_total;
    expect(interactions?.series.reduce((sum, [, value]) => sum + (value as number), 0)).toBe(1);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    await until(() => exported('discord_interactions') >= 1 || exported('discord_interactions_total') >= 1);
  });
});

describe('argus(client, { metrics: [prometheus(), otlp()], tracing: tracing(), analytics: clickhouse() })', () => {
  let bot: Running;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-compose-'));
    dirs.push(dir);
    bot = await startBot(
      {},
      {
        metrics: [otlp({ url: receiver.url, intervalMs: 200 }), prometheus()],
        tracing: tracing(),
        analytics: clickhouse({ dsn: `embedded:${dir}` }),
        dashboardAuthToken: 'compose-token',
        clusterId: 'c-all',
      },
    );
  });
  afterAll(async () => bot?.stop());

  it('records once into Prometheus, which the dashboard and OTLP read, and stores per-guild events', async () => {
    const sent = bot.sim.sendInteraction({ type: 'command', name: 'ping' });
    await sent.callback;
    const exposition = await bot.scrape();
    const total = (await bot.argus.snapshot()).metrics.discord_interactions_total;
    expect(total?.series.reduce((sum, [, value]) => sum + (value as number), 0)).toBe(1);
    expect(exposition.text).toMatch(/discord_interactions_total\{[^}]*cluster="c-all"[^}]*\} 1/);
    await until(() => exported('discord_interactions') >= 1 || exported('discord_interactions_total') >= 1);
    // Per-guild events reach ClickHouse, and no guild id reaches /metrics.
    for (const guild of bot.sim.guilds) expect(exposition.text).not.toContain(guild.id);
    const headers = { authorization: 'Bearer compose-token' };
    await until(
      async () => {
        const res = await fetch(`${bot.url}/api/analytics/top-guilds?days=1`, { headers });
        if (res.status !== 200) return false;
        const body = (await res.json()) as { rows: { interactions: number }[] };
        return body.rows[0]?.interactions === 1;
      },
      20_000,
      'the interaction in ClickHouse',
    );
  });
});

describe('argus(client, { metrics: [prometheus()], tracing: tracing({ endpoint }), otlpEndpoint })', () => {
  let bot: Running;
  let traces: TraceReceiver;
  let traced: ReturnType<typeof tracing>;
  beforeAll(async () => {
    traces = await TraceReceiver.start();
    traced = tracing({ endpoint: traces.url });
    bot = await startBot(
      {},
      {
        metrics: [prometheus()],
        tracing: traced,
        // Set like a variable would: OTLP push joins the metrics composed in code.
        otlpEndpoint: receiver.url,
        otlpInterval: 1,
        clusterId: 'c-traced',
      },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await traces?.close();
  });

  it("gives tracing() argus()'s cluster and registry, and adds OTLP push from the config", async () => {
    // The SDK loads in the background; spans start once it is there.
    expect(await traced.ready).toBe('sdk');
    const before = receiver.received.length;
    const sent = bot.sim.sendInteraction({ type: 'command', name: 'ping' });
    await sent.callback;
    const root = await until(() =>
      traces.spans.find((s) => s.attributes['discord.interaction.id'] === sent.id),
    );
    expect(root.attributes['discord.cluster']).toBe('c-traced');
    const exposition = await bot.scrape();
    expect(exposition.value('argus_tracing_spans_dropped_total', { reason: 'queue_full' })).toBe(0);
    await until(() => receiver.received.length > before, 15_000, 'an OTLP export');
  });
});

describe('argus() adapter slots', () => {
  it('names the slot and the adapter when one is given in the wrong place', () => {
    const client = {} as Parameters<typeof argus>[0];
    expect(() => argus(client, { env: {}, metrics: [tracing()] })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: argus() option metrics: tracing is a tracing adapter; pass it as tracing]`,
    );
    expect(() =>
      argus(client, { env: {}, metrics: 'prometheus' as never }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: argus() option metrics: expected an adapter such as prometheus() or otlp({ url }), got string]`,
    );
    expect(() =>
      argus(client, { env: {}, metrics: [pushgateway({ url: 'http://127.0.0.1:9091' })] }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: argus() option metrics: pushgateway() pushes the Prometheus exposition; add prometheus() beside it]`,
    );
  });
});
