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

/** The interaction id of an initial-response route, or undefined for any other path. */
export function callbackInteractionId(path: string): string | undefined {
  // Checked on every REST response: a cheap test first, the parse only for callbacks.
  if (!path.endsWith('/callback')) return undefined;
  const match = /\/interactions\/(\d+)\/[^/]+\/callback$/.exec(path);
  return match?.[1];
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export function statusClass(status: number): string {
  return (status >= 100 && status < 600 && STATUS_CLASSES[Math.floor(status / 100) - 1]) || 'unknown';
}
