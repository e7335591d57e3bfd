import { type Argus, type ArgusInit, argus } from '@argus/discordjs';
import { prometheus } from '@argus/prometheus';
import {
  ActionRowBuilder,
  type AutocompleteInteraction,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  ModalBuilder,
  Options,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';

/**
 * How a handler behaves, for demos and tests: the simulator's traffic asks for failures and late
 * answers through a `mode` option, a `:mode` custom id suffix or a `--mode=` prefix argument. A
 * real user never sends them, so on real Discord every command simply works.
 */
type Mode = 'ok' | 'slow' | 'error' | 'ignore';
const MODES: readonly string[] = ['ok', 'slow', 'error', 'ignore'];
const asMode = (value: unknown): Mode => (MODES.includes(String(value)) ? (value as Mode) : 'ok');
const SLOW_MS = 3_500;

export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

const settings = new Map<string, string>([
  ['prefix', '!'],
  ['language', 'en'],
  ['timezone', 'UTC'],
]);
const PREFIX_COMMANDS = ['ping', 'help', 'stats'];
const DOCS = ['metrics', 'dashboard', 'alerts', 'sharding', 'rate limits', 'interactions', 'tracing'];

export const COMMANDS = [
  { name: 'ping', description: 'Replies with pong' },
  { name: 'echo', description: 'Repeats your text' },
  { name: 'roll', description: 'Rolls a die' },
  { name: 'config', description: 'Reads or writes a setting' },
  { name: 'search', description: 'Searches the docs' },
  { name: 'report', description: 'Builds a report (deferred reply)' },
  { name: 'feedback', description: 'Opens the feedback form' },
] as const;

async function behave(mode: Mode): Promise<boolean> {
  if (mode === 'error') throw new CommandFailedError('the handler failed on purpose');
  if (mode === 'slow') await new Promise((r) => setTimeout(r, SLOW_MS));
  return mode !== 'ignore';
}

async function slashCommand(interaction: ChatInputCommandInteraction): Promise<void> {
  const mode = asMode(interaction.options.getString('mode'));
  if (!(await behave(mode))) return;
  switch (interaction.commandName) {
    case 'ping':
      await interaction.reply(`pong (${interaction.client.ws.ping} ms)`);
      return;
    case 'echo':
      await interaction.reply(interaction.options.getString('text') ?? '…');
      return;
    case 'roll': {
      const sides = interaction.options.getInteger('sides') ?? 6;
      await interaction.reply(`🎲 ${1 + Math.floor(Math.random() * sides)}`);
      return;
    }
    case 'config': {
      const key = interaction.options.getString('key') ?? '';
      if (interaction.options.getSubcommand(false) === 'set') {
        settings.set(key, interaction.options.getString('value') ?? '');
        await interaction.reply({ content: `${key} saved`, flags: MessageFlags.Ephemeral });
      } else {
        await interaction.reply({
          content: `${key} = ${settings.get(key) ?? '(unset)'}`,
          flags: MessageFlags.Ephemeral,
        });
      }
      return;
    }
    case 'search': {
      const query = interaction.options.getString('query') ?? '';
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('next-page').setLabel('Next').setStyle(ButtonStyle.Secondary),
      );
      await interaction.reply({ content: `Results for "${query}": ${DOCS.join(', ')}`, components: [row] });
      return;
    }
    case 'report':
      await interaction.deferReply();
      await new Promise((r) => setTimeout(r, 200));
      await interaction.editReply('Report: all systems nominal.');
      return;
    case 'feedback': {
      const modal = new ModalBuilder()
        .setCustomId('feedback')
        .setTitle('Feedback')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder()
              .setCustomId('text')
              .setLabel('Your feedback')
              .setStyle(TextInputStyle.Paragraph),
          ),
        );
      await interaction.showModal(modal);
      return;
    }
    default:
      await interaction.reply({ content: 'Unknown command', flags: MessageFlags.Ephemeral });
  }
}

async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused().toLowerCase();
  const pool = interaction.commandName === 'config' ? [...settings.keys()] : DOCS;
  await interaction.respond(
    pool
      .filter((v) => v.includes(focused))
      .slice(0, 25)
      .map((v) => ({ name: v, value: v })),
  );
}

async function component(interaction: Interaction): Promise<void> {
  if (!interaction.isButton() && !interaction.isStringSelectMenu() && !interaction.isModalSubmit()) return;
  const [base = '', rawMode] = interaction.customId.split(':');
  if (!(await behave(asMode(rawMode)))) return;
  if (interaction.isModalSubmit()) {
    await interaction.reply({ content: 'Thanks for the feedback!', flags: MessageFlags.Ephemeral });
  } else if (interaction.isStringSelectMenu()) {
    await interaction.update({ content: `Colour set to ${interaction.values.join(', ')}` });
  } else {
    await interaction.reply({
      content: base === 'cancel' ? 'Cancelled.' : `Done: ${base}`,
      flags: MessageFlags.Ephemeral,
    });
  }
}

async function prefixCommand(message: Message, name: string, mode: Mode): Promise<void> {
  if (!(await behave(mode))) return;
  if (name === 'ping') await message.reply('pong');
  else if (name === 'help' && message.channel.isSendable()) {
    await message.channel.send(`Commands: ${COMMANDS.map((c) => `/${c.name}`).join(' ')}`);
  } else if (name === 'stats') await message.reply(`In ${message.client.guilds.cache.size} guilds.`);
}

/**
 * What the bot keeps in memory. discord.js keeps the last 200 messages of every channel it sees,
 * forever; this bot reads a message once (a prefix command) and never looks back, so it keeps a
 * few per channel and sweeps the old ones, and its heap stays flat however long it runs.
 */
export const CACHE_LIMITS = {
  messagesPerChannel: 20,
  /** Sweep every this many seconds the messages older than `messageLifetimeSeconds`. */
  messageSweepIntervalSeconds: 120,
  messageLifetimeSeconds: 300,
} as const;

const cacheOptions: Pick<ClientOptions, 'makeCache' | 'sweepers'> = {
  makeCache: Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    MessageManager: CACHE_LIMITS.messagesPerChannel,
    // Reactions are never read; the bot has no reaction intent either.
    ReactionManager: 0,
  }),
  sweepers: {
    ...Options.DefaultSweeperSettings,
    messages: {
      interval: CACHE_LIMITS.messageSweepIntervalSeconds,
      lifetime: CACHE_LIMITS.messageLifetimeSeconds,
    },
  },
};

export interface ExampleBot {
  client: Client;
  argus: Argus;
  stop(): Promise<void>;
}

/** Builds the bot with Argus attached. Nothing else in it knows about metrics. */
export function createExampleBot(
  clientOptions: Partial<ClientOptions> = {},
  argusOptions: ArgusInit = {},
): ExampleBot {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    ...cacheOptions,
    ...clientOptions,
  });
  // Adapters composed in code; ARGUS_* variables tune them (and add OTLP push, tracing and
  // analytics when set).
  const metrics = argus(client, { metrics: [prometheus()], ...argusOptions });

  // One line per handler opts it into command metrics (duration, outcome, error type).
  const onSlash = metrics.wrapCommand(slashCommand);
  // Prefix commands are named where they are wrapped: what users type never becomes a label.
  const onPrefix = new Map(
    PREFIX_COMMANDS.map((name) => [name, metrics.wrapCommand(prefixCommand, { name })]),
  );

  client.on(Events.InteractionCreate, async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) await onSlash(interaction);
      else if (interaction.isAutocomplete()) await autocomplete(interaction);
      else await component(interaction);
    } catch (error) {
      // A real bot tells the user; errors on purpose stay quiet so the "unanswered" signal stays honest.
      if (!(error instanceof CommandFailedError) && interaction.isRepliable() && !interaction.replied) {
        await interaction
          .reply({ content: 'Something went wrong.', flags: MessageFlags.Ephemeral })
          .catch(() => {});
      }
    }
  });

  client.on(Events.MessageCreate, async (message) => {
    if (message.author.bot || !message.content.startsWith('!')) return;
    const [name = '', ...args] = message.content.slice(1).trim().split(/\s+/);
    const mode = asMode(args.find((a) => a.startsWith('--mode='))?.slice('--mode='.length));
    const command = name.toLowerCase();
    await onPrefix
      .get(command)?.(message, command, mode)
      .catch(() => {});
  });

  const bot: ExampleBot = {
    client,
    argus: metrics,
    async stop() {
      await bot.argus.close();
      await client.destroy();
    },
  };
  return bot;
}
