import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { UNAVAILABLE } from '../lib/analytics';
import { REFRESH_MS, SEARCH_DEBOUNCE_MS } from '../lib/analytics-store';
import { TOKEN_KEY } from '../lib/token';
import { createDashboard } from '../state';
import { type Answer, emptySnapshot, FakeServer } from '../test/fakes';

const ALPHA = '111111111111111111';
const BETA = '22222222222222222222';
const GAMMA = '33333333333333333';
const NAMES: Record<string, string | null> = { [ALPHA]: 'Alpha', [BETA]: null, [GAMMA]: 'Gamma' };
const DAY_MS = 86_400_000;

type Route =
  | 'top-guilds'
  | 'guilds'
  | 'interaction-volume'
  | 'command-stats'
  | 'avg-duration'
  | 'response-share';
type Handler = (url: URL) => Answer | Promise<Answer>;

/** The bot's analytics as the server answers them: Alpha busy, Beta and Gamma without data. */
function answer(url: URL): Answer {
  const route = url.pathname.replace('/api/analytics/', '') as Route;
  const days = Number(url.searchParams.get('days') ?? 30);
  const to = Date.now();
  const window = { from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString() };
  if (route === 'top-guilds')
    return {
      status: 200,
      body: {
        ...window,
        rows: [
          { guildId: ALPHA, name: 'Alpha', interactions: 120 * days, commands: 80, errors: 4 },
          { guildId: BETA, name: null, interactions: 50, commands: 0, errors: 0 },
        ],
      },
    };
  if (route === 'guilds') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const rows = Object.entries(NAMES)
      .filter(([id, name]) => id.startsWith(q) || (name ?? '').toLowerCase().includes(q))
      .map(([guildId, name]) => ({ guildId, name }));
    return { status: 200, body: { rows } };
  }
  const guildId = url.searchParams.get('guild_id') ?? '';
  const head = { guildId, name: NAMES[guildId] ?? null, ...window };
  const busy = guildId === ALPHA;
  switch (route) {
    case 'interaction-volume':
      return {
        status: 200,
        body: { ...head, rows: busy ? [{ day: '2024-12-27', interactions: 5 }] : [] },
      };
    case 'command-stats':
      return {
        status: 200,
        body: {
          ...head,
          rows: busy
            ? [
                { command: 'ping', count: 60, errors: 3, errorRatio: 0.05, avgMs: 12, p95Ms: 40 },
                { command: 'help', count: 20, errors: 1, errorRatio: 0.05, avgMs: 30, p95Ms: null },
              ]
            : [],
        },
      };
    case 'avg-duration':
      return busy
        ? { status: 200, body: { ...head, commands: 80, errors: 4, errorRatio: 0.05, avgMs: 15, p95Ms: 45 } }
        : { status: 200, body: { ...head, commands: 0, errors: 0, errorRatio: 0, avgMs: null, p95Ms: null } };
    case 'response-share':
      return busy
        ? {
            status: 200,
            body: { ...head, interactions: 120, withinDeadline: 114, share: 0.95, deadlineMs: 3000 },
          }
        : {
            status: 200,
            body: { ...head, interactions: 0, withinDeadline: 0, share: null, deadlineMs: 3000 },
          };
    default:
      return { status: 404 };
  }
}

/** A bot with analytics on; `routes` replaces the answers of some routes. */
function analyticsServer(routes: Partial<Record<Route, Handler>> = {}) {
  const server = new FakeServer();
  server.config = {
    status: 200,
    body: { namespace: 'discord', intervalSeconds: 5, sections: { grafana: false, analytics: true } },
  };
  server.analytics = (url) => {
    const route = url.pathname.replace('/api/analytics/', '') as Route;
    return (routes[route] ?? answer)(url);
  };
  return server;
}

function mount(server: FakeServer, hash = '#/analytics', token: string | null = 'secret') {
  window.location.hash = hash;
  const deps = server.deps();
  render(() => <App dashboard={createDashboard(deps, deps.storage, token)} />);
}

function deferred() {
  let resolve!: (a: Answer) => void;
  const promise = new Promise<Answer>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const testid = (id: string) => screen.getByTestId(id);
const analyticsRequests = (server: FakeServer) =>
  server.requests.filter((r) => r.url.startsWith('/api/analytics/'));
const urls = (server: FakeServer) => analyticsRequests(server).map((r) => r.url);
const guildUrls = (id: string, days: number) =>
  ['interaction-volume', 'command-stats', 'avg-duration', 'response-share'].map(
    (route) => `/api/analytics/${route}?guild_id=${id}&days=${days}`,
  );
const rowsOf = (id: string) =>
  [...testid(id).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2025, 0, 1, 12, 0, 30));
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Analytics section', () => {
  it('explains how to turn analytics on when it is off, and asks nothing', async () => {
    const server = new FakeServer();
    mount(server);
    await flush();
    const off = testid('analytics-off').textContent ?? '';
    expect(testid('section-analytics')).toBeTruthy();
    expect(off).toContain('ARGUS_ENABLE_PER_GUILD=true');
    expect(off).toContain('ARGUS_CLICKHOUSE_DSN=embedded');
    expect(off).toContain('chdb');
    expect(off).toContain('https://');
    expect(off).toContain('ARGUS_DASHBOARD_AUTH_TOKEN');
    expect(off).toMatch(/never goes to Prometheus/);
    expect(screen.queryByTestId('analytics-window')).toBeNull();
    expect(analyticsRequests(server)).toEqual([]);
    expect(testid('nav-analytics').getAttribute('href')).toBe('#/analytics');
    expect(testid('nav-analytics').getAttribute('aria-current')).toBe('page');
  });

  it('lists the busiest guilds and loads the one clicked, with guild_id, days and the token', async () => {
    const server = analyticsServer();
    mount(server);
    await flush();
    expect(analyticsRequests(server)).toEqual([
      { url: '/api/analytics/top-guilds?days=7&limit=10', authorization: 'Bearer secret' },
    ]);
    const rows = screen.getAllByTestId('analytics-top-guild');
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Alpha', '840', '80', '5%'],
      [BETA, '50', '0', '–'],
    ]);
    expect(testid('analytics-pick')).toBeTruthy();
    expect(screen.queryByTestId('analytics-guild')).toBeNull();
    // The live-data window and cluster choices do not apply here.
    expect(screen.queryByTestId('window-select')).toBeNull();

    fireEvent.click(rows[0]!);
    await flush();
    const after = analyticsRequests(server).slice(1);
    expect(after.map((r) => r.url).sort()).toEqual(guildUrls(ALPHA, 7).sort());
    expect(after.every((r) => r.authorization === 'Bearer secret')).toBe(true);
    expect(window.location.hash).toBe(`#/analytics/${ALPHA}`);
    expect(rows[0]!.getAttribute('aria-pressed')).toBe('true');

    expect(testid('analytics-guild').textContent).toBe('Alpha');
    expect(testid('analytics-stat-commands-value').textContent).toBe('80');
    expect(testid('analytics-stat-errors-value').textContent).toBe('5%');
    expect(testid('analytics-stat-errors').getAttribute('data-value')).toBe('0.05');
    expect(testid('analytics-stat-avg-value').textContent).toBe('15 ms');
    expect(testid('analytics-stat-avg').getAttribute('data-value')).toBe('15');
    expect(testid('analytics-stat-p95-value').textContent).toBe('45 ms');
    expect(testid('analytics-stat-within-deadline-value').textContent).toBe('95%');
    expect(testid('analytics-stat-within-deadline').textContent).toContain('114 of 120');
    expect(rowsOf('analytics-command-table')).toEqual([
      ['ping', '60', '3', '5%', '12 ms', '40 ms'],
      ['help', '20', '1', '5%', '30 ms', '–'],
    ]);
    const bars = [...testid('analytics-top-commands').querySelectorAll('li')];
    expect(bars.map((li) => [li.dataset.command, li.dataset.count])).toEqual([
      ['ping', '60'],
      ['help', '20'],
    ]);
    expect((bars[1]!.querySelector('.bar-fill') as HTMLElement).style.width).toMatch(/^33\.3/);
    const chart = testid('analytics-volume-chart');
    expect(chart.textContent).toContain('Interactions per day');
    expect(chart.textContent).toContain('interactions 5 in total');
    expect(chart.querySelector('.chart-empty')).toBeNull();
    expect(screen.queryByTestId('analytics-empty')).toBeNull();
    expect(screen.queryByTestId('analytics-error')).toBeNull();
  });

  it('opens the guild of a #/analytics/<id> deep link, also after a reload, and ignores a bad id', async () => {
    const server = analyticsServer();
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    expect(urls(server).sort()).toEqual(
      ['/api/analytics/top-guilds?days=7&limit=10', ...guildUrls(ALPHA, 7)].sort(),
    );
    expect(testid('analytics-guild').textContent).toBe('Alpha');
    expect(testid('analytics-guild').getAttribute('data-guild-id')).toBe(ALPHA);
    cleanup();

    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    expect(testid('analytics-stat-commands-value').textContent).toBe('80');
    cleanup();

    const fresh = analyticsServer();
    mount(fresh, '#/analytics/12345');
    await flush();
    expect(urls(fresh)).toEqual(['/api/analytics/top-guilds?days=7&limit=10']);
    expect(testid('analytics-pick')).toBeTruthy();
  });

  it('follows the hash when it changes (back and forward)', async () => {
    const server = analyticsServer();
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    window.location.hash = `#/analytics/${GAMMA}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await flush();
    expect(testid('analytics-guild').getAttribute('data-guild-id')).toBe(GAMMA);
    expect(urls(server)).toEqual(expect.arrayContaining(guildUrls(GAMMA, 7)));
  });

  it('searches names after a pause in typing and selects a match', async () => {
    const server = analyticsServer();
    mount(server);
    await flush();
    const search = testid('analytics-guild-search') as HTMLInputElement;
    expect(search.type).toBe('search');
    fireEvent.input(search, { target: { value: 'g' } });
    await vi.advanceTimersByTimeAsync(100);
    fireEvent.input(search, { target: { value: 'gam' } });
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 10);
    expect(urls(server).filter((u) => u.includes('/guilds?'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(urls(server).filter((u) => u.includes('/guilds?'))).toEqual([
      '/api/analytics/guilds?q=gam&limit=20',
    ]);
    const matches = screen.getAllByTestId('analytics-guild-match');
    expect(matches.map((m) => m.getAttribute('data-guild-id'))).toEqual([GAMMA]);
    expect(matches[0]!.textContent).toContain('Gamma');

    fireEvent.click(matches[0]!);
    await flush();
    expect(urls(server)).toEqual(expect.arrayContaining(guildUrls(GAMMA, 7)));
    expect(window.location.hash).toBe(`#/analytics/${GAMMA}`);
    expect(testid('analytics-guild').textContent).toBe('Gamma');
    expect(search.value).toBe('');
    expect(screen.queryByTestId('analytics-guild-match')).toBeNull();
    // Gamma has no data in the window.
    expect(testid('analytics-empty')).toBeTruthy();
    expect(screen.queryByTestId('analytics-stat-commands')).toBeNull();
  });

  it('selects a guild id directly on Enter, without a search', async () => {
    const server = analyticsServer();
    mount(server);
    await flush();
    const search = testid('analytics-guild-search');
    fireEvent.input(search, { target: { value: ` ${BETA} ` } });
    fireEvent.keyDown(search, { key: 'Enter' });
    await flush();
    expect(urls(server).slice(1).sort()).toEqual(guildUrls(BETA, 7).sort());
    expect(window.location.hash).toBe(`#/analytics/${BETA}`);
    // No name known: the id is the title.
    expect(testid('analytics-guild').textContent).toBe(BETA);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(urls(server).filter((u) => u.includes('/guilds?'))).toEqual([]);
  });

  it('reloads the list and the guild for another window', async () => {
    const server = analyticsServer();
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    const before = urls(server).length;
    fireEvent.change(testid('analytics-window'), { target: { value: '30' } });
    await flush();
    expect(urls(server).slice(before).sort()).toEqual(
      ['/api/analytics/top-guilds?days=30&limit=10', ...guildUrls(ALPHA, 30)].sort(),
    );
    expect(screen.getAllByTestId('analytics-top-guild')[0]!.textContent).toContain('3,600');
    expect(testid('analytics-guild').textContent).toBe('Alpha');
    expect([...(testid('analytics-window') as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      '1',
      '7',
      '30',
      '90',
    ]);
  });

  it('shows the reason of a 403 (no dashboard token on the bot), with no retry', async () => {
    const reason =
      'per-guild analytics is only served with a dashboard token: set dashboardAuthToken (ARGUS_DASHBOARD_AUTH_TOKEN)';
    const refuse: Handler = () => ({ status: 403, body: { error: 'analytics_requires_token', reason } });
    const server = analyticsServer({
      'top-guilds': refuse,
      'interaction-volume': refuse,
      'command-stats': refuse,
      'avg-duration': refuse,
      'response-share': refuse,
    });
    mount(server, `#/analytics/${ALPHA}`, null);
    await flush();
    expect(testid('analytics-error').textContent).toContain(reason);
    expect(testid('analytics-error').getAttribute('data-error')).toBe('forbidden');
    expect(screen.queryByTestId('analytics-retry')).toBeNull();
    expect(screen.queryByTestId('token-prompt')).toBeNull();
  });

  it('shows the reason of a 400', async () => {
    const server = analyticsServer({
      'top-guilds': () => ({
        status: 400,
        body: { error: 'bad_request', reason: 'days must be from 1 to 90' },
      }),
    });
    mount(server);
    await flush();
    expect(testid('analytics-error').textContent).toBe('days must be from 1 to 90');
  });

  it('offers a retry when the store is unavailable, and the retry works', async () => {
    let down = true;
    const server = analyticsServer({
      'top-guilds': (url) =>
        down ? { status: 503, body: { error: 'analytics_unavailable', reason: 'retry later' } } : answer(url),
      'avg-duration': (url) => (down ? { status: 504, body: { error: 'analytics_timeout' } } : answer(url)),
    });
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    expect(testid('analytics-error').textContent).toContain(UNAVAILABLE);
    expect(screen.queryByTestId('analytics-top-guild')).toBeNull();
    expect(screen.queryByTestId('analytics-stat-commands')).toBeNull();
    down = false;
    const before = urls(server).length;
    fireEvent.click(testid('analytics-retry'));
    await flush();
    expect(urls(server).slice(before).sort()).toEqual(
      ['/api/analytics/top-guilds?days=7&limit=10', ...guildUrls(ALPHA, 7)].sort(),
    );
    expect(screen.queryByTestId('analytics-error')).toBeNull();
    expect(screen.getAllByTestId('analytics-top-guild')).toHaveLength(2);
    expect(testid('analytics-stat-commands-value').textContent).toBe('80');
  });

  it('never asks more than 4 queries at once, and sends one refused as busy again', async () => {
    let running = 0;
    let most = 0;
    let busy = 1;
    const server = analyticsServer();
    server.analytics = async (url) => {
      running++;
      most = Math.max(most, running);
      await Promise.resolve();
      running--;
      if (url.pathname.endsWith('/command-stats') && busy-- > 0)
        return { status: 503, body: { error: 'busy', reason: 'too many analytics queries at once' } };
      return answer(url);
    };
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    expect(most).toBeLessThanOrEqual(4);
    expect(screen.queryByTestId('analytics-stat-commands')).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(urls(server).filter((u) => u.includes('/command-stats?'))).toHaveLength(2);
    expect(urls(server)).toContain('/api/analytics/top-guilds?days=7&limit=10');
    expect(screen.queryByTestId('analytics-error')).toBeNull();
    expect(testid('analytics-stat-commands-value').textContent).toBe('80');
    fireEvent.change(testid('analytics-window'), { target: { value: '30' } });
    await flush();
    expect(most).toBeLessThanOrEqual(4);
  });

  it('treats a network error like an unavailable store', async () => {
    const server = analyticsServer({ 'top-guilds': () => 'network-error' });
    mount(server);
    await flush();
    expect(testid('analytics-error').textContent).toContain(UNAVAILABLE);
    expect(testid('analytics-error').textContent).toContain('Failed to fetch');
    expect(testid('analytics-retry')).toBeTruthy();
  });

  it('shows an error, not a crash, for a malformed answer', async () => {
    const server = analyticsServer({
      'top-guilds': () => ({ status: 200, body: { rows: 'lots' } }),
      'command-stats': () => ({ status: 200, body: '<html>' }),
    });
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    expect(testid('analytics-error').getAttribute('data-error')).toBe('unreadable');
    expect(testid('analytics-guild').textContent).toBe(ALPHA);
    expect(testid('analytics-guild-search')).toBeTruthy();
  });

  it('never lets a stale answer overwrite a newer one', async () => {
    const slow = deferred();
    const server = analyticsServer({
      'avg-duration': (url) => (url.searchParams.get('guild_id') === ALPHA ? slow.promise : answer(url)),
    });
    mount(server);
    await flush();
    fireEvent.click(screen.getAllByTestId('analytics-top-guild')[0]!); // Alpha: slow
    await flush();
    fireEvent.click(screen.getAllByTestId('analytics-top-guild')[1]!); // Beta: at once
    await flush();
    expect(testid('analytics-guild').getAttribute('data-guild-id')).toBe(BETA);
    expect(testid('analytics-empty')).toBeTruthy();
    slow.resolve(answer(new URL(`http://x/api/analytics/avg-duration?guild_id=${ALPHA}&days=7`)));
    await flush();
    expect(testid('analytics-guild').getAttribute('data-guild-id')).toBe(BETA);
    expect(testid('analytics-empty')).toBeTruthy();
    expect(screen.queryByTestId('analytics-stat-commands')).toBeNull();
  });

  it('keeps the newer window when an older answer comes late', async () => {
    const week = deferred();
    const server = analyticsServer({
      'top-guilds': (url) => (url.searchParams.get('days') === '7' ? week.promise : answer(url)),
    });
    mount(server);
    await flush();
    fireEvent.change(testid('analytics-window'), { target: { value: '90' } });
    await flush();
    expect(screen.getAllByTestId('analytics-top-guild')[0]!.textContent).toContain('10,800');
    week.resolve(answer(new URL('http://x/api/analytics/top-guilds?days=7&limit=10')));
    await flush();
    expect(screen.getAllByTestId('analytics-top-guild')[0]!.textContent).toContain('10,800');
  });

  it('shows the token prompt on a 401', async () => {
    const server = analyticsServer({
      'top-guilds': () => ({ status: 401, body: { error: 'unauthorized' } }),
    });
    server.storage.set(TOKEN_KEY, 'secret');
    mount(server);
    await flush();
    expect(testid('token-prompt')).toBeTruthy();
    expect(testid('token-rejected')).toBeTruthy();
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
    expect(screen.queryByTestId('section-analytics')).toBeNull();
  });

  it('refreshes every minute, not on every snapshot', async () => {
    const server = analyticsServer();
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    expect(urls(server)).toHaveLength(5);
    for (let i = 0; i < 5; i++) {
      server.lastSource!.send(emptySnapshot(Date.now()));
      await vi.advanceTimersByTimeAsync(5000);
    }
    expect(urls(server)).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(REFRESH_MS - 25_000);
    expect(urls(server).slice(5).sort()).toEqual(
      ['/api/analytics/top-guilds?days=7&limit=10', ...guildUrls(ALPHA, 7)].sort(),
    );
    // Still on screen while refreshing: no flicker back to empty.
    expect(testid('analytics-stat-commands-value').textContent).toBe('80');
  });

  it('stops asking once the page shows another section', async () => {
    const server = analyticsServer();
    mount(server, `#/analytics/${ALPHA}`);
    await flush();
    window.location.hash = '#/grafana';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await flush();
    expect(screen.queryByTestId('section-analytics')).toBeNull();
    const before = urls(server).length;
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 2);
    expect(urls(server)).toHaveLength(before);
  });
});
