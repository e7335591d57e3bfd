import type { FaultHandle, LatencyRule, Payload, RateLimitRule, StatusRule } from '../types.js';

type FaultKind = 'rateLimit' | 'status' | 'latency';

interface Fault {
  id: number;
  kind: FaultKind;
  method: string | null;
  route: RegExp | null;
  remaining: number;
  rule: RateLimitRule | StatusRule | LatencyRule;
}

export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: Payload;
  kind: 'rateLimit' | 'status';
}

/**
 * The queue of injected REST faults. Faults are matched in injection order, each consumed once per
 * matching request until its count runs out, so a test can script "the next 2 sends get a 429".
 */
export class FaultQueue {
  private faults: Fault[] = [];
  private nextId = 1;

  add(kind: FaultKind, rule: RateLimitRule | StatusRule | LatencyRule): FaultHandle {
    const fault: Fault = {
      id: this.nextId++,
      kind,
      method: rule.method ? rule.method.toUpperCase() : null,
      route: toRegExp(rule.route),
      remaining: Math.max(1, Math.floor(rule.count ?? 1)),
      rule,
    };
    this.faults.push(fault);
    return {
      id: fault.id,
      get remaining() {
        return fault.remaining;
      },
      cancel: () => {
        fault.remaining = 0;
        this.prune();
      },
    };
  }

  get size(): number {
    return this.faults.length;
  }

  clear(): void {
    for (const f of this.faults) f.remaining = 0;
    this.faults = [];
  }

  /** Total injected delay for this request (every matching latency fault is consumed). */
  takeDelay(method: string, path: string): number {
    let delay = 0;
    for (const f of this.faults) {
      if (f.kind === 'latency' && f.remaining > 0 && matches(f, method, path)) {
        f.remaining--;
        delay += Math.max(0, (f.rule as LatencyRule).delayMs);
      }
    }
    if (delay > 0) this.prune();
    return delay;
  }

  /** The first matching 429 or status fault, consumed, as a ready response; null if none. */
  takeResponse(method: string, path: string, route: string): FaultResponse | null {
    for (const f of this.faults) {
      if (f.kind === 'latency' || f.remaining <= 0 || !matches(f, method, path)) continue;
      f.remaining--;
      this.prune();
      return f.kind === 'rateLimit'
        ? rateLimitResponse(f.rule as RateLimitRule, route)
        : statusResponse(f.rule as StatusRule);
    }
    return null;
  }

  private prune(): void {
    this.faults = this.faults.filter((f) => f.remaining > 0);
  }
}

function toRegExp(route: RegExp | string | undefined): RegExp | null {
  if (route === undefined || route === '') return null;
  return typeof route === 'string' ? new RegExp(route) : route;
}

function matches(f: Fault, method: string, path: string): boolean {
  if (f.method && f.method !== method) return false;
  if (f.route) {
    f.route.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
    if (!f.route.test(path)) return false;
  }
  return true;
}

/** A short stable bucket id per route, like Discord's opaque hashes. */
function bucketFor(route: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < route.length; i++) {
    h ^= route.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `sim${h.toString(16).padStart(8, '0')}`;
}

export function rateLimitResponse(rule: RateLimitRule, route: string): FaultResponse {
  const retryAfter = rule.retryAfter ?? 1;
  const global = rule.global === true;
  const body: Payload = { message: 'You are being rate limited.', retry_after: retryAfter, global };
  if (global) body.code = 0;
  const headers: Record<string, string> = { 'retry-after': String(retryAfter) };
  if (!rule.bare) {
    // These are the headers @discordjs/rest needs to learn the bucket is exhausted and emit `rateLimited`.
    headers['x-ratelimit-limit'] = String(rule.limit ?? (global ? 50 : 5));
    headers['x-ratelimit-remaining'] = '0';
    headers['x-ratelimit-reset-after'] = String(retryAfter);
    headers['x-ratelimit-reset'] = String((Date.now() / 1000 + retryAfter).toFixed(3));
    headers['x-ratelimit-bucket'] = rule.bucket ?? bucketFor(route);
    headers['x-ratelimit-scope'] = global ? 'global' : (rule.scope ?? 'user');
    if (global) headers['x-ratelimit-global'] = 'true';
  }
  return { status: 429, headers, body, kind: 'rateLimit' };
}

const DEFAULT_BODIES: Record<number, Payload> = {
  400: { message: 'Invalid Form Body', code: 50035, errors: {} },
  401: { message: '401: Unauthorized', code: 0 },
  403: { message: 'Missing Permissions', code: 50013 },
  404: { message: '404: Not Found', code: 0 },
  405: { message: '405: Method Not Allowed', code: 0 },
  500: { message: '500: Internal Server Error', code: 0 },
  502: { message: '502: Bad Gateway', code: 0 },
  503: { message: '503: Service Unavailable', code: 0 },
  504: { message: '504: Gateway Timeout', code: 0 },
};

export function statusResponse(rule: StatusRule): FaultResponse {
  const body = rule.body ?? DEFAULT_BODIES[rule.status] ?? { message: `${rule.status}`, code: 0 };
  return { status: rule.status, headers: {}, body, kind: 'status' };
}
