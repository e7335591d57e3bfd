import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnalyticsEnv, createAnalyticsStore, REFRESH_MS, SEARCH_DEBOUNCE_MS } from './analytics-store';

const ALPHA = '111111111111111111';
const BETA = '22222222222222222222';
const DAY_MS = 86_400_000;
const GUILD_ROUTES = ['interaction-volume', 'command-stats', 'avg-duration', 'response-share'];

type Answer = { status: number; body?: unknown };

/** What the server answers for a guild: a name, and `commands` commands in every window. */
function answer(url: URL, commands = 5): Answer {
  const route = url.pathname.replace('/api/analytics/', '');
  const days = Number(url.searchParams.get('days'));
  const window = { from: Date.now() - days * DAY_MS, to: Date.now() };
  const guildId = url.searchParams.get('guild_id') ?? '';
  const head = { guildId, name: guildId === ALPHA ? 'Alpha' : null, ...window };
  switch (route) {
    case 'top-guilds':
      return {
        status: 200,
        body: { ...window, rows: [{ guildId: BETA, name: 'Beta', interactions: 9, commands: 3, errors: 0 }] },
      };
    case 'guilds':
      return { status: 200, body: { rows: [{ guildId: ALPHA, name: 'Alpha' }] } };
    case 'interaction-volume':
      return { status: 200, body: { ...head, rows: [] } };
    case 'command-stats':
      return { status: 200, body: { ...head, rows: [] } };
    case 'avg-duration':
      return { status: 200, body: { ...head, commands, errors: 0, errorRatio: 0, avgMs: 10, p95Ms: 20 } };
    case 'response-share':
      return {
        status: 200,
        body: { ...head, interactions: 7, withinDeadline: 7, share: 1, deadlineMs: 3000 },
      };
    default:
      return { status: 404 };
  }
}

/** The page around the store: scripted answers, a hash, visibility, and the global (fake) timers. */
function fakeEnv(hash = '#/analytics') {
  const page = {
    hash,
    hidden: false,
    requests: [] as string[],
    route: (url: URL): Answer | Promise<Answer> => answer(url),
    hashListeners: new Set<() => void>(),
    visibilityListeners: new Set<() => void>(),
  };
  const env: AnalyticsEnv = {
    async get(path) {
      page.requests.push(path);
      const a = await page.route(new URL(path, 'http://bot.local'));
      return { status: a.status, ok: a.status < 300, json: async () => a.body } as Response;
    },
    hash: () => page.hash,
    setHash: (h) => {
      page.hash = h;
      for (const fn of page.hashListeners) fn();
    },
    onHashChange: (fn) => {
      page.hashListeners.add(fn);
      return () => page.hashListeners.delete(fn);
    },
    hidden: () => page.hidden,
    onVisibilityChange: (fn) => {
      page.visibilityListeners.add(fn);
      return () => page.visibilityListeners.delete(fn);
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (t) => clearTimeout(t),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (t) => clearInterval(t),
  };
  const navigate = (h: string) => {
    page.hash = h;
    for (const fn of page.hashListeners) fn();
  };
  const show = (hidden: boolean) => {
    page.hidden = hidden;
    for (const fn of page.visibilityListeners) fn();
  };
  return { env, page, navigate, show };
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const guildUrls = (id: string, days: number) =>
  GUILD_ROUTES.map((r) => `/api/analytics/${r}?guild_id=${id}&days=${days}`);
const TOP_7 = '/api/analytics/top-guilds?days=7&limit=10';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2025, 0, 1, 12));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the analytics store', () => {
  it("loads the hash's guild (4 queries), then the busiest guilds; nothing when the hash names none", async () => {
    const { env, page } = fakeEnv(`#/analytics/${ALPHA}`);
    const store = createAnalyticsStore(env);
    expect(store.guildLoading()).toBe(true);
    await flush();
    expect(page.requests).toEqual([...guildUrls(ALPHA, 7), TOP_7]);
    expect(store.guildLoading()).toBe(false);
    expect(store.current()?.overall.commands).toBe(5);
    expect(store.title()).toBe('Alpha');
    expect(store.top()?.rows.map((r) => r.guildId)).toEqual([BETA]);
    expect(store.failure()).toBeNull();
    store.dispose();

    const bare = fakeEnv('#/analytics/12345');
    const none = createAnalyticsStore(bare.env);
    await flush();
    expect(none.guildId()).toBeNull();
    expect(none.title()).toBe('');
    expect(bare.page.requests).toEqual([TOP_7]);
    none.dispose();
  });

  it('select() records the guild in the hash and loads it; a bad id changes nothing', async () => {
    const { env, page } = fakeEnv();
    const store = createAnalyticsStore(env);
    await flush();
    store.select('not-an-id');
    expect(store.guildId()).toBeNull();
    store.select(BETA);
    expect(page.hash).toBe(`#/analytics/${BETA}`);
    await flush();
    expect(page.requests.slice(1)).toEqual(guildUrls(BETA, 7));
    // Named by the busiest-guilds list, since its own answer has no name.
    expect(store.title()).toBe('Beta');
    store.select(BETA);
    await flush();
    expect(page.requests).toHaveLength(5);
    store.dispose();
  });

  it('follows hash changes of its own section only', async () => {
    const { env, page, navigate } = fakeEnv();
    const store = createAnalyticsStore(env);
    await flush();
    navigate(`#/analytics/${ALPHA}`);
    expect(store.guildId()).toBe(ALPHA);
    navigate('#/gateway');
    expect(store.guildId()).toBe(ALPHA);
    navigate('#/analytics');
    expect(store.guildId()).toBeNull();
    await flush();
    expect(page.requests.slice(1)).toEqual(guildUrls(ALPHA, 7));
    store.dispose();
  });

  it('drops a late answer for a guild no longer selected', async () => {
    const { env, page } = fakeEnv();
    const store = createAnalyticsStore(env);
    await flush();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    page.route = async (url) => {
      if (url.searchParams.get('guild_id') === ALPHA) await held;
      return answer(url);
    };
    store.select(ALPHA);
    await flush();
    store.select(BETA);
    await flush();
    expect(store.current()?.guildId).toBe(BETA);
    release();
    await flush();
    expect(store.current()?.guildId).toBe(BETA);
    expect(store.guildLoading()).toBe(false);
    store.dispose();
  });

  it('another window starts over; the same or an unknown window does nothing', async () => {
    const { env, page } = fakeEnv(`#/analytics/${ALPHA}`);
    const store = createAnalyticsStore(env);
    await flush();
    store.setDays(7);
    store.setDays(12);
    await flush();
    expect(page.requests).toHaveLength(5);
    page.route = (url) => answer(url, 30);
    store.setDays(30);
    expect(store.days()).toBe(30);
    expect(store.current()).toBeNull();
    expect(store.top()).toBeNull();
    await flush();
    expect(page.requests.slice(5)).toEqual([
      ...guildUrls(ALPHA, 30),
      '/api/analytics/top-guilds?days=30&limit=10',
    ]);
    expect(store.current()?.overall.commands).toBe(30);
    store.dispose();
  });

  it('searches after a pause in typing; Enter on an id selects it; Escape-style clear forgets', async () => {
    const { env, page } = fakeEnv();
    const store = createAnalyticsStore(env);
    await flush();
    store.input('a');
    store.input('al');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    expect(page.requests).toEqual([TOP_7]);
    await vi.advanceTimersByTimeAsync(1);
    expect(page.requests.at(-1)).toBe('/api/analytics/guilds?q=al&limit=20');
    expect(store.matches()).toEqual([{ guildId: ALPHA, name: 'Alpha' }]);
    store.clearSearch();
    expect(store.text()).toBe('');
    expect(store.matches()).toBeNull();

    store.input(` ${BETA} `);
    store.enter();
    expect(store.guildId()).toBe(BETA);
    expect(store.text()).toBe('');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(page.requests.filter((u) => u.includes('/guilds?'))).toHaveLength(1);
    store.dispose();
  });

  it('shows the first failure that is not a 401, and retry() asks again', async () => {
    const { env, page } = fakeEnv(`#/analytics/${ALPHA}`);
    page.route = (url) => (url.pathname.endsWith('/top-guilds') ? { status: 401 } : { status: 500 });
    const store = createAnalyticsStore(env);
    await flush();
    expect(store.topFailure()?.kind).toBe('auth');
    expect(store.failure()?.kind).toBe('unavailable');
    page.route = (url) => answer(url);
    await store.retry();
    await flush();
    expect(store.failure()).toBeNull();
    expect(store.current()?.guildId).toBe(ALPHA);
    expect(store.top()).not.toBeNull();
    store.dispose();
  });

  it('refreshes every minute while shown; once when shown again after a hidden minute', async () => {
    const { env, page, show } = fakeEnv(`#/analytics/${ALPHA}`);
    const store = createAnalyticsStore(env);
    await flush();
    await vi.advanceTimersByTimeAsync(REFRESH_MS);
    expect(page.requests).toHaveLength(10);
    page.hidden = true;
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 3);
    expect(page.requests).toHaveLength(10);
    show(false);
    await flush();
    expect(page.requests).toHaveLength(15);
    show(false);
    await flush();
    expect(page.requests).toHaveLength(15);
    store.dispose();
  });

  it('dispose() stops the timers and listeners and drops answers still out', async () => {
    const { env, page, navigate, show } = fakeEnv(`#/analytics/${ALPHA}`);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    page.route = async (url) => {
      await held;
      return answer(url);
    };
    const store = createAnalyticsStore(env);
    await flush();
    store.input('al');
    store.dispose();
    release();
    await flush();
    expect(store.current()).toBeNull();
    expect(store.top()).toBeNull();
    navigate(`#/analytics/${BETA}`);
    show(false);
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 2);
    expect(store.guildId()).toBe(ALPHA);
    expect(page.requests).toEqual(guildUrls(ALPHA, 7));
    expect(page.hashListeners.size).toBe(0);
    expect(page.visibilityListeners.size).toBe(0);
  });
});
