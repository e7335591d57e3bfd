// Discord REST paths carry ids and tokens; a label may only carry the route's shape.

const API_PREFIX = /^\/api(?:\/v\d+)?/;

/**
 * `/api/v10/channels/1234/messages?limit=5` → `/channels/:id/messages`. Numeric ids of any
 * length, interaction and webhook tokens and reaction emojis are replaced, so the result is
 * bounded by Discord's route table, not by traffic.
 */
export function routeTemplate(path: string): string {
  let route = path;
  const query = route.indexOf('?');
  if (query !== -1) route = route.slice(0, query);
  route = route.replace(API_PREFIX, '').replaceAll('%40', '@'); // discord.js encodes `@original`, `@me`
  if (route.startsWith('/interactions/')) {
    return route.endsWith('/callback') ? '/interactions/:id/:token/callback' : '/interactions/:id/:token';
  }
  route = route
    .replace(/\/webhooks\/([^/]+)\/[^/]+/, '/webhooks/:id/:token')
    .replace(/\/reactions\/.*/, '/reactions/:reaction')
    .replace(/\/\d+(?=\/|$)/g, '/:id');
  return route === '' ? '/' : route;
}

/**
 * The interaction id of an initial-response request, or undefined for any other. Takes a path
 * or a whole URL: `…/interactions/<id>/<token>/callback`, then perhaps a query string. The id is
 * the segment as it stands (no digits check): only an exact match of a tracked id counts.
 */
export function callbackInteractionId(path: string): string | undefined {
  // Checked on every REST response, and every interaction has one. Each string builtin call
  // costs more than the scan it does, so: as few calls as the shape allows, no loop in JS, and
  // the cheap test first (most responses do not end in /callback).
  const query = path.indexOf('?');
  const end = query === -1 ? path.length : query;
  if (!path.endsWith(CALLBACK, end)) return undefined;
  const tokenEnd = end - CALLBACK.length;
  const at = path.indexOf(INTERACTIONS);
  if (at === -1) return undefined;
  const idStart = at + INTERACTIONS.length;
  const idEnd = path.indexOf('/', idStart);
  // A non-empty id, then one non-empty token segment ending right at /callback.
  if (idEnd <= idStart || idEnd + 1 >= tokenEnd || path.indexOf('/', idEnd + 1) !== tokenEnd)
    return undefined;
  return path.slice(idStart, idEnd);
}

/** `text.startsWith(part, at)`, several times faster on V8 for a short `part`. */
export function matchesAt(text: string, part: string, at: number): boolean {
  if (at < 0 || at + part.length > text.length) return false;
  for (let i = 0; i < part.length; i++) if (text.charCodeAt(at + i) !== part.charCodeAt(i)) return false;
  return true;
}
const CALLBACK = '/callback';
const INTERACTIONS = '/interactions/';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export function statusClass(status: number): string {
  return (status >= 100 && status < 600 && STATUS_CLASSES[Math.floor(status / 100) - 1]) || 'unknown';
}
