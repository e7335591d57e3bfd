// The HTTP rules of /api/analytics/*: auth, parameter parsing, status mapping, limits. The source
// here is an in-memory recorder (a stand-in, so every call and argument can be checked exactly);
// test/analytics-engine.test.ts runs the same routes on a real embedded ClickHouse.

import {
  AnalyticsParamError,
  type AnalyticsSource,
  FailOpenGuard,
  type GuildQuery,
  resolveConfig,
  type TopGuildsQuery,
} from '@argus/core';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/helpers';
import { createApp } from './app';
import { dashboardOptions } from './dashboard';
import type { AnalyticsOptions } from './types';

/** A response whose JSON body the test reads loosely (the assertions check its shape). */
// biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the assertions, not the types
type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

const TOKEN = 'analytics-Token-7';
const GUILD = '123456789012345678';
const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const DAY = 86_400_000;

type Call = { method: keyof AnalyticsSource; query: GuildQuery | TopGuildsQuery };

function recordingSource(overrides: Partial<AnalyticsSource> = {}) {
  const calls: Call[] = [];
  const record =
    <T>(method: keyof AnalyticsSource, answer: T) =>
    async (query: GuildQuery | TopGuildsQuery) => {
      calls.push({ method, query });
      return answer;
    };
  const source: AnalyticsSource = {
    interactionVolume: record('interactionVolume', [{ day: '2026-11-20', interactions: 3 }]),
    topCommands: record('topCommands', [{ command: 'ping', count: 2 }]),
    commandStats: record('commandStats', [
      { command: 'ping', count: 2, errors: 1, errorRatio: 0.5, avgMs: 12, p95Ms: 20 },
    ]),
    overall: record('overall', { commands: 2, errors: 1, errorRatio: 0.5, avgMs: 12, p95Ms: 20 }),
    responseShare: record('responseShare', { interactions: 4, withinDeadline: 3, share: 0.75 }),
    topGuilds: record('topGuilds', [
      { guildId: GUILD, interactions: 9, commands: 4, errors: 1 },
      { guildId: '223456789012345678', interactions: 2, commands: 0, errors: 0 },
    ]),
    ...overrides,
  };
  return { source, calls };
}

function setup(options: Partial<AnalyticsOptions> = {}, dashboard = true) {
  const logger = captureLogger();
  const failures: string[] = [];
  const guard = new FailOpenGuard({ logger });
  guard.setErrorCounter((hook) => failures.push(hook));
  const { source, calls } = recordingSource();
  const config = resolveConfig({ dashboardAuthToken: options.token ?? TOKEN }, {});
  const app = createApp({
    config,
    readiness: () => ({ ready: true, checks: {} }),
    logger,
    guard,
    ...(dashboard
      ? {
          dashboard: dashboardOptions(config, {
            version: '0.0.0',
            analytics: true,
            snapshot: () => ({ time: 0, families: {} }) as never,
            assetsDir: '/nonexistent',
          }),
        }
      : {}),
    analytics: {
      source,
      token: TOKEN,
      now: () => NOW,
      guilds: {
        name: (id) => (id === GUILD ? 'Café "Guild"' : null),
        search: (q, limit) =>
          [{ guildId: GUILD, name: 'Café "Guild"' }].filter((g) => g.name.includes(q)).slice(0, limit),
      },
      ...options,
    },
  });
  const get = (path: string, token: string | null = TOKEN) =>
    app.request(
      path,
      token ? { headers: { Authorization: `Bearer ${token}` } } : {},
    ) as Promise<JsonResponse>;
  return { app, get, calls, failures, logger };
}

describe('/api/analytics/*', () => {
  it('answers each per-guild route with the window it used and the guild name', async () => {
    const { get, calls } = setup();
    const volume = await get(`/api/analytics/interaction-volume?guild_id=${GUILD}&days=7`);
    expect(volume.status).toBe(200);
    expect(volume.headers.get('cache-control')).toBe('no-store');
    expect(await volume.json()).toEqual({
      guildId: GUILD,
      name: 'Café "Guild"',
      from: new Date(NOW - 7 * DAY).toISOString(),
      to: new Date(NOW).toISOString(),
      rows: [{ day: '2026-11-20', interactions: 3 }],
    });
    expect(calls.at(-1)).toEqual({
      method: 'interactionVolume',
      query: { guildId: GUILD, from: NOW - 7 * DAY, to: NOW },
    });

    const top = await (
      await get(`/api/analytics/top-commands?guild_id=${GUILD}&limit=3&cluster=eu-1`)
    ).json();
    expect(top.rows).toEqual([{ command: 'ping', count: 2 }]);
    expect(calls.at(-1)).toEqual({
      method: 'topCommands',
      query: { guildId: GUILD, from: NOW - 30 * DAY, to: NOW, cluster: 'eu-1', limit: 3 },
    });

    await get(`/api/analytics/command-stats?guild_id=${GUILD}`);
    expect(calls.at(-1)).toMatchObject({ method: 'commandStats', query: { limit: 50 } });

    const avg = await (await get(`/api/analytics/avg-duration?guild_id=${GUILD}&days=1`)).json();
    expect(avg).toMatchObject({
      guildId: GUILD,
      commands: 2,
      errors: 1,
      errorRatio: 0.5,
      avgMs: 12,
      p95Ms: 20,
    });

    const share = await (await get(`/api/analytics/response-share?guild_id=${GUILD}`)).json();
    expect(share).toMatchObject({ interactions: 4, withinDeadline: 3, share: 0.75, deadlineMs: 3000 });

    const explicit = await get(
      `/api/analytics/interaction-volume?guild_id=${GUILD}&from=2026-11-01&to=2026-11-02T06:00:00Z`,
    );
    expect(explicit.status).toBe(200);
    expect(calls.at(-1)!.query).toMatchObject({
      from: Date.parse('2026-11-01T00:00:00Z'),
      to: Date.parse('2026-11-02T06:00:00Z'),
    });
    await get(`/api/analytics/interaction-volume?guild_id=${GUILD}&from=${NOW - DAY}`);
    expect(calls.at(-1)!.query).toMatchObject({ from: NOW - DAY, to: NOW });
  });

  it('lists the busiest guilds with names, and searches guilds by name', async () => {
    const { get, calls } = setup();
    const body = await (await get('/api/analytics/top-guilds?days=7&limit=5')).json();
    expect(body.rows).toEqual([
      { guildId: GUILD, name: 'Café "Guild"', interactions: 9, commands: 4, errors: 1 },
      { guildId: '223456789012345678', name: null, interactions: 2, commands: 0, errors: 0 },
    ]);
    expect(calls.at(-1)).toEqual({ method: 'topGuilds', query: { from: NOW - 7 * DAY, to: NOW, limit: 5 } });
    expect(await (await get('/api/analytics/guilds?q=Caf')).json()).toEqual({
      rows: [{ guildId: GUILD, name: 'Café "Guild"' }],
    });
    expect(await (await get('/api/analytics/guilds?q=nothing')).json()).toEqual({ rows: [] });
  });

  it('fails closed: 403 with no token configured, 401 on a missing or wrong token', async () => {
    const noToken = setup({ token: undefined }, false);
    const refused = await noToken.get(`/api/analytics/top-guilds`, null);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: 'analytics_requires_token',
      reason: expect.stringMatching(/ARGUS_DASHBOARD_AUTH_TOKEN/),
    });
    expect((await noToken.get(`/api/analytics/top-guilds`, 'anything')).status).toBe(403);
    expect(noToken.calls).toEqual([]);

    for (const dashboard of [true, false]) {
      const { get, calls } = setup({}, dashboard);
      expect((await get(`/api/analytics/interaction-volume?guild_id=${GUILD}`, null)).status).toBe(401);
      expect((await get(`/api/analytics/interaction-volume?guild_id=${GUILD}`, 'wrong')).status).toBe(401);
      expect(
        (await get(`/api/analytics/interaction-volume?guild_id=${GUILD}&token=${TOKEN}`, null)).status,
      ).toBe(200);
      expect(calls).toHaveLength(1);
    }
  });

  it.each([
    ['', /guild_id is required/],
    ['guild_id=', /guild_id is required/],
    ["guild_id=1'; DROP TABLE argus_events; --", /snowflake/],
    ['guild_id=12345', /snowflake/],
    [`guild_id=${GUILD}&days=0`, /days must be an integer from 1 to 90/],
    [`guild_id=${GUILD}&days=91`, /days/],
    [`guild_id=${GUILD}&days=7.5`, /days must be a whole number/],
    [`guild_id=${GUILD}&days=1e1`, /whole number/],
    [`guild_id=${GUILD}&limit=0`, /limit must be an integer from 1 to 100/],
    [`guild_id=${GUILD}&limit=101`, /limit/],
    [`guild_id=${GUILD}&from=yesterday`, /from must be epoch milliseconds or an ISO 8601 date/],
    [`guild_id=${GUILD}&from=1999-01-01`, /between 2015 and 2100/],
    [`guild_id=${GUILD}&from=2026-11-02&to=2026-11-01`, /to must be after from/],
    [`guild_id=${GUILD}&from=2026-01-01&to=2026-11-01`, /at most 90 days/],
    [`guild_id=${GUILD}&to=2026-11-01`, /to needs from/],
    [`guild_id=${GUILD}&cluster=eu%20west`, /cluster/],
    [`guild_id=${GUILD}&cluster=${'x'.repeat(65)}`, /cluster/],
  ])('answers 400 with a reason for ?%s', async (query, reason) => {
    const { get, calls } = setup();
    const res = await get(`/api/analytics/top-commands?${query}`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('bad_request');
    expect(body.reason).toMatch(reason);
    expect(calls).toEqual([]);
  });

  it('answers 400 for an empty or oversized search', async () => {
    const { get } = setup();
    expect((await get('/api/analytics/guilds')).status).toBe(400);
    expect((await get(`/api/analytics/guilds?q=${'a'.repeat(101)}`)).status).toBe(400);
  });

  it('maps store failures to 503, slow stores to 504, and bounds concurrent queries', async () => {
    const logger = captureLogger();
    const failures: string[] = [];
    const guard = new FailOpenGuard({ logger });
    guard.setErrorCounter((hook) => failures.push(hook));
    let release: () => void = () => {};
    const hanging = new Promise<never[]>((resolve) => {
      release = () => resolve([]);
    });
    const { source } = recordingSource({
      overall: async () => {
        throw new Error('Code: 210. Connection refused (internal detail)');
      },
      responseShare: async () => {
        throw new AnalyticsParamError('cluster must be 1 to 64 letters');
      },
      topCommands: () => hanging,
      interactionVolume: () => new Promise(() => {}),
    });
    const app = createApp({
      config: resolveConfig({}, {}),
      readiness: () => ({ ready: true, checks: {} }),
      logger,
      guard,
      analytics: { source, token: TOKEN, now: () => NOW, timeoutMs: 50, maxConcurrent: 2 },
    });
    const get = (path: string) =>
      app.request(path, { headers: { Authorization: `Bearer ${TOKEN}` } }) as Promise<JsonResponse>;

    const down = await get(`/api/analytics/avg-duration?guild_id=${GUILD}`);
    expect(down.status).toBe(503);
    const downBody = await down.text();
    expect(downBody).not.toMatch(/Connection refused|internal/);
    expect(JSON.parse(downBody).error).toBe('analytics_unavailable');
    expect(failures).toEqual(['server:analytics']);

    // A parameter error thrown by the source itself is still the caller's mistake.
    expect((await get(`/api/analytics/response-share?guild_id=${GUILD}`)).status).toBe(400);

    const slow = await get(`/api/analytics/interaction-volume?guild_id=${GUILD}`);
    expect(slow.status).toBe(504);
    expect((await slow.json()).error).toBe('analytics_timeout');

    // Two queries stuck on the store fill the gate; a third is turned away at once.
    const appSlow = createApp({
      config: resolveConfig({}, {}),
      readiness: () => ({ ready: true, checks: {} }),
      guard,
      analytics: { source, token: TOKEN, now: () => NOW, timeoutMs: 5_000, maxConcurrent: 2 },
    });
    const getSlow = (path: string) =>
      appSlow.request(path, { headers: { Authorization: `Bearer ${TOKEN}` } }) as Promise<JsonResponse>;
    const first = getSlow(`/api/analytics/top-commands?guild_id=${GUILD}`);
    const second = getSlow(`/api/analytics/top-commands?guild_id=${GUILD}`);
    await new Promise((r) => setTimeout(r, 10));
    const third = await getSlow(`/api/analytics/top-commands?guild_id=${GUILD}`);
    expect(third.status).toBe(503);
    expect((await third.json()).error).toBe('busy');
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await getSlow(`/api/analytics/top-commands?guild_id=${GUILD}`)).status).toBe(200);
  });

  it('exists only when analytics is configured, and only answers GET and HEAD', async () => {
    const app = createApp({ config: resolveConfig({}, {}), readiness: () => ({ ready: true, checks: {} }) });
    expect((await app.request(`/api/analytics/top-guilds`)).status).toBe(404);
    const { app: withAnalytics } = setup();
    const post = await withAnalytics.request('/api/analytics/top-guilds', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(post.status).toBe(405);
  });

  it('a throwing guild directory costs the name, not the answer', async () => {
    const { source } = recordingSource();
    const failures: string[] = [];
    const guard = new FailOpenGuard({ logger: captureLogger() });
    guard.setErrorCounter((hook) => failures.push(hook));
    const app = createApp({
      config: resolveConfig({}, {}),
      readiness: () => ({ ready: true, checks: {} }),
      guard,
      analytics: {
        source,
        token: TOKEN,
        now: () => NOW,
        guilds: {
          name: () => {
            throw new Error('cache gone');
          },
          search: () => {
            throw new Error('cache gone');
          },
        },
      },
    });
    const get = (path: string) =>
      app.request(path, { headers: { Authorization: `Bearer ${TOKEN}` } }) as Promise<JsonResponse>;
    const res = await get('/api/analytics/top-guilds');
    expect(res.status).toBe(200);
    expect((await res.json()).rows[0].name).toBeNull();
    expect((await get('/api/analytics/guilds?q=x')).status).toBe(503);
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });
});
