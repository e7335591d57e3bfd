// /api/analytics/*: the per-guild questions over HTTP. Fail closed (403) without a token, 400 with
// a reason for any bad parameter, and never a 500 for what a request carries.

import {
  type AnalyticsWindow,
  DEFAULT_WINDOW_DAYS,
  type FailOpenGuard,
  RESPONSE_DEADLINE_MS,
  resolveWindow,
  validateCluster,
  validateGuildId,
  validateLimit,
  type WindowInput,
  withTimeout,
} from '@argus/core';
import type { Context } from 'hono';
import type { AnalyticsOptions, ArgusApp, RouteTools } from './types';

const DEFAULT_ANALYTICS_TIMEOUT_MS = 10_000;
const DEFAULT_ANALYTICS_CONCURRENCY = 16;
const MAX_SEARCH_LENGTH = 100;
const DEFAULT_SEARCH_LIMIT = 20;

const HEADERS = { 'Cache-Control': 'no-store' } as const;

/** A request the route refuses, with the status and the sentence the caller sees. */
class RouteError extends Error {
  constructor(
    readonly status: 400 | 403 | 503 | 504,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function bad(message: string): RouteError {
  return new RouteError(400, 'bad_request', message);
}

/** Integer text only: `7`, not `7.0`, `0x7`, `1e1` or ` 7`. */
function intParam(c: Context, name: string, maxDigits: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  if (!new RegExp(`^\\d{1,${maxDigits}}$`).test(raw)) throw bad(`${name} must be a whole number`);
  return Number(raw);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `from`/`to`: epoch milliseconds or an ISO 8601 date or date-time (UTC unless it says otherwise). */
function timeParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  let ms = Number.NaN;
  if (/^\d{1,16}$/.test(raw)) ms = Number(raw);
  else if (ISO_TIME.test(raw)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(raw) || raw.length === 10 ? raw : `${raw}Z`;
    ms = Date.parse(zoned.replace(' ', 'T'));
  }
  if (!Number.isFinite(ms)) throw bad(`${name} must be epoch milliseconds or an ISO 8601 date`);
  return ms;
}

function windowOf(c: Context): WindowInput {
  const input: WindowInput = {};
  const days = intParam(c, 'days', 6);
  const from = timeParam(c, 'from');
  const to = timeParam(c, 'to');
  if (days !== undefined) input.days = days;
  if (from !== undefined) input.from = from;
  if (to !== undefined) input.to = to;
  return input;
}

/** The rolling window a request asks for, resolved once so the answer can say which it used. */
function resolvedWindow(c: Context, now: number): AnalyticsWindow & { cluster: string } {
  const cluster = validateCluster(c.req.query('cluster'));
  const input = windowOf(c);
  return { ...resolveWindow({ days: DEFAULT_WINDOW_DAYS, ...input }, now), cluster };
}

function isParamError(error: unknown): error is Error {
  // By name: the source may carry its own copy of @argus/core.
  return error instanceof Error && error.name === 'AnalyticsParamError';
}

/** Limits how many analytics queries run at once, so one viewer cannot queue up the store. */
class Gate {
  private running = 0;
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit)
      throw new RouteError(503, 'busy', 'too many analytics queries at once; retry in a moment');
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}

/**
 * Registers the analytics routes. Every one requires the dashboard token; with none configured
 * they all answer 403, so per-guild data is never served to anyone who happens to reach the port.
 */
export function registerAnalytics(
  app: ArgusApp,
  tools: RouteTools,
  options: AnalyticsOptions,
  guard: FailOpenGuard,
): void {
  const { source, token } = options;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANALYTICS_TIMEOUT_MS;
  const gate = new Gate(options.maxConcurrent ?? DEFAULT_ANALYTICS_CONCURRENCY);

  const name = (guildId: string): string | null => {
    const directory = options.guilds;
    if (!directory) return null;
    try {
      const found = directory.name(guildId);
      return typeof found === 'string' ? found : null;
    } catch (error) {
      guard.report('server:analytics', error);
      return null;
    }
  };

  app.use('/api/analytics/*', async (c, next) => {
    if (token === undefined)
      return c.json(
        {
          error: 'analytics_requires_token',
          reason:
            'per-guild analytics is only served with a dashboard token: set dashboardAuthToken (ARGUS_DASHBOARD_AUTH_TOKEN)',
        },
        403,
        HEADERS,
      );
    return next();
  });
  if (token !== undefined)
    app.use('/api/analytics/*', tools.requireToken(token, 'analytics', { json: true }));

  const route = (path: string, answer: (c: Context) => Promise<object>) =>
    tools.get(`/api/analytics/${path}`, async (c) => {
      try {
        const body = await answer(c);
        return c.json(body, 200, HEADERS);
      } catch (error) {
        if (error instanceof RouteError)
          return c.json({ error: error.code, reason: error.message }, error.status, {
            ...HEADERS,
            ...(error.status === 503 ? { 'Retry-After': '1' } : {}),
          });
        if (isParamError(error)) return c.json({ error: 'bad_request', reason: error.message }, 400, HEADERS);
        guard.report('server:analytics', error);
        return c.json(
          { error: 'analytics_unavailable', reason: 'the analytics store could not answer; retry later' },
          503,
          { ...HEADERS, 'Retry-After': '5' },
        );
      }
    });

  const ask = <T>(work: () => Promise<T>) =>
    gate.run(() =>
      withTimeout(
        Promise.resolve().then(work),
        timeoutMs,
        () =>
          new RouteError(
            504,
            'analytics_timeout',
            `the analytics store did not answer within ${timeoutMs} ms`,
          ),
      ),
    );

  /** The common part of every per-guild route: id, window, cluster; echoed in the answer. */
  const guildScope = (c: Context) => {
    const guildId = c.req.query('guild_id');
    if (guildId === undefined || guildId === '') throw bad('guild_id is required');
    validateGuildId(guildId);
    const { from, to, cluster } = resolvedWindow(c, now());
    const query = { guildId, from, to, ...(cluster ? { cluster } : {}) };
    const head = {
      guildId,
      name: name(guildId),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    };
    return { query, head };
  };

  const limitOf = (c: Context, fallback: number) => validateLimit(intParam(c, 'limit', 6), fallback);

  route('interaction-volume', async (c) => {
    const { query, head } = guildScope(c);
    return { ...head, rows: await ask(() => source.interactionVolume(query)) };
  });

  route('top-commands', async (c) => {
    const { query, head } = guildScope(c);
    const limit = limitOf(c, 10);
    return { ...head, rows: await ask(() => source.topCommands({ ...query, limit })) };
  });

  route('command-stats', async (c) => {
    const { query, head } = guildScope(c);
    const limit = limitOf(c, 50);
    return { ...head, rows: await ask(() => source.commandStats({ ...query, limit })) };
  });

  route('avg-duration', async (c) => {
    const { query, head } = guildScope(c);
    return { ...head, ...(await ask(() => source.overall(query))) };
  });

  route('response-share', async (c) => {
    const { query, head } = guildScope(c);
    return { ...head, ...(await ask(() => source.responseShare(query))), deadlineMs: RESPONSE_DEADLINE_MS };
  });

  route('top-guilds', async (c) => {
    const { from, to, cluster } = resolvedWindow(c, now());
    const limit = limitOf(c, 10);
    const rows = await ask(() => source.topGuilds({ from, to, limit, ...(cluster ? { cluster } : {}) }));
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      rows: rows.map((row) => ({ ...row, name: name(row.guildId) })),
    };
  });

  route('guilds', async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    if (q === '' || q.length > MAX_SEARCH_LENGTH)
      throw bad(`q must be 1 to ${MAX_SEARCH_LENGTH} characters of a guild name or id`);
    const limit = limitOf(c, DEFAULT_SEARCH_LIMIT);
    const directory = options.guilds;
    if (!directory) return { rows: [] };
    let rows: { guildId: string; name: string | null }[];
    try {
      rows = directory.search(q, limit).slice(0, limit);
    } catch (error) {
      guard.report('server:analytics', error);
      throw new RouteError(503, 'analytics_unavailable', 'the guild list could not be searched; retry later');
    }
    return { rows };
  });
}
