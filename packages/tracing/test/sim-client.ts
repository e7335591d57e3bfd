// A discord.js Client for the simulator, and a condition poll: what the tracing tests need of a
// bot harness without @argus/discordjs (which depends on this package).
import { once } from 'node:events';
import type { DiscordSim } from '@argus/discord-sim';
import { Client, Events, GatewayIntentBits } from 'discord.js';

export function makeClient(sim: DiscordSim): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    shards: 'auto',
    rest: { api: sim.apiUrl },
    // No identify throttle in tests: a re-IDENTIFY would otherwise wait ~5 s.
    ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
  });
}

export async function loginReady(client: Client, token: string): Promise<void> {
  const ready = once(client, Events.ClientReady);
  await client.login(token);
  await ready;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy, and returns that. */
export async function until<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}
