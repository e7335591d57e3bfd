// The lifecycle seam on a real discord.js Client against the simulator: a recording subscriber
// sees the exact events the discord.js layer publishes for an answered, a deferred, a late and a
// never-answered interaction, and a subscriber that throws never reaches the bot.
import {
  defineCatalogue,
  FailOpenGuard,
  HealthState,
  type LifecycleSubscriber,
  MetricRegistry,
} from '@argus/core';
import { type DiscordInstrumentation, instrumentDiscordClient } from '@argus/core/discordjs';
import { type DiscordSim, type SentInteraction, startDiscordSim } from '@argus/discord-sim';
import { sleep, until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import { type Client, Events, type Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingBackend } from '../../core/test/recording-backend';
import { RecordingSubscriber } from '../../core/test/recording-subscriber';

let sim: DiscordSim;
let client: Client;
let instrumentation: DiscordInstrumentation;
const recording = new RecordingSubscriber();
const backend = new RecordingBackend();
const errors = (hook: string) => backend.counters.get(`argus_instrumentation_errors_total{${hook}}`) ?? 0;
let brokenCalls = 0;
const broken: LifecycleSubscriber = {
  name: 'broken',
  interactionReceived() {
    brokenCalls++;
    throw new Error('a broken subscriber');
  },
};

beforeAll(async () => {
  sim = await startDiscordSim({ shardCount: 2, guildCount: 2, heartbeatIntervalMs: 300 });
  client = makeClient(sim, { shards: 'auto' });
  const registry = new MetricRegistry({ guard: new FailOpenGuard() });
  registry.attach(backend);
  const guard = registry.guard;
  const catalogue = defineCatalogue(registry, {
    namespace: 'discord',
    sources: {},
    health: new HealthState(),
  });
  instrumentation = instrumentDiscordClient(client, {
    subscribers: [broken, recording],
    guard,
    catalogue,
    labelValueCap: 300,
    timerCap: 1_000,
    // Unanswered interactions are given up on after 4.5 s instead of 60 s, so the test sees it.
    lateMemoryMs: 4_500,
  });
  const handle = instrumentation.wrapCommand(async (interaction: Interaction) => {
    if (!interaction.isChatInputCommand()) return;
    switch (interaction.commandName) {
      case 'defer':
        await interaction.deferReply();
        await sleep(100);
        await interaction.editReply('done');
        return;
      case 'slow':
        await sleep(3_300);
        await interaction.reply('late');
        return;
      case 'ignore':
        return;
      default:
        await interaction.reply('pong');
    }
  });
  client.on(Events.InteractionCreate, (interaction) => {
    handle(interaction).catch(() => {});
  });
  await loginReady(client, sim.token);
});

afterAll(async () => {
  instrumentation?.close();
  await client?.destroy();
  await sim?.close();
});

/** The events about one interaction once both its tracking and its handler are over. */
function settled(sent: SentInteraction): Promise<string[]> {
  return until(
    () => {
      const events = recording.about(sent.id);
      const done = (prefix: string) => events.some((e) => e.startsWith(prefix));
      return done('finished') && done('command-finished') ? events : undefined;
    },
    15_000,
    `interaction ${sent.name} to settle`,
  );
}

describe('the lifecycle seam on a real Client', () => {
  it('publishes the exact sequence for an answered, a deferred, a late and a never-answered interaction', async () => {
    const sent = ['ping', 'defer', 'slow', 'ignore'].map((name) =>
      sim.sendInteraction({ type: 'command', name }),
    );
    const [ping, defer, slow, ignore] = await Promise.all(sent.map(settled));
    const [p, d, s, i] = sent.map((x) => x.id);
    expect(ping).toEqual([
      `received ${p} ping`,
      `command-started app ping ${p}`,
      `responded ${p}`,
      `finished ${p} answered`,
      `command-finished app ping ${p} ok`,
    ]);
    // Deferred: the defer is the initial response; the handler ends after its edit.
    expect(defer).toEqual([
      `received ${d} defer`,
      `command-started app defer ${d}`,
      `responded ${d}`,
      `finished ${d} answered`,
      `command-finished app defer ${d} ok`,
    ]);
    expect(slow).toEqual([
      `received ${s} slow`,
      `command-started app slow ${s}`,
      `deadline-missed ${s}`,
      `responded ${s}`,
      `finished ${s} answered`,
      `command-finished app slow ${s} ok`,
    ]);
    // Never answered: the handler ends at once, the deadline passes, then Argus gives up on it.
    expect(ignore).toEqual([
      `received ${i} ignore`,
      `command-started app ignore ${i}`,
      `command-finished app ignore ${i} ok`,
      `deadline-missed ${i}`,
      `finished ${i} unanswered`,
    ]);

    // Receipt + 3 s, in performance.now() milliseconds (floating point: close, not equal).
    expect(recording.timings.get(s!)?.['deadline-missed']).toBeCloseTo(3_000, 6);
    expect(recording.timings.get(s!)?.responded).toBeGreaterThanOrEqual(3_300);
    expect(Object.keys(recording.timings.get(i!) ?? {})).toEqual(['deadline-missed']);
    expect(recording.timings.get(i!)?.['deadline-missed']).toBeCloseTo(3_000, 6);
    expect(recording.timings.get(p!)?.responded).toBeLessThan(3_000);

    // Every record carries what the simulator sent, and never a token.
    const record = recording.interactions.get(p!)!;
    expect(record).toMatchObject({
      typeIndex: 2,
      command: 'ping',
      guildId: sent[0]!.guildId,
      shard: sent[0]!.shardId,
    });
    expect(record.channelId).toBe(sent[0]!.channelId);
    expect(record.userId).toBe(sent[0]!.userId);
    expect(JSON.stringify(recording.events)).not.toContain(sent[0]!.token);
  });

  it('publishes each REST request with its route template, and every response', () => {
    const callbacks = recording.rest.filter((r) => r.request.route === '/interactions/:id/:token/callback');
    // Three initial responses reached Discord (the ignored one never answered), each timed from
    // the request to its response headers.
    expect(callbacks).toHaveLength(3);
    for (const c of callbacks) {
      expect(c.request.method).toBe('POST');
      expect(c.status).toBe(204);
      expect(c.at).toBeGreaterThanOrEqual(c.request.startedAt);
    }
    expect(
      recording.events.filter((e) => e === 'rest-response POST /interactions/:id/:token/callback 204'),
    ).toHaveLength(3);
    expect(recording.events).toContain('rest-response PATCH /webhooks/:id/:token/messages/@original 200');
    expect(recording.events.filter((e) => e.startsWith('shard ')).sort()).toEqual([
      'shard 0 ready',
      'shard 1 ready',
    ]);
  });

  it('isolates a subscriber that throws: counted under its name, the others and the bot unaffected', () => {
    expect(brokenCalls).toBe(4);
    expect(errors('lifecycle:broken')).toBe(4);
    expect(recording.events.filter((e) => e.startsWith('received'))).toHaveLength(4);
  });
});

describe('wrapCommand for prefix commands', () => {
  it('labels a prefix command by the name it was wrapped with, never by what users type', async () => {
    const named = instrumentation.wrapCommand(async () => {}, { name: 'ping' });
    const unnamed = instrumentation.wrapCommand(async () => {});
    const typed = ['!ping', '!PING', '!Ping', '!ping,', '!ping.'];
    for (const content of typed) {
      await named({ id: '1', content, guildId: null } as never);
      await unnamed({ id: '2', content, guildId: null } as never);
    }
    const prefix = recording.commands.filter((c) => c.record.kind === 'prefix');
    expect(prefix.map((c) => c.record.command)).toEqual(typed.flatMap(() => ['ping', 'unknown']));
    // The missing name is reported once per wrapped handler, not once per call.
    expect(errors('wrapCommand:name')).toBe(1);
  });
});
