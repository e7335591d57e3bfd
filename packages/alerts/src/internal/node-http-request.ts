// The webhook's transport: node:http(s), not undici. discord.js' REST client keeps the queue and
// the rate-limit handling; this only moves the bytes, outside undici's diagnostics channels, which
// Argus' REST metrics follow for every request to Discord's API origin. So an alert post is never
// counted as the bot's own REST traffic, even though both go to discord.com.
import http from 'node:http';
import https from 'node:https';

/** The most of a response body read: Discord answers a webhook execute with one message object. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

function headerPairs(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

export function nodeHttpRequest(url: string, init: RequestInit): Promise<Response> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
  if (!transport) return Promise.reject(new TypeError(`unsupported protocol ${target.protocol}`));
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    return Promise.reject(new TypeError('the alert webhook only sends JSON bodies'));
  }
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      { method: init.method ?? 'GET', headers: headerPairs(init.headers), signal: init.signal ?? undefined },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            response.destroy(new Error('response too large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          try {
            const empty = status === 204 || status === 304 || chunks.length === 0;
            resolve(
              new Response(empty ? null : Buffer.concat(chunks), {
                status,
                statusText: response.statusMessage ?? '',
                headers,
              }),
            );
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}
