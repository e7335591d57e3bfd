// Exception messages and stacks are the one place where text Argus did not write reaches a span.
// Cut out what can carry a secret: interaction and webhook tokens in a REST path or bare, bot tokens.
const TOKEN_PATH = /\/(interactions|webhooks)\/(\d+)\/[^/\s?#"']+/g;
const BOT_TOKEN = /[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/g;
const BEARER = /\b(Bot|Bearer)\s+[\w.-]{20,}/g;
/**
 * An interaction token can also sit bare in a message the bot wrote itself. Opaque runs of 32 or
 * more URL-safe characters mixing letters and digits look like credentials and go too.
 */
const OPAQUE = /(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{32,}(?![\w-])/g;

export function redactSecrets(text: string): string {
  return text
    .replace(TOKEN_PATH, '/$1/$2/:token')
    .replace(BOT_TOKEN, '<redacted>')
    .replace(BEARER, '$1 <redacted>')
    .replace(OPAQUE, '<redacted>');
}
