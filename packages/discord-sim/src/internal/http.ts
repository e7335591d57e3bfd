import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Payload } from '../types.js';

/** Largest request body accepted (Discord's own attachment limit is 10 MiB for bots without boosts). */
export const MAX_BODY_BYTES = 26 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Payload,
  ) {
    super(String(body.message ?? status));
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { message: 'Request entity too large', code: 40005 });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a request body as discord.js sends it: JSON, or multipart/form-data with a `payload_json`
 * part when files are attached. Returns null for an empty or unparseable body.
 */
export async function parseBody(req: IncomingMessage, raw: Buffer): Promise<Payload | null> {
  if (raw.length === 0) return null;
  const type = req.headers['content-type'] ?? '';
  try {
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const json = form.get('payload_json');
      return typeof json === 'string' ? (JSON.parse(json) as Payload) : {};
    }
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Payload)
      : { value };
  } catch {
    return null;
  }
}

/** Like parseBody but keeps arrays (bulk command overwrite sends an array). */
export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, { message: 'The request body contains invalid JSON.', code: 50109 });
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
