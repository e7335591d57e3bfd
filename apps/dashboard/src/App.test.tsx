import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, routeOf } from './App';
import { TOKEN_KEY } from './lib/token';
import { createDashboard } from './state';
import { emptySnapshot, FakeServer } from './test/fakes';
import { demoFrames } from './test/fixtures';

function mount(server: FakeServer, token: string | null = null, hash = '#/overview') {
  window.location.hash = hash;
  const deps = server.deps();
  render(() => <App dashboard={createDashboard(deps, deps.storage, token)} />);
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const testid = (id: string) => screen.getByTestId(id);

/** Streams the demo bot's frames through the fake SSE connection. */
function stream(server: FakeServer, namespace = 'discord') {
  for (const frame of demoFrames(namespace)) server.lastSource!.send(frame);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2025, 0, 1, 12, 0, 30));
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('routes', () => {
  it('maps hashes to sections', () => {
    expect(routeOf('#/gateway')).toBe('gateway');
    expect(routeOf('#rest')).toBe('rest');
    expect(routeOf('#/SETUP')).toBe('setup');
    expect(routeOf('')).toBe('overview');
    expect(routeOf('#/nope')).toBe('overview');
    expect(routeOf('#analytics')).toBe('analytics');
    expect(routeOf('#/analytics/123456789012345678')).toBe('analytics');
  });
});

describe('App', () => {
  it('shows the token prompt on 401 and uses the token it is given', async () => {
    const server = new FakeServer();
    server.config = { status: 401 };
    mount(server);
    await flush();
    expect(testid('token-prompt')).toBeTruthy();
    expect(screen.queryByTestId('token-rejected')).toBeNull();
    expect(testid('connection-status').textContent).toBe('offline');

    server.config = { status: 200, body: { namespace: 'discord', intervalSeconds: 5 } };
    fireEvent.input(testid('token-input'), { target: { value: 'let-me-in' } });
    fireEvent.click(testid('token-submit'));
    await flush();
    expect(server.requests.at(-1)).toEqual({ url: '/api/config', authorization: 'Bearer let-me-in' });
    expect(server.lastSource!.url).toBe('/api/stream?token=let-me-in');
    expect(screen.queryByTestId('token-prompt')).toBeNull();
    expect(testid('waiting')).toBeTruthy();
  });

  it('shows a sign-out control only with a token; it forgets the token and asks again', async () => {
    const open = new FakeServer();
    mount(open);
    await flush();
    stream(open);
    expect(screen.queryByTestId('sign-out')).toBeNull();
    cleanup();

    const server = new FakeServer();
    mount(server, 'let-me-in');
    await flush();
    stream(server);
    expect(server.storage.get(TOKEN_KEY)).toBe('let-me-in');
    fireEvent.click(testid('sign-out'));
    await flush();
    expect(testid('token-prompt')).toBeTruthy();
    expect(testid('token-signed-out')).toBeTruthy();
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
    expect(screen.queryByTestId('sign-out')).toBeNull();
    expect(server.openSources).toHaveLength(0);
  });

  it('signs out when another tab removes the token', async () => {
    const server = new FakeServer();
    mount(server, 'let-me-in');
    await flush();
    stream(server);
    server.storage.delete(TOKEN_KEY);
    window.dispatchEvent(
      new StorageEvent('storage', { key: TOKEN_KEY, oldValue: 'let-me-in', newValue: null }),
    );
    await flush();
    expect(testid('token-signed-out')).toBeTruthy();
    expect(server.openSources).toHaveLength(0);
  });

  it('prompts again, saying so, when the stored token is stale', async () => {
    const server = new FakeServer();
    server.config = { status: 401 };
    server.storage.set(TOKEN_KEY, 'old');
    mount(server, 'old');
    await flush();
    expect(testid('token-prompt')).toBeTruthy();
    expect(testid('token-rejected')).toBeTruthy();
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
  });

  it('renders the overview from streamed snapshots', async () => {
    const server = new FakeServer();
    mount(server);
    await flush();
    stream(server);
    expect(testid('section-overview')).toBeTruthy();
    expect(testid('connection-status').textContent).toBe('live');
    expect(testid('stat-guilds-value').textContent).toBe('42');
    expect(testid('stat-shards-value').textContent).toBe('2 / 2');
    expect(testid('stat-interactions-rate-value').textContent).toBe('2/s');
    expect(testid('stat-error-ratio-value').textContent).toBe('10%');
    expect(testid('stat-p95-value').textContent).toBe('4.5 s');
    expect(testid('stat-answered-3s-value').textContent).toBe('80%');
    expect(testid('stat-event-loop-value').textContent).toBe('12 ms');
    expect(testid('stat-memory-value').textContent).toBe('150 MiB');
    expect(testid('stat-answered-3s').getAttribute('data-value')).toBe('0.8');
    expect(testid('stat-guilds').querySelector('svg.spark')).toBeTruthy();
  });

  it('reads metric names from the configured namespace', async () => {
    const server = new FakeServer();
    server.config = { status: 200, body: { namespace: 'mybot', intervalSeconds: 5 } };
    mount(server);
    await flush();
    stream(server, 'mybot');
    expect(testid('stat-guilds-value').textContent).toBe('42');
    expect(testid('stat-interactions-rate-value').textContent).toBe('2/s');
  });

  it('shows the stale banner when no frame arrived for more than 3 intervals', async () => {
    const server = new FakeServer();
    server.snapshot = 'network-error';
    mount(server);
    await flush();
    server.lastSource!.send(emptySnapshot(Date.now()));
    expect(screen.queryByTestId('stale-banner')).toBeNull();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(screen.queryByTestId('stale-banner')).toBeNull();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(testid('stale-banner').textContent).toMatch(/data is 17 s old/);
    expect(testid('stale-banner').textContent).toMatch(/not answering/);
    expect(testid('connection-status').textContent).toBe('offline');
  });

  it('says when the bot cannot be reached before any data arrived', async () => {
    const server = new FakeServer();
    server.config = 'network-error';
    mount(server);
    await flush();
    expect(testid('offline-message').textContent).toMatch(/not answering \(network error: Failed to fetch\)/);
    expect(testid('connection-status').textContent).toBe('offline');
    server.config = { status: 200, body: {} };
    await vi.advanceTimersByTimeAsync(1000);
    expect(testid('waiting')).toBeTruthy();
    expect(testid('connection-status').textContent).toBe('connecting');
  });

  it('shows polling when the stream is refused but snapshots load', async () => {
    const server = new FakeServer();
    server.snapshot = { status: 200, body: demoFrames().at(-1) };
    mount(server);
    await flush();
    server.lastSource!.fail();
    await flush();
    expect(testid('connection-status').textContent).toBe('polling');
    expect(testid('stat-guilds-value').textContent).toBe('42');
  });

  it('lists commands in a sortable table', async () => {
    const server = new FakeServer();
    mount(server, null, '#/interactions');
    await flush();
    stream(server);
    const rows = () => screen.getAllByTestId('command-row').map((r) => r.getAttribute('data-command'));
    expect(testid('command-table')).toBeTruthy();
    expect(rows()).toEqual(['ping', 'slow']);
    fireEvent.click(testid('sort-unanswered'));
    expect(rows()).toEqual(['slow', 'ping']);
    fireEvent.click(testid('sort-unanswered'));
    expect(rows()).toEqual(['ping', 'slow']);
    expect(testid('chart-command-rate')).toBeTruthy();
    expect(testid('chart-interactions-by-type')).toBeTruthy();
  });

  it('renders every data section with its charts', async () => {
    const server = new FakeServer();
    const sections: [string, string[]][] = [
      ['gateway', ['shard-table', 'chart-shard-latency', 'chart-gateway-events', 'chart-shard-disconnects']],
      [
        'rest',
        [
          'invalid-requests',
          'ratelimit-table',
          'route-table',
          'chart-invalid-requests',
          'chart-rest-latency',
        ],
      ],
      ['health', ['subsystem-table', 'evicted-timers']],
      ['grafana', ['grafana-guide']],
    ];
    for (const [section, ids] of sections) {
      mount(server, null, `#/${section}`);
      await flush();
      stream(server);
      expect(testid(`section-${section}`)).toBeTruthy();
      for (const id of ids) expect(testid(id), `${section}: ${id}`).toBeTruthy();
      cleanup();
    }
  });

  it('fills the tables row by row', async () => {
    const server = new FakeServer();
    const rowsOf = (id: string, attr: string) =>
      [...testid(id).querySelectorAll('tbody tr')].map((tr) => [
        tr.getAttribute(attr),
        [...tr.children].map((td) => td.textContent),
      ]);
    mount(server, null, '#/gateway');
    await flush();
    stream(server);
    expect(screen.getAllByTestId('shard-row').map((r) => [r.dataset.shard, r.dataset.up])).toEqual([
      ['0', 'true'],
      ['1', 'true'],
    ]);
    expect(rowsOf('shard-table', 'data-shard')[0]).toEqual(['0', ['#0', 'up', '45 ms', '0', '0']]);
    expect(rowsOf('event-table', 'data-event')).toEqual([
      ['MESSAGE_CREATE', ['MESSAGE_CREATE', '10/s']],
      ['INTERACTION_CREATE', ['INTERACTION_CREATE', '2/s']],
    ]);
    cleanup();
    mount(server, null, '#/rest');
    await flush();
    stream(server);
    expect(rowsOf('ratelimit-table', 'data-route')).toEqual([
      ['/channels/:id/messages', ['/channels/:id/messages', 'POST', 'user', '5', '5']],
    ]);
    expect(rowsOf('route-table', 'data-method')).toEqual([
      ['POST', ['POST /interactions/:id/:token/callback', '2/s', '243 ms']],
    ]);
    cleanup();
    mount(server, null, '#/health');
    await flush();
    stream(server);
    expect(rowsOf('subsystem-table', 'data-subsystem')).toEqual([
      ['instrumentation', ['instrumentation', 'up']],
      ['server', ['server', 'up']],
    ]);
    expect(testid('instrumentation-errors-empty')).toBeTruthy();
    expect(testid('log-records-empty')).toBeTruthy();
    cleanup();
    mount(server, null, '#/interactions');
    await flush();
    stream(server);
    expect(rowsOf('interaction-types', 'data-type')).toEqual([
      ['application_command', ['application_command', '2/s']],
    ]);
  });

  it('shows the invalid-request count against the 10,000 threshold', async () => {
    const server = new FakeServer();
    mount(server, null, '#/rest');
    await flush();
    stream(server);
    expect(testid('invalid-requests').getAttribute('data-value')).toBe('15');
    expect(testid('invalid-requests').getAttribute('data-limit')).toBe('10000');
    expect(testid('invalid-requests').textContent).toMatch(/15 \/\s*10,000/);
  });

  it('embeds Grafana boards when grafanaUrl is set', async () => {
    const server = new FakeServer();
    server.config = { status: 200, body: { grafanaUrl: 'http://grafana.local:3000/' } };
    mount(server, null, '#/grafana');
    await flush();
    expect(testid('grafana-frame').getAttribute('src')).toBe(
      'http://grafana.local:3000/d/argus-overview?kiosk',
    );
    expect(testid('grafana-link').getAttribute('href')).toBe('http://grafana.local:3000/d/argus-overview');
    const tabs = [...document.querySelectorAll('[data-testid^="grafana-tab-"]')].map((t) =>
      t.getAttribute('data-testid'),
    );
    expect(tabs).toEqual(
      ['overview', 'interactions', 'gateway', 'rest', 'health', 'analytics'].map(
        (b) => `grafana-tab-argus-${b}`,
      ),
    );
    fireEvent.click(testid('grafana-tab-argus-analytics'));
    expect(testid('grafana-frame').getAttribute('src')).toBe(
      'http://grafana.local:3000/d/argus-analytics?kiosk',
    );
  });

  it('the setup page makes no request at all', async () => {
    const server = new FakeServer();
    mount(server, 'some-token', '#/setup');
    await flush();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.requests).toEqual([]);
    expect(server.sources).toEqual([]);
    expect(testid('section-setup')).toBeTruthy();
    fireEvent.input(testid('setup-token'), { target: { value: 'abc.def.ghi' } });
    expect(testid('setup-env-output').textContent).toContain('DISCORD_TOKEN=abc.def.ghi');
    fireEvent.click(testid('setup-hosting-docker'));
    expect(testid('setup-file-compose-yaml').textContent).toContain('9191:9191');
    expect(testid('setup-file-compose-yaml').textContent).not.toContain('abc.def.ghi');
    expect(server.requests).toEqual([]);
  });

  it('toggles and remembers the theme', async () => {
    const server = new FakeServer();
    mount(server);
    const before = document.documentElement.dataset.theme;
    expect(before).toBe('light'); // jsdom: no dark preference
    fireEvent.click(testid('theme-toggle'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(testid('theme-toggle').getAttribute('data-theme')).toBe('dark');
    expect(server.storage.get('argus.theme')).toBe('dark');
    cleanup();
    mount(server);
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('has a nav entry for every section', () => {
    mount(new FakeServer());
    const ids = ['overview', 'interactions', 'gateway', 'rest', 'health', 'analytics', 'grafana', 'setup'];
    for (const s of ids) expect(testid(`nav-${s}`).getAttribute('href')).toBe(`#/${s}`);
    expect(
      screen.getAllByRole('link', { name: /./ }).filter((a) => a.dataset.testid?.startsWith('nav-')),
    ).toHaveLength(ids.length);
  });
});
