import { once } from 'node:events';
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import { type Client, Events, type RateLimitData } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordSim, playScenario, SCENARIOS, startDiscordSim, TrafficDriver } from '../src/index.js';
import { attachDemoBot } from './demo-bot.js';
import { destroyAll } from './helpers.js';

const clients: Client[] = [];
let sim: DiscordSim | undefined;

afterEach(async () => {
  await destroyAll(clients);
  await sim?.close();
  sim = undefined;
});

async function setup(shardCount = 2) {
  sim = await startDiscordSim({ shardCount, guildCount: 6 });
  const client = makeClient(sim, {
    shards: [...Array(shardCount).keys()],
    shardCount,
    // Prefix replies go through channel.send; lift discord.js' own 50 req/s cap (G5) for the test.
    rest: { api: sim.apiUrl, globalRequestsPerSecond: 10_000 },
  });
  clients.push(client);
  const counts = attachDemoBot(client, 100);
  await loginReady(client, sim.token);
  return { sim, client, counts };
}

describe('TrafficDriver', () => {
  it('plays the steady mix; the bot sees exactly what the report says was sent', async () => {
    const { sim, counts } = await setup();
    const driver = playScenario(sim, {
      ...SCENARIOS.steady,
      rate: 200,
      durationMs: 1500,
      errorShare: 0.1,
      slowShare: 0.1,
      ignoreShare: 0.1,
      seed: 42,
    });
    const report = await driver.done;
    expect(report.running).toBe(false);
    expect(report.sent.total).toBeGreaterThan(100);
    expect(report.errors).toBe(0);
    expect(report.skipped).toBe(0);
    const kinds = report.sent.byKind;
    expect(Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(report.sent.total);
    for (const kind of ['command', 'button', 'prefix'] as const) expect(kinds[kind]).toBeGreaterThan(0);
    // Everything sent arrives at the bot, per command / custom_id / prefix / mode.
    await until(
      () =>
        Object.values(counts.byMode).reduce((a, b) => a + b, 0) === report.sent.total &&
        JSON.stringify(counts.byCommand) !== '{}',
      10_000,
      'the bot to receive every event',
    );
    expect(counts.byCommand).toEqual(report.sent.byCommand);
    expect(counts.byAutocomplete).toEqual(report.sent.byAutocomplete);
    expect(counts.byCustomId).toEqual(report.sent.byCustomId);
    expect(counts.byPrefix).toEqual(report.sent.byPrefix);
    expect(counts.byMode).toEqual(report.sent.byMode);
    expect(report.sent.byMode.error).toBeGreaterThan(0);
    expect(report.sent.byMode.slow).toBeGreaterThan(0);
    expect(report.sent.byMode.ignore).toBeGreaterThan(0);
    expect(report.sent.byCommand['config get']).toBeGreaterThan(0);
    // Every event not in `ignore` mode gets answered, and the sim recorded each answer.
    await until(
      () =>
        counts.answeredInteractions + counts.answeredPrefix === report.sent.total - report.sent.byMode.ignore,
      10_000,
      'every answer',
    );
    expect(sim.stats().interactions.answered).toBe(counts.answeredInteractions);
    expect(sim.stats().channelMessages).toBe(counts.answeredPrefix);
    expect(report.answered).toBeGreaterThan(0);
    expect(report.callbackLatencyMs.p95).toBeGreaterThanOrEqual(report.callbackLatencyMs.p50);
  });

  it('is reproducible for a seed', async () => {
    const { sim } = await setup();
    const spec = { ...SCENARIOS.steady, mix: { command: 1, button: 1 }, rate: 200, seed: 7 };
    const a = new TrafficDriver(sim, spec).start();
    await until(() => a.report().sent.total >= 30, 5000);
    const sentByA = a.stop().sent.total;
    const b = new TrafficDriver(sim, spec).start();
    await until(() => b.report().sent.total >= 30, 5000);
    b.stop();
    const picks = sim.interactions().map((r) => `${r.kind}:${r.name}:${r.guildId}:${r.channelId}`);
    expect(picks.slice(sentByA, sentByA + 30)).toEqual(picks.slice(0, 30));
    expect(new Set(picks.slice(0, 30)).size).toBeGreaterThan(3);
  });

  it('injects rate-limit bursts, an outage and a disconnect on schedule', async () => {
    const { sim, client } = await setup();
    const limited: RateLimitData[] = [];
    client.rest.on('rateLimited', (d) => limited.push(d));
    const resumes: number[] = [];
    client.on(Events.ShardResume, (id) => resumes.push(id));
    const driver = playScenario(sim, {
      name: 'faults',
      rate: 40,
      prefixCommands: ['ping'],
      mix: { prefix: 1 },
      rateLimitBursts: { everyMs: 300, count: 1, route: '^/channels/', retryAfter: 0.1 },
      outages: [{ atMs: 200, shardId: 0, durationMs: 700 }],
      disconnects: [{ atMs: 300, shardId: 1, code: 4000 }],
      durationMs: 1200,
    });
    const report = await driver.done;
    expect(report.rateLimitsInjected).toBeGreaterThanOrEqual(2);
    expect(report.outages).toBe(1);
    expect(report.disconnects).toBe(1);
    await until(() => resumes.includes(0) && resumes.includes(1), 10_000, 'both shards to resume');
    await until(() => limited.length > 0, 10_000, 'a rateLimited event');
    expect(sim.stats().rest.rateLimited).toBeGreaterThan(0);
  });

  it('counts traffic as skipped while no bot is connected, and stops when the sim closes', async () => {
    sim = await startDiscordSim();
    const driver = playScenario(sim, { rate: 100, commands: [{ name: 'ping' }] });
    await until(() => driver.report().skipped > 5, 5000);
    expect(driver.report().sent.total).toBe(0);
    await sim.close();
    const report = await driver.done;
    expect(report.running).toBe(false);
    expect(driver.isRunning).toBe(false);
  });

  it('rejects a bad rate', async () => {
    sim = await startDiscordSim();
    expect(() => new TrafficDriver(sim as DiscordSim, { rate: Number.NaN })).toThrow(RangeError);
  });

  it('resumes traffic to a shard after an outage: events sent meanwhile are replayed', async () => {
    const { sim, client } = await setup(1);
    let messages = 0;
    client.on(Events.MessageCreate, (m) => {
      if (!m.author.bot) messages++;
    });
    const resumed = once(client, Events.ShardResume);
    void sim.outage(0, 600);
    const driver = playScenario(sim, {
      rate: 50,
      prefixCommands: ['stats'],
      mix: { prefix: 1 },
      durationMs: 400,
    });
    const report = await driver.done;
    await resumed;
    await until(() => messages === report.sent.total, 5000, 'replayed messages');
  });
});
