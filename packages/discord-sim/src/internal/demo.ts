import type { Payload, SimMode } from '../types.js';

/** Name of the slash-command option through which the driver asks for an error, a late answer or none. */
export const MODE_OPTION = 'mode';

export const SIM_MODES: readonly SimMode[] = ['ok', 'slow', 'error', 'ignore'];

function isMode(value: unknown): value is SimMode {
  return typeof value === 'string' && (SIM_MODES as readonly string[]).includes(value);
}

/** Reads the mode from a slash command's `mode` option value (absent or unknown = `ok`). */
export function modeOfOption(value: unknown): SimMode {
  return isMode(value) ? value : 'ok';
}

/**
 * Splits a component or modal custom_id into its base and mode: the driver sends `confirm` for ok and
 * `confirm:error`, `confirm:slow`, `confirm:ignore` otherwise.
 */
export function modeOfCustomId(customId: string): { base: string; mode: SimMode } {
  const at = customId.lastIndexOf(':');
  if (at > 0) {
    const suffix = customId.slice(at + 1);
    if (isMode(suffix)) return { base: customId.slice(0, at), mode: suffix };
  }
  return { base: customId, mode: 'ok' };
}

/**
 * Parses a prefix command as the driver sends it: `!ping`, `!ping --mode=error`.
 * Returns null when the content does not start with the prefix.
 */
export function parsePrefixCommand(
  content: string,
  prefix = '!',
): { name: string; args: string[]; mode: SimMode } | null {
  if (!content.startsWith(prefix)) return null;
  const words = content.slice(prefix.length).trim().split(/\s+/).filter(Boolean);
  const name = words.shift();
  if (!name) return null;
  let mode: SimMode = 'ok';
  const args: string[] = [];
  for (const w of words) {
    const m = /^--mode=(\w+)$/.exec(w);
    if (m && isMode(m[1])) mode = m[1];
    else args.push(w);
  }
  return { name: name.toLowerCase(), args, mode };
}

const modeOption: Payload = {
  type: 3,
  name: MODE_OPTION,
  description: 'Simulation: how the handler should behave',
  required: false,
  choices: SIM_MODES.map((m) => ({ name: m, value: m })),
};

/**
 * The slash commands the default scenarios use, ready for `PUT /applications/:app/commands`
 * (e.g. `rest.put(Routes.applicationCommands(appId), { body: DEMO_COMMANDS })`).
 * Suggested behaviour: ping/echo/roll reply at once; report defers then edits; search and config
 * answer autocomplete; feedback opens the `feedback` modal. Every command honours `mode`.
 */
export const DEMO_COMMANDS: readonly Payload[] = [
  { name: 'ping', description: 'Replies with pong', type: 1, options: [modeOption] },
  {
    name: 'echo',
    description: 'Repeats your text',
    type: 1,
    options: [{ type: 3, name: 'text', description: 'What to repeat', required: true }, modeOption],
  },
  {
    name: 'roll',
    description: 'Rolls a die',
    type: 1,
    options: [
      {
        type: 4,
        name: 'sides',
        description: 'Number of sides',
        required: false,
        min_value: 2,
        max_value: 100,
      },
      modeOption,
    ],
  },
  {
    name: 'config',
    description: 'Reads or writes a setting',
    type: 1,
    options: [
      {
        type: 1,
        name: 'get',
        description: 'Read a setting',
        options: [
          { type: 3, name: 'key', description: 'Setting', required: true, autocomplete: true },
          modeOption,
        ],
      },
      {
        type: 1,
        name: 'set',
        description: 'Write a setting',
        options: [
          { type: 3, name: 'key', description: 'Setting', required: true, autocomplete: true },
          { type: 3, name: 'value', description: 'New value', required: true },
          modeOption,
        ],
      },
    ],
  },
  {
    name: 'search',
    description: 'Searches the docs',
    type: 1,
    options: [
      { type: 3, name: 'query', description: 'Search terms', required: true, autocomplete: true },
      modeOption,
    ],
  },
  { name: 'report', description: 'Builds a report (deferred reply)', type: 1, options: [modeOption] },
  { name: 'feedback', description: 'Opens the feedback form', type: 1, options: [modeOption] },
];
