import type { Client } from 'discord.js';

const CLAIMED = Symbol.for('argus.discordjs.attached');

/**
 * Marks a client as instrumented; a second Argus on the same client would count everything
 * twice, so it is refused with a clear error. Returns the release for `close()`.
 */
export function claimClient(client: Client): () => void {
  const marked = client as unknown as Record<symbol, unknown>;
  if (marked[CLAIMED]) {
    throw new Error(
      'Argus is already attached to this discord.js Client; remove the second argus(client) call',
    );
  }
  marked[CLAIMED] = true;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    delete marked[CLAIMED];
  };
}
