// /api/analytics/* on a real engine: embedded ClickHouse 26.7 (chdb) through @argus/clickhouse,
// with data whose answers are known, then fuzzed parameters that must never reach SQL as text,
// never produce a 500 and never change the data.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AnalyticsQueries,
  type ClickHouseEngine,
  createEngine,
  ensureSchema,
  toRow,
} from '@argus/clickhouse';
import { type ArgusEvent, FailOpenGuard, resolveConfig } from '@argus/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { captureLogger } from './helpers';

/** A response whose JSON body the test reads loosely (the assertions check its shape). */
// biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the assertions, not the types
type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

const TOKEN = 'engine-token-1';
const GUILD = '312345678901234567';
const QUIET = '412345678901234567';
const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const DAY = 86_400_000;
const TABLE = 'http_events';

let dir: string;
let engine: ClickHouseEngine;
const failures: string[] = [];
let app: ReturnType<typeof createApp>;
let rows = 0;

function event(partial: Partial<ArgusEvent>): ArgusEvent {
  return {
    time: NOW - DAY,
    cluster: 'main',
    shard: 0,
    guildId: GUILD,
    event: 'command',
    type: 'application_command',
    command: 'ping',
    status: 'success',
    errorType: '',
    durationMs: 10,
    responseMs: null,
    ...partial,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argus-analytics-http-'));
  engine = await createEngine(join(dir, 'ch'));
  await ensureSchema(engine, { table: TABLE });
  const events: ArgusEvent[] = [];
  // GUILD: 3 interactions two days ago, 2 yesterday (one past the 3 s deadline); 4 commands, 1 error.
  for (const [ago, responseMs] of [
    [2, 100],
    [2, 200],
    [2, 300],
    [1, 2_000],
    [1, 4_000],
  ] as const)
    events.push(
      event({ time: NOW - ago * DAY, event: 'interaction', command: '', responseMs, durationMs: null }),
    );
  for (const [command, durationMs, failed] of [
    ['ping', 10, false],
    ['ping', 30, false],
    ['roll', 50, false],
    ['it\'s; -- a "name" ✓', 70, true],
  ] as const)
    events.push(
      event({
        time: NOW - 1.5 * DAY,
        command,
        durationMs,
        status: failed ? 'error' : 'success',
        errorType: failed ? 'Error' : '',
      }),
    );
  events.push(event({ guildId: QUIET, event: 'interaction', command: '', responseMs: 50, durationMs: null }));
  await engine.insert(TABLE, events.map(toRow));
  rows = events.length;

  const guard = new FailOpenGuard({ logger: captureLogger() });
  guard.setErrorCounter((hook) => failures.push(hook));
  app = createApp({
    config: resolveConfig({}, {}),
    readiness: () => ({ ready: true, checks: {} }),
    guard,
    analytics: {
      source: new AnalyticsQueries(engine, { table: TABLE, now: () => NOW }),
      token: TOKEN,
      now: () => NOW,
    },
  });
});

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) =>
  app.request(path, { headers: { Authorization: `Bearer ${TOKEN}` } }) as Promise<JsonResponse>;

describe('analytics routes on embedded ClickHouse', () => {
  it('answers with the known figures', async () => {
    const volume = await (await get(`/api/analytics/interaction-volume?guild_id=${GUILD}&days=7`)).json();
    expect(volume.rows).toEqual([
      { day: '2026-11-19', interactions: 3 },
      { day: '2026-11-20', interactions: 2 },
    ]);
    const stats = await (await get(`/api/analytics/command-stats?guild_id=${GUILD}&days=7`)).json();
    expect(stats.rows.map((r: { command: string; count: number }) => [r.command, r.count])).toEqual([
      ['ping', 2],
      ['it\'s; -- a "name" ✓', 1],
      ['roll', 1],
    ]);
    expect(stats.rows[1]).toMatchObject({ errors: 1, errorRatio: 1, avgMs: 70 });
    const overall = await (await get(`/api/analytics/avg-duration?guild_id=${GUILD}&days=7`)).json();
    expect(overall).toMatchObject({ commands: 4, errors: 1, errorRatio: 0.25, avgMs: 40 });
    const share = await (await get(`/api/analytics/response-share?guild_id=${GUILD}&days=7`)).json();
    expect(share).toMatchObject({ interactions: 5, withinDeadline: 4, share: 0.8 });
    const top = await (await get('/api/analytics/top-guilds?days=7')).json();
    expect(top.rows).toEqual([
      { guildId: GUILD, name: null, interactions: 5, commands: 4, errors: 1 },
      { guildId: QUIET, name: null, interactions: 1, commands: 0, errors: 0 },
    ]);
    expect((await (await get(`/api/analytics/top-commands?guild_id=${GUILD}&days=1`)).json()).rows).toEqual(
      [],
    );
  });

  it('fuzzed parameters get 200 or 400, never reach SQL as text and never change the data', async () => {
    const routes = [
      'interaction-volume',
      'top-commands',
      'command-stats',
      'avg-duration',
      'response-share',
      'top-guilds',
      'guilds',
    ];
    const nasty = fc.oneof(
      fc.constantFrom(
        "1'; DROP TABLE http_events; --",
        `${GUILD}' OR '1'='1`,
        `${GUILD}/**/OR/**/1=1`,
        `${GUILD};SELECT 1`,
        '0x1F',
        '１２３４５６７８９０１２３４５６７８', // full-width digits
        `${GUILD}\u0000`,
        '%00',
        '{guildId:String}',
        '9'.repeat(400),
        '-1',
        ' 7',
        'NaN',
        'Infinity',
        '2026-02-30',
        '2026-11-20T25:61:00Z',
      ),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.integer({ min: -1e6, max: 1e15 }).map(String),
    );
    const param = fc.tuple(
      fc.constantFrom('guild_id', 'days', 'from', 'to', 'limit', 'cluster', 'q', 'x'),
      nasty,
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(param, { maxLength: 5 }),
        async (route, params) => {
          const query = new URLSearchParams(params).toString();
          const res = await get(`/api/analytics/${route}?${query}`);
          statuses.add(res.status);
          const body = await res.json();
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expect(typeof body.reason).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
    expect(statuses.has(400)).toBe(true);
    expect(statuses.has(200)).toBe(true);
    expect(failures).toEqual([]);
    const [count] = await engine.query<{ n: string }>('SELECT count() AS n FROM {table:Identifier}', {
      table: TABLE,
    });
    expect(Number(count!.n)).toBe(rows);
  });
});
