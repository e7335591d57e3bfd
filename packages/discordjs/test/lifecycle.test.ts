// Attaching, closing and failing open, with a real discord.js Client on the simulator.
import diagnostics from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { BackendMetricDef, MetricBackend } from '@argus/core';
import { type DiscordSim, startDiscordSim } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import type { Client } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArgusConfigError, argus, MissingPackageError } from '../src/index';
import { checkOtlpPackage } from '../src/otlp-push';
import { Exposition, installBot } from './harness';

let sim: DiscordSim;
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  sim = await startDiscordSim({ shardCount: 2, guildCount: 4, emojisPerGuild: 2, heartbeatIntervalMs: 300 });
});
afterAll(async () => {
  await sim?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(): Client {
  const c = makeClient(sim, { shards: 'auto' });
  cleanups.push(() => c.destroy());
  return c;
}

async function scrape(url: string): Promise<Exposition> {
  return new Exposition(await (await fetch(`${url}/metrics`)).text());
}

const quiet = {
  host: '127.0.0.1',
  port: 0,
  env: {},
  logger: { debug() {}, info() {}, warn() {}, error() {} },
};

describe('attaching', () => {
  it('works after ready, back-filling cache state', async () => {
    const c = client();
    await loginReady(c, sim.token);
    const metrics = argus(c, quiet);
    cleanups.push(() => metrics.close());
    const server = await metrics.server;
    const e = await scrape(server!.url);
    expect(e.value('discord_guilds')).toBe(4);
    expect(e.value('discord_emojis')).toBe(8);
    expect(e.value('discord_shards_connected')).toBe(2);
  });

  it('refuses a second attach to the same client with a clear error', () => {
    const c = client();
    const metrics = argus(c, { ...quiet, serverStart: 'immediate' });
    cleanups.push(() => metrics.close());
    expect(() => argus(c, quiet)).toThrow(/already attached/);
  });

  it('refuses invalid options at once, naming the option and the variable', () => {
    const c = client();
    expect(() => argus(c, { ...quiet, port: undefined, env: { ARGUS_PORT: 'nine' } })).toThrow(
      ArgusConfigError,
    );
    expect(() => argus(c, { ...quiet, port: undefined, env: { ARGUS_PORT: 'nine' } })).toThrow(
      /port \(env ARGUS_PORT\) = "nine"/,
    );
  });

  it('names the package to install for an option that needs one', () => {
    const c = client();
    // @argus/otlp is installed in this workspace (and pnpm puts it on NODE_PATH), so a bot
    // without it is stood in for by a resolver that finds nothing: the one stub in this file.
    const elsewhere = Object.assign(createRequire(import.meta.url), {
      resolve: (id: string) => {
        throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      },
    }) as unknown as NodeJS.Require;
    expect(() => checkOtlpPackage(elsewhere)).toThrow(MissingPackageError);
    expect(() => checkOtlpPackage(elsewhere)).toThrow(/ARGUS_OTLP_ENDPOINT.*npm install @argus\/otlp/);
    // Per-guild analytics without a place to put the events is refused, never silently ignored.
    expect(() => argus(c, { ...quiet, enablePerGuild: true })).toThrow(
      /enablePerGuild \(env ARGUS_ENABLE_PER_GUILD\)/,
    );
  });

  it('close() removes every listener and channel subscription it added, and the attach mark', async () => {
    const c = client();
    const events = ['raw', 'interactionCreate', 'shardReady', 'debug', 'guildCreate'];
    const before = events.map((e) => c.listenerCount(e));
    const restBefore = (c.rest as unknown as NodeJS.EventEmitter).listenerCount('response');
    const channel = diagnostics.channel('undici:request:create');
    const subscribedBefore = channel.hasSubscribers;
    const metrics = argus(c, { ...quiet, serverStart: 'immediate' });
    expect(events.map((e) => c.listenerCount(e))).not.toEqual(before);
    expect(channel.hasSubscribers).toBe(true);
    const server = await metrics.server;
    await metrics.close();
    expect(events.map((e) => c.listenerCount(e))).toEqual(before);
    expect((c.rest as unknown as NodeJS.EventEmitter).listenerCount('response')).toBe(restBefore);
    expect(channel.hasSubscribers).toBe(subscribedBefore);
    await expect(fetch(`${server!.url}/healthz`)).rejects.toThrow();
    // Attaching again after close is allowed.
    const again = argus(c, quiet);
    cleanups.push(() => again.close());
  });

  it('serves /healthz at once and /readyz 503 until the client is ready', async () => {
    const c = client();
    const metrics = argus(c, { ...quiet, serverStart: 'immediate' });
    cleanups.push(() => metrics.close());
    const server = await metrics.server;
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    const early = await fetch(`${server!.url}/readyz`);
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ ready: false, checks: { client: false, server: true } });
    await loginReady(c, sim.token);
    expect((await fetch(`${server!.url}/readyz`)).status).toBe(200);
  });
});

describe('failing open', () => {
  it('a port already in use leaves the bot running, with the server marked down', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => blocker.close(r)));
    const port = (blocker.address() as { port: number }).port;
    const c = client();
    const metrics = argus(c, { ...quiet, port });
    cleanups.push(() => metrics.close());
    installBot(c, metrics);
    await loginReady(c, sim.token);
    expect(await metrics.server).toBeUndefined();
    expect(metrics.health.isUp('server')).toBe(false);
    const text = await metrics.prometheus!.render('text');
    expect(new Exposition(text).value('argus_subsystem_up', { subsystem: 'server' })).toBe(0);
    expect(new Exposition(text).value('argus_instrumentation_errors_total', { hook: 'server:start' })).toBe(
      1,
    );
    // The bot still answers.
    const sent = sim.sendInteraction({ type: 'command', name: 'ping', guildId: sim.guildsOfShard(0)[0]!.id });
    await expect(sent.callback).resolves.toMatchObject({ callbackType: 4 });
  });

  it('a throwing gauge and a throwing backend are counted, and the bot and scrape carry on', async () => {
    const c = client();
    const metrics = argus(c, quiet);
    cleanups.push(() => metrics.close());
    installBot(c, metrics);
    metrics.registry.define({
      kind: 'gauge',
      name: 'bot_queue_depth',
      help: 'A user gauge that breaks.',
      collect: () => {
        throw new Error('queue unavailable');
      },
    });
    const broken: MetricBackend = {
      name: 'broken',
      define(_def: BackendMetricDef) {},
      counterSeries: () => ({
        inc() {
          throw new Error('backend down');
        },
      }),
      histogramSeries: () => ({
        observe() {
          throw new Error('backend down');
        },
      }),
      setInfo() {},
    };
    metrics.registry.attach(broken);
    await loginReady(c, sim.token);
    const server = await metrics.server;
    const sent = sim.sendInteraction({ type: 'command', name: 'ping', guildId: sim.guildsOfShard(1)[0]!.id });
    await expect(sent.callback).resolves.toMatchObject({ callbackType: 4 });
    const e = await until(async () => {
      const x = await scrape(server!.url);
      return (x.value('argus_instrumentation_errors_total', { hook: 'scrape:bot_queue_depth' }) ?? 0) >= 1
        ? x
        : undefined;
    });
    expect(e.text).not.toContain('bot_queue_depth ');
    expect(e.value('argus_instrumentation_errors_total', { hook: 'raw' })).toBeGreaterThan(0);
    expect(e.value('discord_guilds')).toBe(4);
  });

  it('garbage from the gateway neither crashes the bot nor stops counting', async () => {
    const c = client();
    const metrics = argus(c, quiet);
    cleanups.push(() => metrics.close());
    installBot(c, metrics);
    await loginReady(c, sim.token);
    const errors: unknown[] = [];
    c.on('error', (e) => errors.push(e));
    sim.sendGarbage(0, 'malformed');
    sim.sendGarbage(0, 'unknownEvent');
    sim.sendGarbage(1, 'emptyInteraction');
    const sent = sim.sendInteraction({ type: 'command', name: 'ping', guildId: sim.guildsOfShard(0)[0]!.id });
    await expect(sent.callback).resolves.toMatchObject({ callbackType: 4 });
    const server = await metrics.server;
    const e = await until(async () => {
      const x = await scrape(server!.url);
      return (x.value('discord_gateway_events_total', { event: 'ARGUS_SIM_UNKNOWN_EVENT' }) ?? 0) >= 1
        ? x
        : undefined;
    });
    expect(e.value('discord_interactions_total', { type: 'application_command' })).toBeGreaterThanOrEqual(1);
  });
});
