import type { HttpBindings } from '@hono/node-server';

/**
 * Marks the response to a request whose body has not all arrived yet with `Connection: close`.
 * No route reads a GET or HEAD body, and Node would otherwise read and discard whatever the
 * client keeps sending after the answer (an endless chunked body, for as long as the request
 * timeout allows); closing stops reading at once.
 */
export function closeIfBodyUnread(bindings: HttpBindings): void {
  const { incoming, outgoing } = bindings;
  if (incoming.complete || outgoing.headersSent) return;
  const { headers } = incoming;
  const length = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return;
  outgoing.setHeader('Connection', 'close');
}
