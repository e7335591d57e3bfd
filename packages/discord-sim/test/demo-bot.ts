import { type Client, Events, type Interaction, type Message } from 'discord.js';
import { MODE_OPTION, modeOfCustomId, modeOfOption, parsePrefixCommand, type SimMode } from '../src/index.js';

/** What the test bot saw, to compare with the traffic driver's report. */
export interface BotCounts {
  byCommand: Record<string, number>;
  byAutocomplete: Record<string, number>;
  byCustomId: Record<string, number>;
  byPrefix: Record<string, number>;
  byMode: Record<SimMode, number>;
  errors: number;
  /** Initial responses sent to interactions, and replies sent to prefix commands. */
  answeredInteractions: number;
  answeredPrefix: number;
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/**
 * A minimal bot that follows the sim's conventions: `mode` option / `:mode` custom_id suffix /
 * `--mode=` prefix argument. ok answers at once, slow answers after `slowMs`, error "fails" (counted,
 * then answered with an error message, as a real bot's error handler would), ignore never answers.
 */
export function attachDemoBot(client: Client, slowMs = 150): BotCounts {
  const counts: BotCounts = {
    byCommand: {},
    byAutocomplete: {},
    byCustomId: {},
    byPrefix: {},
    byMode: { ok: 0, slow: 0, error: 0, ignore: 0 },
    errors: 0,
    answeredInteractions: 0,
    answeredPrefix: 0,
  };
  const act = async (mode: SimMode, answer: () => Promise<unknown>, prefix = false) => {
    counts.byMode[mode]++;
    if (mode === 'ignore') return;
    if (mode === 'slow') await new Promise((r) => setTimeout(r, slowMs));
    if (mode === 'error') counts.errors++;
    await answer();
    if (prefix) counts.answeredPrefix++;
    else counts.answeredInteractions++;
  };
  client.on(Events.InteractionCreate, (i: Interaction) => {
    void (async () => {
      if (i.isChatInputCommand()) {
        const name = [i.commandName, i.options.getSubcommandGroup(false), i.options.getSubcommand(false)]
          .filter(Boolean)
          .join(' ');
        bump(counts.byCommand, name);
        const mode = modeOfOption(i.options.getString(MODE_OPTION));
        await act(mode, () => {
          if (i.commandName === 'report') return i.deferReply().then(() => i.editReply('report ready'));
          if (i.commandName === 'feedback') {
            return i.showModal({
              custom_id: 'feedback',
              title: 'Feedback',
              components: [
                { type: 1, components: [{ type: 4, custom_id: 'text', label: 'Text', style: 1 }] },
              ],
            });
          }
          return i.reply(mode === 'error' ? 'something went wrong' : 'ok');
        });
      } else if (i.isAutocomplete()) {
        bump(counts.byAutocomplete, i.commandName);
        counts.byMode.ok++;
        await i.respond([{ name: 'metrics', value: 'metrics' }]);
        counts.answeredInteractions++;
      } else if (i.isButton() || i.isStringSelectMenu() || i.isModalSubmit()) {
        const { base, mode } = modeOfCustomId(i.customId);
        bump(counts.byCustomId, base);
        await act(mode, () => (i.isModalSubmit() ? i.reply('thanks') : i.update({ content: 'updated' })));
      }
    })().catch(() => {
      // A test bot must not crash the run when the sim is closed under it.
    });
  });
  client.on(Events.MessageCreate, (m: Message) => {
    if (m.author.bot) return;
    const cmd = parsePrefixCommand(m.content);
    if (!cmd) return;
    bump(counts.byPrefix, cmd.name);
    void act(cmd.mode, async () => m.channel.isSendable() && m.channel.send(`${cmd.name}!`), true).catch(
      () => {},
    );
  });
  return counts;
}
