// `@argus/core/discordjs`: the discord.js layer. It listens to a Client and publishes lifecycle
// events; the root entry stays the neutral kernel that never touches discord.js.
export { claimClient } from './instrumentation/claim';
export { ClientGauges } from './instrumentation/client-gauges';
export {
  DiscordInstrumentation,
  type InstrumentationOptions,
  instrumentDiscordClient,
  type WrapCommandOptions,
} from './instrumentation/discord-client';
