import type { ScenarioSpec } from '../types.js';

/** The traffic every named scenario shares: the DEMO_COMMANDS, three buttons, a select, a modal and prefix commands. */
const DEMO_TRAFFIC: Omit<ScenarioSpec, 'rate'> = {
  mix: { command: 60, autocomplete: 8, button: 12, select: 5, modal: 5, prefix: 10 },
  commands: [
    { name: 'ping', weight: 30 },
    { name: 'echo', weight: 12, options: { text: 'hello from the sim' } },
    { name: 'roll', weight: 10, options: { sides: 20 } },
    { name: 'config', subcommand: 'get', weight: 8, options: { key: 'prefix' } },
    { name: 'config', subcommand: 'set', weight: 4, options: { key: 'prefix', value: '?' } },
    { name: 'search', weight: 8, options: { query: 'metrics' } },
    { name: 'report', weight: 8 },
    { name: 'feedback', weight: 4 },
  ],
  autocomplete: [
    { name: 'search', focused: 'query', weight: 3 },
    { name: 'config', subcommand: 'get', focused: 'key', weight: 1 },
  ],
  buttons: ['confirm', 'cancel', 'next-page'],
  selects: [{ customId: 'color', values: ['red', 'green', 'blue'] }],
  modals: [{ customId: 'feedback', fields: { text: 'Great bot!' } }],
  prefixCommands: ['ping', 'help', 'stats'],
  prefix: '!',
};

/**
 * Named scenarios for the CLI, the control API and tests. `steady` is a calm bot; `busy` is a busy one
 * with rate-limit bursts; `chaos` adds a shard outage and a resume on top.
 */
export type ScenarioName = 'steady' | 'busy' | 'chaos';

export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioSpec>> = {
  steady: {
    name: 'steady',
    rate: 5,
    ...DEMO_TRAFFIC,
    errorShare: 0.05,
    slowShare: 0.05,
    ignoreShare: 0.01,
  },
  busy: {
    name: 'busy',
    rate: 50,
    ...DEMO_TRAFFIC,
    errorShare: 0.08,
    slowShare: 0.1,
    ignoreShare: 0.02,
    rateLimitBursts: { everyMs: 15_000, count: 3, route: '^/(channels|webhooks)/', retryAfter: 1 },
  },
  chaos: {
    name: 'chaos',
    rate: 20,
    ...DEMO_TRAFFIC,
    errorShare: 0.15,
    slowShare: 0.15,
    ignoreShare: 0.05,
    rateLimitBursts: { everyMs: 10_000, count: 5, route: '^/(channels|webhooks)/', retryAfter: 2 },
    outages: [{ atMs: 20_000, shardId: 0, durationMs: 10_000 }],
    disconnects: [{ atMs: 45_000, shardId: 0, code: 4000 }],
  },
};

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
