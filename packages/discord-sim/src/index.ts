/**
 * @argus/discord-sim: a fake Discord on 127.0.0.1 that an unmodified discord.js 14 Client logs into,
 * and a traffic driver that plays scenarios against it. See the README for the full API.
 */

export type { ExecutedWebhookMessage } from './internal/channel-webhooks.js';
export {
  DEMO_COMMANDS,
  MODE_OPTION,
  modeOfCustomId,
  modeOfOption,
  parsePrefixCommand,
  SIM_MODES,
} from './internal/demo.js';
export { playScenario, TrafficDriver } from './internal/driver.js';
export { shardOf } from './internal/ids.js';
export { SCENARIOS, type ScenarioName } from './internal/scenarios.js';
export { DiscordSim, startDiscordSim } from './internal/sim.js';
export type * from './types.js';
