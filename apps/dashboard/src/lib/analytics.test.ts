import { describe, expect, it, vi } from 'vitest';
import {
  BUSY_RETRY_MS,
  fillDays,
  type Get,
  guildHash,
  guildOfHash,
  loadGuild,
  parseCommandStats,
  parseOverall,
  parseShare,
  parseTopGuilds,
  parseVolume,
  request,
  searchGuilds,
  UNAVAILABLE,
} from './analytics';

const ID = '123456789012345678';
const FROM = '2026-11-14T12:00:00.000Z';
const TO = '2026-11-21T12:00:00.000Z';
const head = { guildId: ID, name: 'Guild', from: FROM, to: TO };

/** A fetch answering JSON bodies by route; records the paths asked. */
function fakeGet(answers: Record<string, { status: number; body?: unknown } | 'network-error'>) {
  const paths: string[] = [];
  const get: Get = async (path) => {
    paths.push(path);
    const route = path.replace(/^\/api\/analytics\//, '').split('?')[0]!;
    const a = answers[route] ?? { status: 404 };
    if (a === 'network-error') throw new TypeError('Failed to fetch');
    return { status: a.status, ok: a.status < 300, json: async () => a.body } as Response;
  };
  return { get, paths };
}

const GUILD_OK = {
  'interaction-volume': {
    status: 200,
    body: { ...head, rows: [{ day: '2026-11-15', interactions: 4 }] },
  },
  'command-stats': {
    status: 200,
    body: {
      ...head,
      rows: [
        { command: 'help', count: 2, errors: 0, errorRatio: 0, avgMs: 10, p95Ms: 20 },
        { command: 'ping', count: 5, errors: 1, errorRatio: 0.2, avgMs: null, p95Ms: null },
      ],
    },
  },
  'avg-duration': {
    status: 200,
    body: { ...head, commands: 7, errors: 1, errorRatio: 1 / 7, avgMs: 12.5, p95Ms: 40 },
  },
  'response-share': {
    status: 200,
    body: { ...head, interactions: 8, withinDeadline: 6, share: 0.75, deadlineMs: 3000 },
  },
};

describe('fillDays', () => {
  it('fills every UTC day of the window, oldest first, with 0 where the server had none', () => {
    const rows = [
      { day: '2026-11-15', interactions: 4 },
      { day: '2026-11-18', interactions: 9 },
      { day: '2026-11-21', interactions: 1 },
    ];
    expect(fillDays(rows, Date.parse(FROM), Date.parse(TO))).toEqual([
      { day: '2026-11-14', interactions: 0 },
      { day: '2026-11-15', interactions: 4 },
      { day: '2026-11-16', interactions: 0 },
      { day: '2026-11-17', interactions: 0 },
      { day: '2026-11-18', interactions: 9 },
      { day: '2026-11-19', interactions: 0 },
      { day: '2026-11-20', interactions: 0 },
      { day: '2026-11-21', interactions: 1 },
    ]);
  });

  it('treats the end as exclusive and leaves rows outside the window out', () => {
    const from = Date.parse('2026-11-20T00:00:00Z');
    const to = Date.parse('2026-11-22T00:00:00Z');
    const rows = [
      { day: '2026-11-19', interactions: 3 },
      { day: '2026-11-21', interactions: 2 },
      { day: '2026-11-22', interactions: 5 },
    ];
    expect(fillDays(rows, from, to)).toEqual([
      { day: '2026-11-20', interactions: 0 },
      { day: '2026-11-21', interactions: 2 },
    ]);
  });

  it('answers nothing for an empty or backwards window, and at most 92 days', () => {
    expect(fillDays([], 10, 10)).toEqual([]);
    expect(fillDays([], Number.NaN, 10)).toEqual([]);
    const days = fillDays([], Date.parse('2020-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z'));
    expect(days).toHaveLength(92);
    expect(days.at(-1)!.day).toBe('2025-12-31');
  });
});

describe('hash', () => {
  it('reads the guild id of #/analytics/<id> and ignores anything that is not a snowflake', () => {
    expect(guildOfHash(`#/analytics/${ID}`)).toBe(ID);
    expect(guildOfHash(`#analytics/${ID}`)).toBe(ID);
    expect(guildOfHash(`#/analytics/${ID}?x=1`)).toBe(ID);
    expect(guildOfHash('#/analytics/1234')).toBeNull();
    expect(guildOfHash('#/analytics/12345678901234567x')).toBeNull();
    expect(guildOfHash('#/analytics')).toBeNull();
    expect(guildOfHash(`#/overview/${ID}`)).toBeNull();
    expect(guildHash(ID)).toBe(`#/analytics/${ID}`);
    expect(guildHash(null)).toBe('#/analytics');
  });
});

describe('parsers', () => {
  it('read well-formed bodies, times as epoch ms', () => {
    expect(
      parseTopGuilds({
        from: FROM,
        to: TO,
        rows: [{ guildId: ID, name: null, interactions: 3, commands: 2, errors: 1 }],
      }),
    ).toEqual({
      from: Date.parse(FROM),
      to: Date.parse(TO),
      rows: [{ guildId: ID, name: null, interactions: 3, commands: 2, errors: 1 }],
    });
    expect(parseShare({ ...head, interactions: 0, withinDeadline: 0, share: null })).toMatchObject({
      share: null,
      deadlineMs: 3000,
    });
  });

  it('drop malformed rows and refuse malformed bodies without throwing', () => {
    expect(
      parseVolume({
        ...head,
        rows: [
          { day: '2026-11-15', interactions: 4 },
          { day: 'yesterday', interactions: 1 },
          { day: '2026-11-16', interactions: -1 },
          null,
        ],
      })!.rows,
    ).toEqual([{ day: '2026-11-15', interactions: 4 }]);
    for (const raw of [null, 'x', [], {}, { ...head, rows: 'no' }, { ...head, guildId: '12' }]) {
      expect(parseVolume(raw)).toBeNull();
      expect(parseCommandStats(raw)).toBeNull();
    }
    expect(parseTopGuilds({ from: TO, to: FROM, rows: [] })).toBeNull();
    expect(
      parseOverall({ ...head, commands: '7', errors: 0, errorRatio: 0, avgMs: null, p95Ms: null }),
    ).toBeNull();
    expect(
      parseOverall({ ...head, commands: 7, errors: 0, errorRatio: 0, avgMs: 'slow', p95Ms: null }),
    ).toBeNull();
    expect(parseShare({ ...head, interactions: 1, withinDeadline: 1, share: '1' })).toBeNull();
  });
});

describe('request', () => {
  const one = (answer: { status: number; body?: unknown } | 'network-error') =>
    request(fakeGet({ 'top-guilds': answer }).get, '/api/analytics/top-guilds?days=7', parseTopGuilds);

  it('classifies failures: reason for 400 and 403, retry for 503, 504 and network errors', async () => {
    const reason = 'per-guild analytics is only served with a dashboard token';
    expect(await one({ status: 403, body: { error: 'analytics_requires_token', reason } })).toEqual({
      ok: false,
      failure: { kind: 'forbidden', status: 403, message: reason, detail: null, retry: false },
    });
    expect(await one({ status: 400, body: { error: 'bad_request', reason: 'days must be…' } })).toMatchObject(
      {
        failure: { kind: 'bad-request', message: 'days must be…', retry: false },
      },
    );
    expect(await one({ status: 401 })).toMatchObject({ failure: { kind: 'auth' } });
    for (const status of [503, 504, 500]) {
      expect(
        await one({ status, body: { error: 'analytics_unavailable', reason: 'too many' } }),
      ).toMatchObject({
        failure: { kind: 'unavailable', status, message: UNAVAILABLE, detail: 'too many', retry: true },
      });
    }
    expect(await one('network-error')).toMatchObject({
      failure: { kind: 'unavailable', status: null, message: UNAVAILABLE, retry: true },
    });
    expect(await one({ status: 404 })).toMatchObject({ failure: { kind: 'off' } });
    expect(await one({ status: 200, body: { rows: 'nope' } })).toMatchObject({
      failure: { kind: 'unreadable', retry: true },
    });
  });

  it('sends a request refused as busy once more, a second later', async () => {
    vi.useFakeTimers();
    try {
      const answers = [
        { status: 503, body: { error: 'busy', reason: 'too many analytics queries at once' } },
        { status: 200, body: { from: FROM, to: TO, rows: [] } },
      ];
      const paths: string[] = [];
      const get: Get = async (path) => {
        paths.push(path);
        const a = answers.shift() ?? { status: 503, body: { error: 'busy' } };
        return { status: a.status, ok: a.status < 300, json: async () => a.body } as Response;
      };
      const pending = request(get, '/api/analytics/top-guilds?days=7', parseTopGuilds);
      await vi.advanceTimersByTimeAsync(BUSY_RETRY_MS - 1);
      expect(paths).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toMatchObject({ ok: true, value: { rows: [] } });
      expect(paths).toHaveLength(2);

      // Busy twice: a failure with a retry button, and no third request.
      const again = request(get, '/api/analytics/top-guilds?days=7', parseTopGuilds);
      answers.push({ status: 503, body: { error: 'busy', reason: 'too many' } });
      await vi.advanceTimersByTimeAsync(BUSY_RETRY_MS);
      expect(await again).toMatchObject({ ok: false, failure: { kind: 'unavailable', retry: true } });
      expect(paths).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says what a 403 means when the server gives no reason', async () => {
    expect(await one({ status: 403 })).toMatchObject({
      failure: { kind: 'forbidden', message: expect.stringContaining('ARGUS_DASHBOARD_AUTH_TOKEN') },
    });
  });

  it('searches with the text trimmed and cut to 100 characters', async () => {
    const { get, paths } = fakeGet({ guilds: { status: 200, body: { rows: [{ guildId: ID, name: 'A' }] } } });
    expect(await searchGuilds(get, `  ${'x'.repeat(150)} `)).toEqual({
      ok: true,
      value: [{ guildId: ID, name: 'A' }],
    });
    expect(paths).toEqual([`/api/analytics/guilds?q=${'x'.repeat(100)}&limit=20`]);
  });
});

describe('loadGuild', () => {
  it('asks the four routes with guild_id and days and merges them', async () => {
    const { get, paths } = fakeGet(GUILD_OK);
    const r = await loadGuild(get, ID, 7);
    expect(paths.sort()).toEqual(
      ['avg-duration', 'command-stats', 'interaction-volume', 'response-share'].map(
        (route) => `/api/analytics/${route}?guild_id=${ID}&days=7`,
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name).toBe('Guild');
    expect(r.value.commands.map((c) => c.command)).toEqual(['ping', 'help']);
    expect(r.value.volume).toHaveLength(8);
    expect(r.value.volume[1]).toEqual({ day: '2026-11-15', interactions: 4 });
    expect(r.value.overall.avgMs).toBe(12.5);
    expect(r.value.share.share).toBe(0.75);
  });

  it('reports the most severe failure of the four', async () => {
    const { get } = fakeGet({
      ...GUILD_OK,
      'command-stats': { status: 503, body: { reason: 'busy' } },
      'avg-duration': { status: 403, body: { reason: 'needs a token' } },
    });
    expect(await loadGuild(get, ID, 7)).toMatchObject({ ok: false, failure: { kind: 'forbidden' } });
  });

  it('refuses answers about another guild', async () => {
    const other = { ...GUILD_OK['avg-duration'].body, guildId: '999999999999999999' };
    const { get } = fakeGet({ ...GUILD_OK, 'avg-duration': { status: 200, body: other } });
    expect(await loadGuild(get, ID, 7)).toMatchObject({ ok: false, failure: { kind: 'unreadable' } });
  });
});
