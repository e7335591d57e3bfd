// The headers of a response written outside the app's middleware (a request the adaptor or
// Node rejects before the app sees it), so those carry the same hardening as every other one.

/** Header name/value pairs, in the order they are sent. */
export type HeaderList = readonly (readonly [string, string])[];

/** For an app `createApp` did not build: the hardening a response with no content needs. */
const FALLBACK_HEADERS: HeaderList = [
  ['Server', 'argus'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cache-Control', 'no-store'],
  ['Content-Type', 'text/plain; charset=UTF-8'],
];

/** Set per response by Node or by the server itself, never copied. */
const PER_RESPONSE = new Set(['content-length', 'connection', 'date', 'keep-alive', 'transfer-encoding']);

const providers = new WeakMap<object, () => Promise<Response>>();

/** Registers how `app` answers an error: its hardening headers are read from that response. */
export function provideErrorResponse(app: object, sample: () => Promise<Response>): void {
  providers.set(app, sample);
}

/** The headers every error response for `app` carries. Never rejects. */
export async function errorHeadersFor(app: object): Promise<HeaderList> {
  const sample = providers.get(app);
  if (!sample) return FALLBACK_HEADERS;
  try {
    const response = await sample();
    await response.body?.cancel();
    const headers: [string, string][] = [];
    for (const [name, value] of response.headers) if (!PER_RESPONSE.has(name)) headers.push([name, value]);
    return headers.length > 0 ? headers : FALLBACK_HEADERS;
  } catch {
    return FALLBACK_HEADERS;
  }
}
