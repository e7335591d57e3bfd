import type { Client } from 'discord.js';

/** Destroys clients, swallowing errors (afterEach must not mask the test's own failure). */
export async function destroyAll(clients: Client[]): Promise<void> {
  for (const c of clients.splice(0)) await c.destroy().catch(() => {});
}
