import { once } from 'node:events';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Events,
  type Interaction,
  type Message,
  MessageFlags,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMANDS, type DiscordSim, startDiscordSim } from '../src/index.js';
import { destroyAll } from './helpers.js';

let sim: DiscordSim;
let client: Client;
const clients: Client[] = [];

/** Waits for the next interaction the bot receives. */
function nextInteraction(): Promise<Interaction> {
  return once(client, Events.InteractionCreate).then(([i]) => i as Interaction);
}

beforeAll(async () => {
  sim = await startDiscordSim({ shardCount: 2, guildCount: 4, heartbeatIntervalMs: 500 });
  client = makeClient(sim, { shards: [0, 1], shardCount: 2 });
  clients.push(client);
  await loginReady(client, sim.token);
});

afterAll(async () => {
  await destroyAll(clients);
  await sim.close();
});

describe('slash commands', () => {
  it('reply: interactionCreate fires, the callback is recorded with its latency', async () => {
    const received = nextInteraction();
    const guild = sim.guildsOfShard(1)[0];
    const sent = sim.sendInteraction({
      type: 'command',
      name: 'echo',
      options: { text: 'hi', times: 2, loud: true, ratio: 0.5 },
      guildId: guild?.id,
    });
    expect(sent.shardId).toBe(1);
    const interaction = (await received) as ChatInputCommandInteraction;
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.id).toBe(sent.id);
    expect(interaction.commandName).toBe('echo');
    expect(interaction.options.getString('text')).toBe('hi');
    expect(interaction.options.getInteger('times')).toBe(2);
    expect(interaction.options.getBoolean('loud')).toBe(true);
    expect(interaction.options.getNumber('ratio')).toBe(0.5);
    expect(interaction.guildId).toBe(guild?.id);
    expect(interaction.channel?.id).toBe(sent.channelId);
    expect(interaction.user.id).toBe(sent.userId);
    expect(interaction.member).toBeTruthy();
    await interaction.reply('pong');
    const cb = await sent.callback;
    expect(cb.callbackType).toBe(4);
    expect(cb.callbackTypeName).toBe('reply');
    expect(cb.body?.data).toMatchObject({ content: 'pong' });
    expect(cb.latencyMs).toBeGreaterThanOrEqual(0);
    expect(cb.latencyMs).toBeLessThan(5000);
    expect(sim.interaction(sent.id)?.callback?.callbackType).toBe(4);
  });

  it('subcommands, groups and user/channel options resolve', async () => {
    const received = nextInteraction();
    const user = sim.users[3];
    const channel = sim.guilds[0]?.channels[1];
    sim.sendInteraction({
      type: 'command',
      name: 'admin',
      group: 'config',
      subcommand: 'set',
      guildId: sim.guilds[0]?.id,
      options: [
        { name: 'who', type: 6, value: user?.id ?? '' },
        { name: 'where', type: 7, value: channel?.id ?? '' },
      ],
    });
    const i = (await received) as ChatInputCommandInteraction;
    expect(i.options.getSubcommandGroup()).toBe('config');
    expect(i.options.getSubcommand()).toBe('set');
    expect(i.options.getUser('who')?.username).toBe(user?.username);
    expect(i.options.getChannel('where')?.id).toBe(channel?.id);
    await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
  });

  it('deferReply then editReply (PATCH .../messages/%40original)', async () => {
    const received = nextInteraction();
    const sent = sim.sendInteraction({ type: 'command', name: 'report' });
    const edited = sim.waitFor('webhookMessage', (e) => e.action === 'edit' && e.interactionId === sent.id);
    const i = (await received) as ChatInputCommandInteraction;
    await i.deferReply();
    expect((await sent.callback).callbackTypeName).toBe('deferReply');
    const message = await i.editReply('done');
    expect(message.content).toBe('done');
    const e = await edited;
    expect(e.messageId).toBe('@original');
    expect(sim.interaction(sent.id)?.edits).toBe(1);
  });

  it('followUp (POST /webhooks/:app/:token)', async () => {
    const received = nextInteraction();
    const sent = sim.sendInteraction({ type: 'command', name: 'ping' });
    const i = (await received) as ChatInputCommandInteraction;
    await i.reply('first');
    const follow = await i.followUp('second');
    expect(follow.content).toBe('second');
    expect(sim.interaction(sent.id)?.followUps).toBe(1);
  });

  it('reply with withResponse (200 with the callback object and message)', async () => {
    const received = nextInteraction();
    sim.sendInteraction({ type: 'command', name: 'ping' });
    const i = (await received) as ChatInputCommandInteraction;
    const response = await i.reply({ content: 'with response', withResponse: true });
    expect(response.interaction.id).toBe(i.id);
    expect(response.resource?.message?.content).toBe('with response');
    const fetched = await i.fetchReply();
    expect(fetched.id).toBe(response.resource?.message?.id);
  });

  it('a second initial response is refused with 40060, like Discord', async () => {
    const received = nextInteraction();
    sim.sendInteraction({ type: 'command', name: 'ping' });
    const i = (await received) as ChatInputCommandInteraction;
    await i.reply('once');
    // Bypass discord.js' own "already replied" guard to hit the API a second time.
    await expect(
      client.rest.post(`/interactions/${i.id}/${i.token}/callback`, {
        body: { type: 4, data: { content: 'twice' } },
        auth: false,
      }),
    ).rejects.toMatchObject({ code: 40060, status: 400 });
    expect(sim.stats().interactions.duplicate).toBe(1);
  });
});

describe('components, modals, autocomplete', () => {
  it('button press -> update', async () => {
    const received = nextInteraction();
    const sent = sim.sendInteraction({ type: 'button', customId: 'confirm' });
    const i = (await received) as ButtonInteraction;
    expect(i.isButton()).toBe(true);
    expect(i.customId).toBe('confirm');
    expect(i.message.id).toBeTruthy();
    await i.update({ content: 'confirmed' });
    expect((await sent.callback).callbackTypeName).toBe('update');
  });

  it('string select -> deferUpdate', async () => {
    const received = nextInteraction();
    const sent = sim.sendInteraction({ type: 'select', customId: 'color', values: ['red', 'blue'] });
    const i = (await received) as StringSelectMenuInteraction;
    expect(i.isStringSelectMenu()).toBe(true);
    expect(i.values).toEqual(['red', 'blue']);
    await i.deferUpdate();
    expect((await sent.callback).callbackTypeName).toBe('deferUpdate');
  });

  it('command -> showModal, then modal submit -> reply', async () => {
    const first = nextInteraction();
    const cmd = sim.sendInteraction({ type: 'command', name: 'feedback' });
    const c = (await first) as ChatInputCommandInteraction;
    await c.showModal({
      custom_id: 'feedback',
      title: 'Feedback',
      components: [{ type: 1, components: [{ type: 4, custom_id: 'text', label: 'Text', style: 1 }] }],
    });
    expect((await cmd.callback).callbackTypeName).toBe('modal');

    const second = nextInteraction();
    const sent = sim.sendInteraction({ type: 'modal', customId: 'feedback', fields: { text: 'Great bot!' } });
    const m = (await second) as ModalSubmitInteraction;
    expect(m.isModalSubmit()).toBe(true);
    expect(m.customId).toBe('feedback');
    expect(m.fields.getTextInputValue('text')).toBe('Great bot!');
    await m.reply('thanks');
    expect((await sent.callback).callbackTypeName).toBe('reply');
  });

  it('autocomplete -> respond', async () => {
    const received = nextInteraction();
    const sent = sim.sendInteraction({
      type: 'autocomplete',
      name: 'search',
      options: { query: 'met', limit: 5 },
      focused: 'query',
    });
    const i = (await received) as AutocompleteInteraction;
    expect(i.isAutocomplete()).toBe(true);
    expect(i.options.getFocused(true)).toMatchObject({ name: 'query', value: 'met' });
    await i.respond([{ name: 'metrics', value: 'metrics' }]);
    const cb = await sent.callback;
    expect(cb.callbackTypeName).toBe('autocomplete');
    expect(cb.body?.data).toEqual({ choices: [{ name: 'metrics', value: 'metrics' }] });
  });

  it('raw INTERACTION_CREATE through dispatch() is tracked too', async () => {
    const received = nextInteraction();
    const guild = sim.guildsOfShard(0)[0];
    const template = sim.sendInteraction({ type: 'command', name: 'ping', guildId: guild?.id });
    const firstInteraction = await received;
    await (firstInteraction as ChatInputCommandInteraction).reply('x');
    await template.callback;
    // Now a hand-built payload with a fresh id/token.
    const second = nextInteraction();
    const seq = sim.dispatch(0, 'INTERACTION_CREATE', {
      id: '1234567890123456789',
      token: 'hand-made-token',
      type: 2,
      application_id: sim.applicationId,
      guild_id: guild?.id,
      channel_id: guild?.channels[0]?.id,
      channel: { id: guild?.channels[0]?.id, type: 0, guild_id: guild?.id, name: 'general' },
      member: {
        user: { id: sim.users[0]?.id, username: 'alice', discriminator: '0' },
        roles: [],
        joined_at: null,
      },
      data: { id: '1', name: 'raw', type: 1 },
      entitlements: [],
      authorizing_integration_owners: { '0': guild?.id },
      locale: 'en-US',
    });
    expect(seq).toBeGreaterThan(0);
    const raw = (await second) as ChatInputCommandInteraction;
    expect(raw.commandName).toBe('raw');
    await raw.reply('raw ok');
    expect(sim.interaction('1234567890123456789')?.callback?.name).toBe('raw');
  });
});

describe('prefix commands and channel messages', () => {
  it('MESSAGE_CREATE -> messageCreate -> channel.send and message.reply', async () => {
    const received = once(client, Events.MessageCreate);
    const channelMessages: string[] = [];
    sim.on('channelMessage', (e) => channelMessages.push(String(e.body.content)));
    const sent = sim.sendMessage({ content: '!ping', shardId: 1 });
    const [message] = (await received) as [Message];
    expect(message.content).toBe('!ping');
    expect(message.author.id).toBe(sent.userId);
    expect(message.guildId).toBe(sent.guildId);
    expect(message.author.bot).toBe(false);
    if (!message.channel.isSendable()) throw new Error('channel not sendable');
    const reply = await message.channel.send('pong');
    expect(reply.content).toBe('pong');
    expect(reply.author.id).toBe(sim.applicationId);
    await message.reply('pong again');
    expect(channelMessages).toEqual(['pong', 'pong again']);
    expect(sim.stats().channelMessages).toBeGreaterThanOrEqual(2);
  });

  it('sendTyping, edit and delete are accepted', async () => {
    const channel = await client.channels.fetch(sim.guilds[0]?.channels[0]?.id ?? '');
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    await channel.sendTyping();
    const m = await channel.send('draft');
    const edited = await m.edit('final');
    expect(edited.content).toBe('final');
    await m.delete();
  });
});

describe('application commands', () => {
  it('bulk overwrite and list return what was stored; interactions carry the registered id', async () => {
    const app = client.application;
    if (!app) throw new Error('no application');
    const set = await app.commands.set(DEMO_COMMANDS as never);
    expect(set.size).toBe(DEMO_COMMANDS.length);
    const fetched = await app.commands.fetch();
    expect([...fetched.values()].map((c) => c.name).sort()).toEqual(DEMO_COMMANDS.map((c) => c.name).sort());
    expect(sim.commands().map((c) => c.name)).toContain('config');
    const ping = fetched.find((c) => c.name === 'ping');
    const received = nextInteraction();
    sim.sendInteraction({ type: 'command', name: 'ping' });
    const i = (await received) as ChatInputCommandInteraction;
    expect(i.commandId).toBe(ping?.id);
    await i.reply('pong');
    // Guild-scoped registration works the same way.
    const guildId = sim.guilds[0]?.id ?? '';
    const guildSet = await app.commands.set([{ name: 'local', description: 'guild only' }], guildId);
    expect(guildSet.first()?.guildId).toBe(guildId);
    expect(sim.commands(guildId)).toHaveLength(1);
  });
});
