import { createHash, timingSafeEqual } from 'node:crypto';
import { type Logger, RateLimitedLog } from '@argus/core';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { sanitizeForLog } from './security';
import type { RequireTokenOptions } from './types';

const MAX_LOGGED_PATH = 128;
const MAX_LOGGED_REMOTE = 64;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * A constant-time check of a presented token against the expected one. Both sides are hashed
 * with SHA-256 first, so the comparison always runs over 32 bytes and the expected length
 * cannot be learned from timing.
 */
export function createTokenMatcher(expected: string): (presented: string | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => {
    // Hash something even when nothing was presented, so both paths cost the same. An empty
    // token never matches, so a misconfigured empty secret fails closed.
    const ok = timingSafeEqual(digest(presented ?? ''), expectedDigest);
    return ok && presented !== undefined && presented !== '';
  };
}

/** The token of a request: `Authorization: Bearer <t>` first, then `?token=<t>` (EventSource). */
export function presentedToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header) {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  return c.req.query('token');
}

/** The peer address when served by @hono/node-server; "unknown" otherwise (e.g. app.request). */
export function remoteAddress(c: Context): string {
  try {
    const env = c.env as Partial<HttpBindings> | undefined;
    return env?.incoming?.socket?.remoteAddress ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Logs auth failures at warn, at most once per realm per interval; the next line carries how
 * many were left out. Only the path (never the query, which may hold `?token=`) and the peer
 * address are written, stripped of control characters and truncated.
 */
export class AuthFailureLog {
  private readonly limit: RateLimitedLog;

  constructor(
    private readonly logger: Logger,
    intervalMs = 60_000,
    now: () => number = Date.now,
  ) {
    this.limit = new RateLimitedLog({ intervalMs, now });
  }

  record(realm: string, path: string, remote: string, reason: 'missing' | 'invalid'): void {
    // Never throws: a broken logger must not turn a 401 into a 500.
    this.limit.log(realm, (suppressed) => {
      const safePath = sanitizeForLog(path, MAX_LOGGED_PATH);
      const safeRemote = sanitizeForLog(remote, MAX_LOGGED_REMOTE);
      this.logger.warn(`argus ${sanitizeForLog(realm, 32)} auth failure for ${safePath} from ${safeRemote}`, {
        realm,
        path: safePath,
        remote: safeRemote,
        reason: reason === 'missing' ? 'no token presented' : 'wrong token',
        ...(suppressed > 0 ? { suppressedSinceLastLog: suppressed } : {}),
      });
    });
  }
}

/**
 * Requires `token` on every request through this middleware; `undefined` disables the check.
 * Hono's bearerAuth is not used because it has no `?token=` fallback, which EventSource needs.
 */
export function requireToken(
  token: string | undefined,
  realm: string,
  failures: AuthFailureLog,
  options: RequireTokenOptions = {},
): MiddlewareHandler {
  if (token === undefined) return async (_c, next) => next();
  const matches = createTokenMatcher(token);
  const challenge = { 'WWW-Authenticate': `Bearer realm="argus"` };
  return async (c, next) => {
    const presented = presentedToken(c);
    if (matches(presented)) return next();
    failures.record(realm, c.req.path, remoteAddress(c), presented === undefined ? 'missing' : 'invalid');
    if (options.json) return c.json({ error: 'unauthorized' }, 401, challenge);
    return c.text('unauthorized\n', 401, challenge);
  };
}
