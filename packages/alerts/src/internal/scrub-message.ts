// An error message made safe to post: what a handler threw may quote user input or carry a token.

const DISCORD_TOKEN = /[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/g;
const QUOTED = /(["'`])(?:(?!\1).){0,400}\1/g;
const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;
const LONG_SECRET = /\b[A-Za-z0-9_\-+/=]{32,}\b/g;
const SNOWFLAKE = /\b\d{15,21}\b/g;
const MENTION = /<[@#][!&]?\d+>/g;

/**
 * Keeps the shape of an error message and drops what could be user content or a secret: quoted
 * text, URLs (webhook and API URLs hold tokens), e-mail addresses, Discord tokens, long opaque
 * strings, snowflake ids and mentions. At most `max` characters.
 */
export function scrubMessage(message: string, max = 200): string {
  const scrubbed = message
    .replace(DISCORD_TOKEN, '<token>')
    .replace(URL_TEXT, '<url>')
    .replace(QUOTED, '$1…$1')
    .replace(EMAIL, '<email>')
    .replace(MENTION, '<mention>')
    .replace(SNOWFLAKE, '<id>')
    .replace(LONG_SECRET, '<redacted>')
    .replace(/\s+/g, ' ')
    .trim();
  return scrubbed.length <= max ? scrubbed : `${scrubbed.slice(0, max - 1)}…`;
}
