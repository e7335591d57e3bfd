import { once } from 'node:events';
import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';
import type { DiscordSim } from '../src/index.js';

/**
 * A real discord.js Client pointed at the sim. The no-op identify throttler is the G3 fix: without it
 * a re-IDENTIFY waits ~5 s on @discordjs/ws' per-bucket throttle.
 */
export function makeClient(sim: Pick<DiscordSim, 'apiUrl'>, options: Partial<ClientOptions> = {}): Client {
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

/** Polls until `check` returns a truthy value; for conditions without an event to await. */
export async function until<T>(
  check: () => T,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Destroys clients, swallowing errors (afterEach must not mask the test's own failure). */
export async function destroyAll(clients: Client[]): Promise<void> {
  for (const c of clients.splice(0)) await c.destroy().catch(() => {});
}
