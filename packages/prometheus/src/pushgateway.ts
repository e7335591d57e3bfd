// Pushgateway push, for bots Prometheus cannot reach (behind NAT, on hosting panels): the whole
// group is PUT every interval with the same text /metrics serves, and DELETEd on close so a
// stopped bot does not stay "alive" forever. Fail open: a failed push is counted, never thrown.
import type { Counter, FailOpenGuard, HealthState, Logger, MetricRegistry } from '@argus/core';

export const PUSHES_METRIC = 'argus_pushgateway_pushes_total';
const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';
const DEFAULT_INTERVAL_MS = 15_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_DEADLINE_MS = 5_000;

export interface PushgatewayOptions {
  /** The Pushgateway's base URL, e.g. `http://pushgateway:9091` (a path prefix is kept). */
  url: string;
  /** The `job` of the group. Default argus. */
  job?: string;
  /** Adds `instance` to the grouping key (job and cluster are always in it). */
  instance?: string;
  /** Milliseconds between pushes; the first is immediate. Default 15000. */
  intervalMs?: number;
  /** Milliseconds one push may take. Default 10000, at most `intervalMs`. */
  timeoutMs?: number;
  /** Basic auth (with `password`). */
  username?: string;
  password?: string;
  /** Bearer auth; not together with basic auth. */
  bearerToken?: string;
}

export interface PushgatewayContext {
  /**
   * The Prometheus text exposition (format 0.0.4), as /metrics serves it. In argus(), the
   * `prometheus()` adapter provides it: list it in `metrics` beside `pushgateway()`.
   */
  render?: () => string | Promise<string>;
  /** Where `argus_pushgateway_pushes_total{result}` is defined. */
  registry: MetricRegistry;
  /** The `cluster` grouping label. */
  clusterId: string;
  /** Reports `pushgateway` up or down after each push. */
  health?: HealthState;
  guard?: FailOpenGuard;
  /** Told when pushes start failing and when they recover (once each way). Never sees credentials. */
  logger?: Logger;
}

export interface PushgatewayPush {
  /** Pushes now; resolves to whether the Pushgateway took it. Never rejects. */
  push(): Promise<boolean>;
  /** Stops pushing and DELETEs the group, within `deadlineMs` (default 5000). Never rejects. */
  close(deadlineMs?: number): Promise<void>;
}

export interface PushgatewayAdapter {
  readonly kind: 'pushgateway';
  readonly role: 'metrics';
  start(context: PushgatewayContext): PushgatewayPush;
}

/** A bad `pushgateway()` option, named with its value (secrets are never shown). */
export class PushgatewayOptionError extends Error {
  override readonly name = 'PushgatewayOptionError';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`Pushgateway option ${option}: ${reason}`);
  }
}

/**
 * One path segment pair of the grouping key. A value with `/` (or an empty one) cannot travel as
 * a plain segment: the Pushgateway takes it as `<label>@base64/<URL-safe base64>`.
 */
export function groupingSegment(label: string, value: string): string {
  if (value === '') return `${label}@base64/=`;
  if (value.includes('/')) return `${label}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${label}/${encodeURIComponent(value)}`;
}

/** The group's URL: `<base>/metrics/job/<job>/cluster/<cluster>[/instance/<instance>]`. */
export function groupUrl(base: string, job: string, clusterId: string, instance?: string): string {
  const root = base.endsWith('/') ? base.slice(0, -1) : base;
  const segments = [groupingSegment('job', job), groupingSegment('cluster', clusterId)];
  if (instance !== undefined) segments.push(groupingSegment('instance', instance));
  return `${root}/metrics/${segments.join('/')}`;
}

export function pushgateway(options: PushgatewayOptions): PushgatewayAdapter {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new PushgatewayOptionError('url', `${JSON.stringify(options.url)} is not a valid URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new PushgatewayOptionError('url', `must be an http:// or https:// URL, not ${base.protocol}//`);
  if (base.username || base.password)
    throw new PushgatewayOptionError('url', 'put credentials in username/password, not in the URL');
  const millis = (option: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1 || value > 86_400_000)
      throw new PushgatewayOptionError(
        option,
        `${JSON.stringify(value)} must be a whole number of milliseconds from 1 to 86400000`,
      );
    return value;
  };
  const intervalMs = millis('intervalMs', options.intervalMs, DEFAULT_INTERVAL_MS);
  const timeoutMs = Math.min(millis('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS), intervalMs);
  const job = options.job ?? 'argus';
  if (job === '') throw new PushgatewayOptionError('job', 'must not be empty');
  if ((options.username === undefined) !== (options.password === undefined))
    throw new PushgatewayOptionError('username', 'basic auth needs both username and password');
  if (options.username !== undefined && options.bearerToken !== undefined)
    throw new PushgatewayOptionError('bearerToken', 'use either basic auth or a bearer token, not both');
  const headers: Record<string, string> = {};
  if (options.username !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
  if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;
  const origin = `${base.origin}${base.pathname === '/' ? '' : base.pathname}`;

  return {
    kind: 'pushgateway',
    role: 'metrics',
    start: (context) =>
      startPush(context, { origin, job, instance: options.instance, intervalMs, timeoutMs, headers }),
  };
}

interface Resolved {
  origin: string;
  job: string;
  instance: string | undefined;
  intervalMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

function startPush(context: PushgatewayContext, options: Resolved): PushgatewayPush {
  const render = context.render;
  if (render === undefined)
    throw new PushgatewayOptionError(
      'render',
      'pushgateway() pushes the Prometheus exposition: add prometheus() to metrics',
    );
  const guard = context.guard ?? context.registry.guard;
  const pushes = pushesCounter(context.registry);
  const success = pushes.labels('success');
  const failure = pushes.labels('failure');
  const url = groupUrl(options.origin, options.job, context.clusterId, options.instance);
  context.health?.enable('pushgateway');
  let lastOk: boolean | undefined;
  let inFlight: Promise<boolean> | undefined;
  let closed = false;

  const report = (ok: boolean, why?: string) => {
    (ok ? success : failure).inc(1);
    context.health?.set('pushgateway', ok);
    if (ok === lastOk) return;
    if (!ok)
      context.logger?.warn(`Pushgateway push to ${options.origin} failed (${why}); retrying every interval`);
    else if (lastOk === false) context.logger?.info('Pushgateway push recovered');
    lastOk = ok;
  };

  const pushOnce = async (): Promise<boolean> => {
    try {
      const body = await render();
      const res = await fetch(url, {
        method: 'PUT',
        headers: { ...options.headers, 'content-type': TEXT_FORMAT },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      // Drain the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      report(res.ok, `HTTP ${res.status}`);
      return res.ok;
    } catch (error) {
      report(false, (error as Error)?.name === 'TimeoutError' ? 'timed out' : 'unreachable');
      return false;
    }
  };

  const push = (): Promise<boolean> => {
    if (closed) return Promise.resolve(false);
    // One push at a time: a slow Pushgateway never piles requests up.
    inFlight ??= pushOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const timer = setInterval(() => void guard.run('pushgateway:push', push), options.intervalMs);
  timer.unref();
  void guard.run('pushgateway:push', push);

  let closing: Promise<void> | undefined;
  return {
    push,
    close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS) {
      closing ??= (async () => {
        closed = true;
        clearInterval(timer);
        const started = Date.now();
        await withDeadline(inFlight, deadlineMs);
        const left = Math.max(1, deadlineMs - (Date.now() - started));
        try {
          const res = await fetch(url, {
            method: 'DELETE',
            headers: options.headers,
            signal: AbortSignal.timeout(left),
          });
          await res.arrayBuffer().catch(() => undefined);
          if (!res.ok) context.logger?.warn(`Pushgateway refused to delete the group (HTTP ${res.status})`);
        } catch {
          context.logger?.warn('Pushgateway group not deleted: the Pushgateway did not answer in time');
        }
      })();
      return closing;
    },
  };
}

function pushesCounter(registry: MetricRegistry): Counter {
  if (!registry.has(PUSHES_METRIC))
    registry.define({
      kind: 'counter',
      name: PUSHES_METRIC,
      help: 'Pushgateway pushes, by result (success, or failure: unreachable, slow or refusing).',
      labelNames: ['result'],
    });
  return registry.counter(PUSHES_METRIC);
}

function withDeadline(work: Promise<unknown> | undefined, deadlineMs: number): Promise<void> {
  if (!work) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs);
    timer.unref();
  });
  return Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    deadline,
  ]).finally(() => clearTimeout(timer));
}
