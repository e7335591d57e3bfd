import type { EventEmitter } from 'node:events';
import type { Client } from 'discord.js';
import { matchesAt } from '../internal/route-template';

/**
 * One answer of Discord's API to one attempt of a request (429s and 5xx included): the request's
 * whole URL (or, from the `response` event of older managers, its API path) and its status.
 */
export type RestResponseObserver = (method: unknown, url: string, status: number) => void;

type MakeRequest = (url: string, init: { method?: unknown }) => Promise<{ status?: unknown }>;

interface RestInternals {
  options?: { makeRequest?: MakeRequest; api?: unknown };
}

/**
 * Sees every response the client's REST manager gets, per attempt, and returns how to stop.
 *
 * Not through the REST `response` event: while that event has a listener, @discordjs/rest clones
 * every response (`Response.clone()`), several microseconds of each REST call of the bot. Instead the manager's own `makeRequest` option is wrapped: same attempts, same
 * statuses, nothing cloned, and only this client's requests. Older managers without the option
 * fall back to the event.
 */
export function observeRestResponses(
  client: Client,
  observe: RestResponseObserver,
  report: (error: unknown) => void,
): () => void {
  const rest = client.rest as unknown as RestInternals & EventEmitter;
  const options = rest.options;
  const original = options?.makeRequest;
  if (options === undefined || typeof original !== 'function') return listenToEvent(rest, observe, report);

  const seen = (url: string, method: unknown, status: unknown) => {
    try {
      observe(method, url, typeof status === 'number' ? status : 0);
    } catch (error) {
      report(error);
    }
  };
  let active = true;
  const wrapper: MakeRequest = function argusMakeRequest(this: unknown, url, init) {
    const pending = original.call(this, url, init);
    // A strategy that answers without a promise is passed through, unseen, never broken.
    if (!active || typeof url !== 'string' || typeof pending?.then !== 'function') return pending;
    // Rejections (network errors, aborts) pass through untouched: no response was seen.
    return pending.then((response) => {
      seen(url, init?.method, response?.status);
      return response;
    });
  };
  options.makeRequest = wrapper;
  return () => {
    active = false;
    // Someone wrapped it after us: ours stays, as a pass-through.
    if (options.makeRequest === wrapper) options.makeRequest = original;
  };
}

function listenToEvent(
  rest: EventEmitter,
  observe: RestResponseObserver,
  report: (error: unknown) => void,
): () => void {
  const listener = (request: { method?: unknown; path?: unknown }, response: { status?: unknown }) => {
    try {
      const status = typeof response?.status === 'number' ? response.status : 0;
      observe(request?.method, typeof request?.path === 'string' ? request.path : '', status);
    } catch (error) {
      report(error);
    }
  };
  rest.on('response', listener);
  return () => rest.off('response', listener);
}

/** `start`, moved past a `/v<digits>` segment there. */
function afterVersion(url: string, start: number): number {
  if (!matchesAt(url, '/v', start)) return start;
  let end = start + 2;
  while (end < url.length && url.charCodeAt(end) >= 48 && url.charCodeAt(end) <= 57) end++;
  const next = url.charCodeAt(end);
  return end > start + 2 && (end === url.length || next === 47 /* / */ || next === 63) /* ? */ ? end : start;
}

/**
 * The API path of a request URL (`https://discord.com/api/v10/channels/1?x` → `/channels/1?x`):
 * what follows the manager's `api` base and the version @discordjs/rest puts after it.
 */
export function restPathOf(url: string, api: unknown): string {
  let start: number;
  if (typeof api === 'string' && api !== '' && matchesAt(url, api, 0)) start = api.length;
  else {
    // Another base than the manager's: the URL's whole path.
    const scheme = url.indexOf('://');
    start = scheme === -1 ? 0 : url.indexOf('/', scheme + 3);
    if (start === -1) return '/';
  }
  start = afterVersion(url, start);
  return start >= url.length ? '/' : url.slice(start);
}
