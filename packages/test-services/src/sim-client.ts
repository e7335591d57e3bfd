// A real discord.js Client for @argus/discord-sim. Imported as `@argus/test-services/sim-client`,
// apart from the index, so that tests which never make a Client do not load discord.js.
import { once } from 'node:events';
import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';

/**
 * What a Client needs of the simulator. Structural: @argus/discord-sim's own tests use this
 * package, so this package does not depend on @argus/discord-sim.
 */
export interface SimEndpoint {
  readonly apiUrl: string;
}

/**
 * A real discord.js Client pointed at the simulator, with discord.js' defaults otherwise (one
 * shard unless `options` say `shards: 'auto'` or name them). No identify throttle: a re-IDENTIFY
 * would otherwise wait ~5 s on @discordjs/ws' per-bucket throttle.
 */
export function makeClient(sim: SimEndpoint, options: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    ...options,
    rest: { api: sim.apiUrl, ...options.rest },
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }), ...options.ws },
  });
}

/** Logs in and waits for clientReady (registered before login: it can fire before login() resolves). */
export async function loginReady(client: Client, token: string): Promise<void> {
  const ready = once(client, Events.ClientReady);
  await client.login(token);
  await ready;
}
