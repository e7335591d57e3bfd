// A real discord.js Client on the simulator, Argus' discord.js instrumentation with the tracing
// subscriber on it, the real OpenTelemetry SDK exporting over OTLP/HTTP to an in-process receiver.
import {
  defineCatalogue,
  FailOpenGuard,
  HealthState,
  type LifecycleSubscriber,
  MetricRegistry,
} from '@argus/core';
import { type DiscordInstrumentation, instrumentDiscordClient } from '@argus/core/discordjs';
import { type DiscordSim, startDiscordSim } from '@argus/discord-sim';
import { sleep } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import { trace } from '@opentelemetry/api';
import { type Client, Events, type Interaction, type Message } from 'discord.js';
import { RecordingBackend } from '../../core/test/recording-backend';
import { type Tracing, type TracingOptions, tracing } from '../src/index';
import { OtlpReceiver } from './otlp-receiver';

export class PlannedFailure extends Error {
  override readonly name = 'PlannedFailure';
}

export interface TracedBot {
  sim: DiscordSim;
  client: Client;
  receiver: OtlpReceiver;
  tracing: Tracing;
  instrumentation: DiscordInstrumentation;
  backend: RecordingBackend;
  counter(name: string, labels: string): number;
  stop(): Promise<void>;
}

/**
 * Slash commands whose behaviour the test picks by name, all through wrapCommand; a button
 * answered by a plain listener (with a span of its own); a prefix command `!ping`.
 */
function installBot(client: Client, instrumentation: DiscordInstrumentation): void {
  const slash = instrumentation.wrapCommand(async (interaction: Interaction) => {
    if (!interaction.isChatInputCommand()) return;
    switch (interaction.commandName) {
      case 'ping': {
        // The user's own span, made inside the handler: it must nest under the interaction.
        await trace.getTracer('bot').startActiveSpan('db.query', async (span) => {
          await sleep(20);
          span.end();
        });
        await interaction.reply('pong');
        return;
      }
      case 'defer':
        await interaction.deferReply();
        await sleep(100);
        await interaction.editReply('done');
        await interaction.followUp('and one more thing');
        return;
      case 'fail':
        await interaction.reply('about to fail');
        throw new PlannedFailure(`on purpose ${interaction.token}`);
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
    if (interaction.isChatInputCommand()) slash(interaction).catch(() => {});
    else if (interaction.isButton()) {
      // A plain listener, no wrapCommand: its own span, made after an await, must still nest.
      void (async () => {
        await sleep(5);
        await trace.getTracer('bot').startActiveSpan('button.lookup', async (span) => {
          await sleep(10);
          span.end();
        });
        await interaction.reply('clicked');
      })().catch(() => {});
    }
  });
  const prefix = instrumentation.wrapCommand(
    async (message: Message) => {
      await message.reply('pong');
    },
    { name: 'ping' },
  );
  client.on(Events.MessageCreate, (message) => {
    if (message.content.startsWith('!ping')) prefix(message).catch(() => {});
  });
}

export async function startTracedBot(
  options: Omit<TracingOptions, 'endpoint' | 'registry'> = {},
  extra: { subscribers?: LifecycleSubscriber[]; receiver?: OtlpReceiver; endpoint?: string } = {},
): Promise<TracedBot> {
  const receiver = extra.receiver ?? (await OtlpReceiver.start());
  const sim = await startDiscordSim({ shardCount: 2, guildCount: 2, heartbeatIntervalMs: 300 });
  const client = makeClient(sim, { shards: 'auto' });
  const backend = new RecordingBackend();
  const registry = new MetricRegistry({ guard: new FailOpenGuard() });
  registry.attach(backend);
  const traced = tracing({
    exportIntervalMs: 100,
    ...options,
    endpoint: extra.endpoint ?? receiver.url,
    registry,
    clusterId: 'eu-1',
    serviceName: 'test-bot',
  });
  const catalogue = defineCatalogue(registry, {
    namespace: 'discord',
    sources: {},
    health: new HealthState(),
  });
  const instrumentation = instrumentDiscordClient(client, {
    subscribers: [traced, ...(extra.subscribers ?? [])],
    guard: registry.guard,
    catalogue,
    labelValueCap: 300,
    timerCap: 1_000,
    // Unanswered interactions are given up on after 4.5 s instead of 60 s.
    lateMemoryMs: 4_500,
  });
  installBot(client, instrumentation);
  await traced.ready;
  await loginReady(client, sim.token);
  return {
    sim,
    client,
    receiver,
    tracing: traced,
    instrumentation,
    backend,
    counter: (name, labels) => backend.counters.get(`${name}{${labels}}`) ?? 0,
    async stop() {
      instrumentation.close();
      await traced.shutdown();
      await client.destroy();
      await sim.close();
      await receiver.close().catch(() => {});
    },
  };
}
