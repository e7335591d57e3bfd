// A real Sapphire bot (`@sapphire/framework`'s SapphireClient, its stores, its command routing and
// its application-command registry) logged into the Discord simulator with Argus attached. Argus
// learns about its commands only from the lifecycle events Sapphire emits on the client.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChannelMessageEvent,
  type DiscordSim,
  type InteractionCallbackEvent,
  startDiscordSim,
} from '@argus/discord-sim';
import { sleep, until } from '@argus/test-services';
import {
  ApplicationCommandRegistries,
  type Args,
  Command,
  container,
  Logger,
  LogLevel,
  RegisterBehavior,
  SapphireClient,
} from '@sapphire/framework';
import {
  ApplicationCommandType,
  type ChatInputCommandInteraction,
  type ContextMenuCommandInteraction,
  Events,
  GatewayIntentBits,
  type GatewayInteractionCreateDispatchData,
  type Message,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Argus, argus } from '../src/index';
import { Exposition, PlannedFailure } from './harness';

/** What Sapphire logs, so the test can tell the planned failure from anything unexpected. */
class RecordingLogger extends Logger {
  readonly lines: { level: LogLevel; text: string }[] = [];
  override write(level: LogLevel, ...values: readonly unknown[]): void {
    if (this.has(level)) this.lines.push({ level, text: values.map(String).join(' ') });
  }
}

const USER_INFO_DELAY_MS = 120;

class PingCommand extends Command {
  override registerApplicationCommands(registry: Command.Registry) {
    registry.registerChatInputCommand((b) => b.setName('ping').setDescription('Replies with pong'));
  }
  override async chatInputRun(interaction: ChatInputCommandInteraction) {
    await interaction.reply('pong');
  }
}

// The piece is `userinfo`; the menu entry Discord shows is "User Info".
class UserInfoCommand extends Command {
  override registerApplicationCommands(registry: Command.Registry) {
    registry.registerContextMenuCommand((b) => b.setName('User Info').setType(ApplicationCommandType.User));
  }
  override async contextMenuRun(interaction: ContextMenuCommandInteraction) {
    await sleep(USER_INFO_DELAY_MS);
    await interaction.reply(`that is <@${interaction.targetId}>`);
  }
}

class RollCommand extends Command {
  override async messageRun(message: Message, args: Args) {
    const sides = await args.pick('integer').catch(() => 6);
    if (sides < 1) throw new PlannedFailure('a die needs at least one side');
    await message.reply(`rolled ${1 + Math.floor(Math.random() * sides)}`);
  }
}

let sim: DiscordSim;
let client: SapphireClient;
let metrics: Argus;
let url: string;
let dir: string;
const logger = new RecordingLogger(LogLevel.Warn);

beforeAll(async () => {
  sim = await startDiscordSim({ heartbeatIntervalMs: 300, shardCount: 1, guildCount: 2 });
  ApplicationCommandRegistries.setDefaultBehaviorWhenNotIdentical(RegisterBehavior.BulkOverwrite);
  client = new SapphireClient({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: sim.apiUrl },
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    // The pieces are registered below, not read from a folder.
    baseUserDirectory: null,
    defaultPrefix: '!',
    loadMessageCommandListeners: true,
    logger: { instance: logger },
  });
  container.stores.loadPiece({ name: 'ping', piece: PingCommand, store: 'commands' });
  container.stores.loadPiece({ name: 'userinfo', piece: UserInfoCommand, store: 'commands' });
  container.stores.loadPiece({ name: 'roll', piece: RollCommand, store: 'commands' });
  // Per-guild analytics on the embedded ClickHouse, so the test sees which commands reach it.
  dir = mkdtempSync(join(tmpdir(), 'argus-sapphire-'));
  metrics = argus(client, {
    host: '127.0.0.1',
    port: 0,
    env: {},
    clusterId: 'sapphire',
    enablePerGuild: true,
    clickhouseDsn: `embedded:${join(dir, 'ch')}`,
    dashboardAuthToken: 'sapphire-token',
    historyFlushInterval: 1,
  });

  const registered = once(client, 'applicationCommandRegistriesRegistered');
  const ready = once(client, Events.ClientReady);
  await client.login(sim.token);
  await ready;
  await registered;
  const server = await metrics.server;
  if (!server) throw new Error('the Argus server did not start');
  url = server.url;
});

afterAll(async () => {
  await metrics?.close();
  await client?.destroy();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function scrape(): Promise<Exposition> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return new Exposition(await res.text());
}

/**
 * The simulator sends slash commands but has no context-menu builder: this sends a user context
 * menu as Discord does (type 2, `data.type` 2 with `target_id` and its `resolved` user and member),
 * reusing the envelope of a slash command the simulator built.
 */
function sendUserContextMenu(
  envelope: GatewayInteractionCreateDispatchData,
  commandId: string,
  n: number,
): Promise<unknown> {
  const target = sim.users[n % sim.users.length]!;
  const member = envelope.member!;
  const id = `${BigInt(envelope.id) + 1_000_000n + BigInt(n)}`;
  const token = `ctxmenu_${id}`;
  const d = {
    ...envelope,
    id,
    token,
    data: {
      id: commandId,
      name: 'User Info',
      type: ApplicationCommandType.User,
      target_id: target.id,
      resolved: {
        users: { [target.id]: { ...member.user, id: target.id, username: target.username } },
        members: { [target.id]: { ...member, user: undefined } },
      },
    },
  };
  const answered = new Promise((resolve) => {
    const onCallback = (event: InteractionCallbackEvent) => {
      if (event.interactionId !== id) return;
      sim.off('interactionCallback', onCallback);
      resolve(event);
    };
    sim.on('interactionCallback', onCallback);
  });
  sim.dispatch(0, 'INTERACTION_CREATE', d);
  return answered;
}

/** Plays every command once per planned run and returns the exposition once all are counted. */
async function playCommands(): Promise<{ e: Exposition; replies: string[] }> {
  // Three slash commands; the raw envelope of the first is kept for the context menus.
  const raw: GatewayInteractionCreateDispatchData[] = [];
  const keep = (packet: unknown) => {
    const { t, d } = packet as { t?: string; d?: unknown };
    if (t === 'INTERACTION_CREATE') raw.push(d as GatewayInteractionCreateDispatchData);
  };
  client.on(Events.Raw, keep);
  const pings = [0, 1, 2].map(() => sim.sendInteraction({ type: 'command', name: 'ping' }));
  const callbacks = await Promise.all(pings.map((p) => p.callback));
  client.off(Events.Raw, keep);
  expect(callbacks.map((c) => c.callbackTypeName)).toEqual(['reply', 'reply', 'reply']);

  const menuId = sim.commands().find((c) => c.name === 'User Info')!.id;
  await Promise.all([0, 1].map((n) => sendUserContextMenu(raw[0]!, menuId, n)));

  // Prefix: two rolls that work and one that throws.
  const replies: string[] = [];
  sim.on('channelMessage', (m: ChannelMessageEvent) => replies.push(String(m.body.content)));
  for (const content of ['!roll 20', '!roll', '!roll 0']) sim.sendMessage({ content });

  const e = await until(
    async () => {
      const x = await scrape();
      return x.sum('discord_commands_total') >= 3 && x.sum('discord_app_commands_total') >= 5 ? x : undefined;
    },
    15_000,
    'every command to be counted',
  );
  return { e, replies };
}

describe('a real SapphireClient with Argus attached', () => {
  let played: Promise<{ e: Exposition; replies: string[] }>;
  beforeAll(() => {
    played = playCommands();
  });

  it('registers its application commands with the simulator', () => {
    expect(sim.commands().map((c) => c.name)).toEqual(['ping', 'User Info']);
  });

  it('counts slash, context-menu and prefix commands, outcomes, error types and durations exactly', async () => {
    const { e, replies } = await played;
    const app = { cluster: 'sapphire' };
    // Application commands: three slash, two context menus, all successful.
    expect(e.sum('discord_app_commands_total', { ...app, status: 'success' })).toBe(5);
    expect(e.sum('discord_app_commands_total', { ...app, status: 'error' })).toBe(0);
    expect(e.value('discord_app_commands_total', { command: 'ping', status: 'success' })).toBe(3);
    expect(e.value('discord_app_command_duration_seconds_count', { command: 'ping' })).toBe(3);
    expect(e.sum('discord_app_command_duration_seconds_count')).toBe(5);
    // Sapphire reports milliseconds and the histogram is in seconds: each menu run slept 120 ms.
    const menuSeconds =
      e.sum('discord_app_command_duration_seconds_sum') -
      e.value('discord_app_command_duration_seconds_sum', { command: 'ping' })!;
    expect(menuSeconds).toBeGreaterThanOrEqual((2 * USER_INFO_DELAY_MS) / 1000);
    expect(menuSeconds).toBeLessThan(60);

    // Prefix commands: two successes, one failure with its error type.
    expect(e.series('discord_commands_total', app).sort()).toEqual([
      ['discord_commands_total{command="roll",status="error",cluster="sapphire"}', 1],
      ['discord_commands_total{command="roll",status="success",cluster="sapphire"}', 2],
    ]);
    expect(e.series('discord_command_errors_total', app)).toEqual([
      ['discord_command_errors_total{command="roll",error_type="PlannedFailure",cluster="sapphire"}', 1],
    ]);
    // Like a wrapped handler, a failed command records no duration (Sapphire reports -1 for it).
    expect(e.value('discord_command_duration_seconds_count', { command: 'roll' })).toBe(2);
    expect(e.value('discord_command_duration_seconds_sum', { command: 'roll' })).toBeGreaterThan(0);

    // Nothing was labelled "unknown", and no Argus hook failed on Sapphire's payloads.
    expect(e.text).not.toContain('command="unknown"');
    expect(e.sum('argus_instrumentation_errors_total')).toBe(0);

    // Sapphire really ran the handlers: two roll replies, and only the planned failure logged.
    await until(() => replies.filter((r) => r.startsWith('rolled ')).length === 2, 5_000, 'roll replies');
    const logged = logger.lines.filter((l) => l.level >= LogLevel.Warn).map((l) => l.text);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('a die needs at least one side');
  });

  it('labels an application command as Discord names it, like wrapCommand and the interaction metrics', async () => {
    const { e } = await played;
    // The context menu is "User Info" to Discord, to argus-dpy (qualified_name), to wrapCommand and
    // to discord_interaction_response_seconds; the Sapphire piece behind it is named `userinfo`.
    expect(e.value('discord_interaction_response_seconds_count', { command: 'User Info' })).toBe(2);
    expect(e.series('discord_app_commands_total', { cluster: 'sapphire' }).sort()).toEqual([
      ['discord_app_commands_total{command="User Info",status="success",cluster="sapphire"}', 2],
      ['discord_app_commands_total{command="ping",status="success",cluster="sapphire"}', 3],
    ]);
    expect(e.value('discord_app_command_duration_seconds_count', { command: 'User Info' })).toBe(2);
  });

  it('sends Sapphire commands to per-guild analytics, as it does wrapped handlers', async () => {
    await played;
    // Every event is produced by now; wait for the sink to have none queued or in flight.
    const e = await until(
      async () => {
        const x = await scrape();
        return x.sum('argus_history_events_written_total') > 0 && x.value('argus_history_queue_events') === 0
          ? x
          : undefined;
      },
      15_000,
      'the analytics queue to drain',
    );
    // 5 interactions, then one command event per command run: 5 application and 3 prefix.
    expect(e.sum('argus_history_events_written_total')).toBe(13);
    expect(e.sum('argus_history_events_dropped_total')).toBe(0);
  });
});
