/** A Discord webhook URL taken apart: the API base (so a simulator can stand in), id and token. */
export interface WebhookTarget {
  api: string;
  id: string;
  token: string;
}

/**
 * Reads `https://discord.com/api/webhooks/<id>/<token>` (optionally `/api/v10/…`, or any host,
 * for a simulator). A bad URL fails with an error that names the option but never echoes the
 * token.
 */
export function parseWebhookUrl(url: string, option: string): WebhookTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${option} is not a URL (expected https://discord.com/api/webhooks/<id>/<token>)`);
  }
  const match = /^(.*?\/api)(?:\/v\d+)?\/webhooks\/(\d{1,20})\/([\w-]{1,200})\/?$/.exec(parsed.pathname);
  if (!match || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new TypeError(
      `${option} must be a Discord webhook URL like https://discord.com/api/webhooks/<id>/<token> (host ${parsed.host})`,
    );
  }
  return { api: `${parsed.origin}${match[1]}`, id: match[2] as string, token: match[3] as string };
}
