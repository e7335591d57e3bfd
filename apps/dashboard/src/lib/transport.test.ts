import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptySnapshot, FakeServer } from '../test/fakes';
import { TOKEN_KEY } from './token';
import { backoffMs, streamUrl, Transport, type TransportState } from './transport';
import type { DashboardConfig, MetricsSnapshot } from './types';

function setup(token: string | null = null, server = new FakeServer(), stored = false) {
  const frames: MetricsSnapshot[] = [];
  const configs: DashboardConfig[] = [];
  const states: TransportState[] = [];
  const t = new Transport(
    server.deps(),
    { onConfig: (c) => configs.push(c), onFrame: (f) => frames.push(f), onState: (s) => states.push(s) },
    token,
    stored,
  );
  return { t, server, frames, configs, states };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('helpers', () => {
  it('backs off 1, 2, 4 … 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(backoffMs)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
  it('puts the token in the stream URL (EventSource cannot send headers)', () => {
    expect(streamUrl(null)).toBe('/api/stream');
    expect(streamUrl('a b/c+d')).toBe('/api/stream?token=a%20b%2Fc%2Bd');
  });
});

describe('Transport', () => {
  it('reads the config, opens the stream and goes live on the first frame', async () => {
    const { t, server, frames, configs } = setup();
    t.start();
    await flush();
    expect(server.requests).toEqual([{ url: '/api/config', authorization: undefined }]);
    expect(configs[0]!.namespace).toBe('discord');
    expect(server.lastSource!.url).toBe('/api/stream');
    expect(t.current.status).toBe('connecting');
    server.lastSource!.send(emptySnapshot(1));
    expect(frames).toHaveLength(1);
    expect(t.current).toMatchObject({ phase: 'ready', status: 'live' });
    t.stop();
  });

  it('sends the token as a Bearer header and in the stream URL, and keeps it once accepted', async () => {
    const { t, server } = setup('s3cret');
    t.start();
    await flush();
    expect(server.requests[0]!.authorization).toBe('Bearer s3cret');
    expect(server.lastSource!.url).toBe('/api/stream?token=s3cret');
    expect(server.storage.get(TOKEN_KEY)).toBe('s3cret');
    t.stop();
  });

  it('get() sends the token; its 401 prompts, unless the token changed meanwhile', async () => {
    const server = new FakeServer();
    const { t } = setup('s3cret', server);
    t.start();
    await flush();
    server.analytics = () => ({ status: 200, body: { rows: [] } });
    const ok = await t.get('/api/analytics/top-guilds?days=7');
    expect(ok.status).toBe(200);
    expect(server.requests.at(-1)).toEqual({
      url: '/api/analytics/top-guilds?days=7',
      authorization: 'Bearer s3cret',
    });
    expect(t.current.phase).toBe('ready');

    // A 401 for a request sent with the old token, after a new one was entered: no prompt.
    let answer!: (a: { status: number }) => void;
    server.analytics = () => new Promise((r) => (answer = r));
    const late = t.get('/api/analytics/top-guilds?days=7');
    await flush();
    t.setToken('n3w');
    await flush();
    answer({ status: 401 });
    expect((await late).status).toBe(401);
    expect(t.current.phase).toBe('ready');

    server.analytics = () => ({ status: 401 });
    await t.get('/api/analytics/top-guilds?days=7');
    expect(t.current).toMatchObject({ phase: 'auth', auth: 'rejected' });
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
  });

  it('never writes a stored token back: a storage cleared while the config is out stays cleared', async () => {
    const server = new FakeServer();
    server.storage.set(TOKEN_KEY, 'kept');
    let answer!: () => void;
    const held = new Promise<void>((r) => (answer = r));
    const config = server.config;
    server.config = 'network-error';
    const deps = server.deps();
    const fetch = deps.fetch;
    // The config answer arrives only after the user (or another tab) cleared the storage.
    deps.fetch = async (url, init) => {
      if (url === '/api/config') {
        await held;
        server.config = config;
      }
      return fetch(url, init);
    };
    const t = new Transport(deps, { onConfig() {}, onFrame() {}, onState() {} }, 'kept', true);
    t.start();
    await flush();
    server.storage.clear();
    answer();
    await flush();
    expect(t.current.phase).toBe('ready');
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
    t.stop();
  });

  it('signOut() forgets the token, closes the stream and asks again; nothing reconnects', async () => {
    const { t, server, states } = setup('s3cret');
    t.start();
    await flush();
    server.lastSource!.send(emptySnapshot(1));
    expect(server.storage.get(TOKEN_KEY)).toBe('s3cret');
    expect(t.current).toMatchObject({ phase: 'ready', hasToken: true });
    t.signOut();
    expect(t.current).toMatchObject({ phase: 'auth', auth: 'signed-out', hasToken: false });
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
    expect(server.openSources).toHaveLength(0);
    expect(t.currentToken).toBeNull();
    const requests = server.requests.length;
    const reported = states.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(requests);
    expect(states).toHaveLength(reported);
    expect(server.storage.has(TOKEN_KEY)).toBe(false);

    t.setToken('s3cret');
    await flush();
    expect(t.current).toMatchObject({ phase: 'ready', hasToken: true });
    expect(server.storage.get(TOKEN_KEY)).toBe('s3cret');
    t.stop();
  });

  it('asks for a token on 401 and opens no stream', async () => {
    const { t, server } = setup();
    server.config = { status: 401 };
    t.start();
    await flush();
    expect(t.current).toMatchObject({ phase: 'auth', auth: 'missing' });
    expect(server.sources).toHaveLength(0);
  });

  it('forgets a stale stored token and prompts (instead of failing silently)', async () => {
    const server = new FakeServer();
    server.storage.set(TOKEN_KEY, 'old');
    server.config = { status: 401 };
    const { t } = setup('old', server);
    t.start();
    await flush();
    expect(t.current).toMatchObject({ phase: 'auth', auth: 'rejected' });
    expect(server.storage.has(TOKEN_KEY)).toBe(false);
    expect(t.currentToken).toBeNull();

    server.config = { status: 200, body: { intervalSeconds: 5 } };
    t.setToken('new');
    await flush();
    expect(server.requests.at(-1)!.authorization).toBe('Bearer new');
    expect(t.current.phase).toBe('ready');
    expect(server.storage.get(TOKEN_KEY)).toBe('new');
    t.stop();
  });

  it('on a stream error polls once (with the Bearer header), then falls back to polling and retries SSE', async () => {
    const { t, server, frames } = setup('tok');
    let n = 0;
    server.snapshot = () => ({ status: 200, body: emptySnapshot(++n * 1000) });
    t.start();
    await flush();
    const first = server.lastSource!;
    first.fail();
    await flush();
    expect(first.closed).toBe(true);
    expect(server.requests.at(-1)).toEqual({ url: '/api/snapshot', authorization: 'Bearer tok' });
    expect(frames).toHaveLength(1);
    expect(t.current.status).toBe('polling');

    // SSE retry after 1 s fails again: polling every interval starts.
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.sources).toHaveLength(2);
    server.lastSource!.fail();
    await flush();
    const before = server.requests.filter((r) => r.url === '/api/snapshot').length;
    await vi.advanceTimersByTimeAsync(5000);
    const polls = server.requests.filter((r) => r.url === '/api/snapshot').length;
    expect(polls).toBeGreaterThan(before);
    expect(t.current.status).toBe('polling');

    // The stream is retried with backoff (2 s) and, once it delivers, polling stops.
    expect(server.sources.length).toBeGreaterThanOrEqual(3);
    const sse = server.lastSource!;
    sse.send(emptySnapshot(100_000));
    expect(t.current.status).toBe('live');
    const afterLive = server.requests.length;
    for (let i = 1; i <= 6; i++) {
      await vi.advanceTimersByTimeAsync(5000);
      sse.send(emptySnapshot(100_000 + i * 5000));
    }
    expect(server.requests.length).toBe(afterLive);
    expect(t.current.status).toBe('live');
    expect(sse.closed).toBe(false);
    t.stop();
  });

  it('uses the configured interval for polling', async () => {
    const { t, server } = setup();
    server.config = { status: 200, body: { intervalSeconds: 2 } };
    server.snapshot = { status: 200, body: emptySnapshot(1) };
    t.start();
    await flush();
    server.lastSource!.fail();
    await vi.advanceTimersByTimeAsync(1000);
    server.lastSource!.fail();
    await flush();
    const count = () => server.requests.filter((r) => r.url === '/api/snapshot').length;
    const start = count();
    await vi.advanceTimersByTimeAsync(2000);
    expect(count()).toBe(start + 1);
    t.stop();
  });

  it('shows the prompt when a poll gets 401 (the token changed while the page was open)', async () => {
    const { t, server } = setup('tok');
    t.start();
    await flush();
    server.snapshot = { status: 401 };
    server.lastSource!.fail();
    await flush();
    expect(t.current).toMatchObject({ phase: 'auth', auth: 'rejected' });
    expect(server.openSources).toHaveLength(0);
    // Nothing keeps running behind the prompt.
    const n = server.requests.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.requests.length).toBe(n);
  });

  it('is offline while the bot is down and goes back to SSE when it returns', async () => {
    const { t, server, configs } = setup();
    t.start();
    await flush();
    server.lastSource!.send(emptySnapshot(1));
    server.snapshot = 'network-error';
    server.lastSource!.fail();
    await flush();
    expect(t.current.status).toBe('offline');
    expect(t.current.error).toBe('network error: Failed to fetch');
    await vi.advanceTimersByTimeAsync(1000);
    server.lastSource!.fail();
    await flush();
    expect(t.current.status).toBe('offline');

    // The bot is back: the next poll succeeds, SSE reopens at once and the config is re-read.
    server.snapshot = { status: 200, body: emptySnapshot(50_000) };
    const sourcesBefore = server.sources.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.current.status).not.toBe('offline');
    expect(server.sources.length).toBeGreaterThan(sourcesBefore);
    expect(configs.length).toBeGreaterThanOrEqual(2);
    server.lastSource!.send(emptySnapshot(60_000));
    expect(t.current.status).toBe('live');
    t.stop();
  });

  it('retries the config with backoff while the bot is unreachable', async () => {
    const { t, server } = setup();
    server.config = 'network-error';
    t.start();
    await flush();
    expect(t.current.status).toBe('offline');
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.requests).toHaveLength(3);
    server.config = { status: 200, body: {} };
    await vi.advanceTimersByTimeAsync(4000);
    expect(t.current.phase).toBe('ready');
    expect(server.sources).toHaveLength(1);
    t.stop();
  });

  it('turns stale after 3 intervals without a frame, and treats a silent stream as failed', async () => {
    const { t, server } = setup();
    server.snapshot = { status: 200, body: emptySnapshot(1) };
    t.start();
    await flush();
    const sse = server.lastSource!;
    sse.send(emptySnapshot(1));
    await vi.advanceTimersByTimeAsync(14_000);
    expect(t.current.status).toBe('live');
    await vi.advanceTimersByTimeAsync(2_000);
    // Past 15 s: the watchdog closed the silent stream and polled (same snapshot: stale stays).
    expect(sse.closed).toBe(true);
    expect(server.requests.some((r) => r.url === '/api/snapshot')).toBe(true);
    t.stop();
  });

  it('reports stale, then offline, when frames stop and the bot stops answering', async () => {
    const { t, server, states } = setup();
    server.snapshot = 'network-error';
    t.start();
    await flush();
    server.lastSource!.send(emptySnapshot(1));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(t.current.status).toBe('live');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(states.some((s) => s.status === 'stale')).toBe(true);
    expect(t.current.status).toBe('offline');
    expect(t.current.lastFrameAt).toBe(1_700_000_000_000);
    t.stop();
  });
});
