import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The generic `Server` header: no version, no framework. */
export const SERVER_HEADER = 'argus';

/**
 * The origin (scheme, host, port) of an http(s) URL, or undefined for anything else. Paths,
 * queries and credentials never reach a header.
 */
export function httpOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.origin;
}

/** The CSP directives, in the order they are sent. `frame-src` also allows Grafana when set. */
function cspDirectives(grafanaUrl: string | undefined) {
  const grafana = httpOrigin(grafanaUrl);
  return {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameSrc: grafana ? ["'self'", grafana] : ["'self'"],
  };
}

/** The `Content-Security-Policy` value every response carries. */
export function contentSecurityPolicy(grafanaUrl?: string): string {
  return Object.entries(cspDirectives(grafanaUrl))
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join('; ');
}

/**
 * Security headers on every response, errors included: hono's secureHeaders (nosniff,
 * X-Frame-Options DENY, Referrer-Policy no-referrer, CSP, X-Powered-By removed, and its
 * cross-origin defaults) plus a generic `Server` header and `Cache-Control: no-store` unless a
 * route chose its own caching. HSTS is left out: this server speaks plain HTTP and must not pin
 * a proxy's whole domain.
 */
export function hardening(grafanaUrl: string | undefined): MiddlewareHandler[] {
  const headers = secureHeaders({
    contentSecurityPolicy: cspDirectives(grafanaUrl),
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    strictTransportSecurity: false,
    removePoweredBy: true,
  });
  const serverHeader: MiddlewareHandler = async (c, next) => {
    await next();
    try {
      c.res.headers.set('Server', SERVER_HEADER);
    } catch {
      // A response with immutable headers (e.g. one from fetch()): copy it into a mutable one.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('Server', SERVER_HEADER);
    }
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  };
  return [headers, serverHeader];
}

/** Makes a request-controlled value safe for one log line: no control characters, bounded length. */
export function sanitizeForLog(value: string, maxLength: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}...` : clean;
}
