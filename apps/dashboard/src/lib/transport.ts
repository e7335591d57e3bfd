// How snapshots reach the page: /api/config, then Server-Sent Events from /api/stream, with a
// polling fallback on /api/snapshot that keeps trying to get back to SSE.
//
//   start ──► config ──401──► auth (prompt; a stale stored token is forgotten)
//               │           signOut() ──► auth (the stored token is removed, nothing reconnects)
//               │ error: offline, retry with backoff
//               ▼ ok
//             SSE ──frame──► live
//               │ error / silent for 3 intervals
//               ▼
//             one poll at once (classifies: 401 → auth, failure → offline, ok → frame)
//             after 2 SSE failures: poll every interval ("polling") and retry SSE with
//             backoff (1 s, 2 s, 4 s … 30 s); a poll that succeeds after "offline" retries
//             SSE at once and re-reads the config.
//
// Every dependency (fetch, EventSource, timers, clock, storage) is injected, so the whole
// machine runs under fake timers in tests.

import { type StorageLike, TOKEN_KEY } from './token';
import { type DashboardConfig, type MetricsSnapshot, parseConfig, parseSnapshot } from './types';

export type ConnectionStatus = 'connecting' | 'live' | 'polling' | 'stale' | 'offline';
export type Phase = 'loading' | 'auth' | 'ready';
export type AuthReason = 'missing' | 'rejected' | 'signed-out';

export interface TransportState {
  phase: Phase;
  status: ConnectionStatus;
  /** Why the token prompt shows: no token yet, the token was rejected, or the user signed out. */
  auth: AuthReason | null;
  /** Whether requests carry a token (what a sign-out control needs to know). */
  hasToken: boolean;
  /** Client clock (ms) of the last frame received. */
  lastFrameAt: number | null;
  /** A short description of the last failure, for the offline message. */
  error: string | null;
}

export interface EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onopen: ((ev: unknown) => void) | null;
  close(): void;
}

type Timer = ReturnType<typeof setTimeout>;

export interface TransportDeps {
  fetch: (
    url: string,
    init?: { headers?: Record<string, string>; cache?: RequestCache },
  ) => Promise<Response>;
  EventSource: new (url: string) => EventSourceLike;
  setTimeout: (fn: () => void, ms: number) => Timer;
  clearTimeout: (t: Timer) => void;
  setInterval: (fn: () => void, ms: number) => Timer;
  clearInterval: (t: Timer) => void;
  now: () => number;
  storage: StorageLike | null;
}

export interface TransportHandlers {
  onConfig(config: DashboardConfig): void;
  onFrame(snapshot: MetricsSnapshot): void;
  onState(state: TransportState): void;
}

/** SSE failures in a row before polling starts. */
export const FALLBACK_AFTER = 2;
export const MAX_BACKOFF_MS = 30_000;
/** No frame for this many intervals: the data is stale. */
export const STALE_INTERVALS = 3;

export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
}

export function streamUrl(token: string | null): string {
  return token ? `/api/stream?token=${encodeURIComponent(token)}` : '/api/stream';
}

class Unauthorized extends Error {}
class HttpError extends Error {}

export class Transport {
  private token: string | null;
  /**
   * The token came from the prompt or the URL and is not stored yet. A token read from storage is
   * never written back: that would undo a sign-out (or a cleared storage) that happened while a
   * request was out.
   */
  private unsaved: boolean;
  private config: DashboardConfig | null = null;
  private es: EventSourceLike | null = null;
  /** Client time the current EventSource was opened or last delivered a frame. */
  private esSince = 0;
  private esLive = false;
  private sseFailures = 0;
  private configFailures = 0;
  private polling: Timer | null = null;
  private sseRetry: Timer | null = null;
  private configRetry: Timer | null = null;
  private ticker: Timer | null = null;
  private offline = false;
  private stopped = true;
  /** Bumped on every (re)start so callbacks of an older generation are ignored. */
  private generation = 0;
  private state: TransportState = {
    phase: 'loading',
    status: 'connecting',
    auth: null,
    hasToken: false,
    lastFrameAt: null,
    error: null,
  };

  /** `stored`: the token was read from storage (so it is not written there again). */
  constructor(
    private readonly deps: TransportDeps,
    private readonly handlers: TransportHandlers,
    token: string | null,
    stored = false,
  ) {
    this.token = token;
    this.unsaved = token !== null && !stored;
    this.state.hasToken = token !== null;
  }

  get current(): TransportState {
    return this.state;
  }

  get currentToken(): string | null {
    return this.token;
  }

  start(): void {
    this.teardown();
    this.stopped = false;
    this.generation++;
    this.sseFailures = 0;
    this.configFailures = 0;
    this.offline = false;
    this.set({ phase: 'loading', auth: null, hasToken: this.token !== null, error: null });
    this.ticker = this.deps.setInterval(() => this.tick(), 1000);
    void this.loadConfig(this.generation);
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.teardown();
  }

  /** A token from the prompt: try again with it. */
  setToken(token: string): void {
    this.token = token.trim() === '' ? null : token.trim();
    this.unsaved = this.token !== null;
    this.start();
  }

  /** Forgets the token here and in storage, closes every connection and shows the prompt. */
  signOut(): void {
    this.forgetStored();
    this.token = null;
    this.unsaved = false;
    this.generation++;
    this.teardown();
    this.stopped = true;
    this.set({ phase: 'auth', auth: 'signed-out', hasToken: false, error: null });
  }

  /**
   * A GET on this bot's own `/api/*` (the analytics routes) with the token, as for the config. A
   * 401 shows the token prompt, unless the token changed while the request was out. Network
   * errors reject.
   */
  async get(path: string): Promise<Response> {
    const gen = this.generation;
    const res = await this.deps.fetch(path, { headers: this.headers(), cache: 'no-store' });
    if (res.status === 401 && gen === this.generation) this.unauthorized();
    return res;
  }

  private headers(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  private async loadConfig(gen: number): Promise<void> {
    let res: Response;
    try {
      res = await this.deps.fetch('/api/config', { headers: this.headers(), cache: 'no-store' });
    } catch (e) {
      if (gen !== this.generation) return;
      return this.configFailed(gen, `network error: ${errorText(e)}`);
    }
    if (gen !== this.generation) return;
    if (res.status === 401) return this.unauthorized();
    if (!res.ok) return this.configFailed(gen, `HTTP ${res.status}`);
    let config: DashboardConfig;
    try {
      config = parseConfig(await res.json());
    } catch {
      if (gen !== this.generation) return;
      return this.configFailed(gen, 'unreadable config');
    }
    if (gen !== this.generation) return;
    this.configFailures = 0;
    this.config = config;
    this.rememberToken();
    this.handlers.onConfig(config);
    this.offline = false;
    this.set({ phase: 'ready', auth: null, error: null });
    this.openStream(gen);
  }

  private configFailed(gen: number, error: string): void {
    this.configFailures++;
    this.offline = true;
    this.set({ error });
    this.configRetry = this.deps.setTimeout(() => {
      this.configRetry = null;
      if (gen === this.generation) void this.loadConfig(gen);
    }, backoffMs(this.configFailures));
  }

  /** Stores a token the server has just accepted, once. */
  private rememberToken(): void {
    if (!this.unsaved || !this.token || !this.deps.storage) return;
    this.unsaved = false;
    try {
      this.deps.storage.setItem(TOKEN_KEY, this.token);
    } catch {
      // Storage full or denied: the token still works for this page.
    }
  }

  private forgetStored(): void {
    try {
      this.deps.storage?.removeItem(TOKEN_KEY);
    } catch {
      // Denied: nothing was stored then.
    }
  }

  private unauthorized(): void {
    const hadToken = this.token !== null;
    if (hadToken) this.forgetStored();
    this.token = null;
    this.unsaved = false;
    this.generation++;
    this.teardown();
    this.stopped = true;
    this.set({ phase: 'auth', auth: hadToken ? 'rejected' : 'missing', hasToken: false, error: null });
  }

  private interval(): number {
    return (this.config?.intervalSeconds ?? 5) * 1000;
  }

  private openStream(gen: number): void {
    if (this.stopped || gen !== this.generation) return;
    this.closeStream();
    let es: EventSourceLike;
    try {
      es = new this.deps.EventSource(streamUrl(this.token));
    } catch {
      this.streamFailed(gen);
      return;
    }
    this.es = es;
    this.esSince = this.deps.now();
    this.esLive = false;
    es.onmessage = (ev) => {
      if (gen !== this.generation || this.es !== es) return;
      const snap = parseFrame(ev.data);
      if (!snap) return;
      this.esSince = this.deps.now();
      this.esLive = true;
      this.sseFailures = 0;
      this.stopPolling();
      this.frame(snap, gen);
    };
    es.onerror = () => {
      if (gen !== this.generation || this.es !== es) return;
      this.streamFailed(gen);
    };
  }

  private closeStream(): void {
    if (!this.es) return;
    this.es.onmessage = null;
    this.es.onerror = null;
    this.es.onopen = null;
    try {
      this.es.close();
    } catch {
      // ignore
    }
    this.es = null;
    this.esLive = false;
  }

  private streamFailed(gen: number): void {
    this.closeStream();
    this.sseFailures++;
    // EventSource cannot see the status: one plain request tells 401, down and merely-no-SSE apart.
    void this.poll(gen);
    if (this.sseFailures >= FALLBACK_AFTER) this.startPolling(gen);
    this.scheduleStream(gen, backoffMs(this.sseFailures));
    this.refresh();
  }

  private scheduleStream(gen: number, ms: number): void {
    if (this.sseRetry !== null) this.deps.clearTimeout(this.sseRetry);
    this.sseRetry = this.deps.setTimeout(() => {
      this.sseRetry = null;
      if (gen === this.generation) this.openStream(gen);
    }, ms);
  }

  private startPolling(gen: number): void {
    if (this.polling !== null) return;
    this.polling = this.deps.setInterval(() => {
      if (gen === this.generation) void this.poll(gen);
    }, this.interval());
  }

  private stopPolling(): void {
    if (this.polling === null) return;
    this.deps.clearInterval(this.polling);
    this.polling = null;
  }

  private async poll(gen: number): Promise<void> {
    let res: Response;
    try {
      res = await this.deps.fetch('/api/snapshot', { headers: this.headers(), cache: 'no-store' });
      if (gen !== this.generation) return;
      if (res.status === 401) throw new Unauthorized();
      if (!res.ok) throw new HttpError(`HTTP ${res.status}`);
      const snap = parseSnapshot(await res.json());
      if (gen !== this.generation) return;
      if (!snap) throw new HttpError('unreadable snapshot');
      const wasOffline = this.offline;
      this.frame(snap, gen);
      // Back from an outage: straight back to SSE.
      if (wasOffline && !this.es) this.scheduleStream(gen, 0);
    } catch (e) {
      if (gen !== this.generation) return;
      if (e instanceof Unauthorized) return this.unauthorized();
      this.offline = true;
      this.set({ error: e instanceof HttpError ? e.message : `network error: ${errorText(e)}` });
    }
  }

  private async refreshConfig(gen: number): Promise<void> {
    try {
      const res = await this.deps.fetch('/api/config', { headers: this.headers(), cache: 'no-store' });
      if (gen !== this.generation || !res.ok) return;
      const config = parseConfig(await res.json());
      if (gen !== this.generation) return;
      const intervalChanged = config.intervalSeconds !== this.config?.intervalSeconds;
      this.config = config;
      this.handlers.onConfig(config);
      if (intervalChanged && this.polling !== null) {
        this.stopPolling();
        this.startPolling(gen);
      }
    } catch {
      // The next poll will tell.
    }
  }

  private frame(snap: MetricsSnapshot, gen: number): void {
    const wasOffline = this.offline;
    this.offline = false;
    this.handlers.onFrame(snap);
    this.set({ lastFrameAt: this.deps.now(), error: null });
    // The bot may have restarted with another config (namespace, interval).
    if (wasOffline) void this.refreshConfig(gen);
  }

  /** Once a second: the SSE watchdog and the stale clock. */
  private tick(): void {
    if (this.stopped) return;
    const limit = STALE_INTERVALS * this.interval();
    // An open stream that says nothing (a buffering proxy, a hung server) counts as failed.
    if (this.es && this.deps.now() - this.esSince > limit) this.streamFailed(this.generation);
    this.refresh();
  }

  private refresh(): void {
    this.set({});
  }

  private deriveStatus(s: TransportState): ConnectionStatus {
    if (s.phase === 'auth') return 'offline';
    if (this.offline) return 'offline';
    if (s.phase !== 'ready' || s.lastFrameAt === null) return 'connecting';
    if (this.deps.now() - s.lastFrameAt > STALE_INTERVALS * this.interval()) return 'stale';
    if (this.es && this.esLive) return 'live';
    if (this.polling !== null || this.sseFailures > 0) return 'polling';
    return 'connecting';
  }

  private set(patch: Partial<TransportState>): void {
    const next = { ...this.state, ...patch };
    next.status = this.deriveStatus(next);
    this.state = next;
    // Always reported, also by the ticker: the age of the data changes every second.
    this.handlers.onState(next);
  }

  private teardown(): void {
    this.closeStream();
    this.stopPolling();
    for (const t of [this.sseRetry, this.configRetry]) if (t !== null) this.deps.clearTimeout(t);
    this.sseRetry = null;
    this.configRetry = null;
    if (this.ticker !== null) this.deps.clearInterval(this.ticker);
    this.ticker = null;
  }
}

function parseFrame(data: string): MetricsSnapshot | null {
  try {
    return parseSnapshot(JSON.parse(data));
  } catch {
    return null;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The browser's own implementations. */
export function browserDeps(storage: StorageLike | null): TransportDeps {
  return {
    fetch: (url, init) => globalThis.fetch(url, init),
    EventSource: globalThis.EventSource as unknown as new (url: string) => EventSourceLike,
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (t) => globalThis.clearTimeout(t),
    setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
    clearInterval: (t) => globalThis.clearInterval(t),
    now: () => Date.now(),
    storage,
  };
}
