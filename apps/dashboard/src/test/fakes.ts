// A fake server for the transport: scripted answers for /api/config, /api/snapshot and
// /api/analytics/*, and EventSources the test drives by hand. Timers are the global ones (use
// vi.useFakeTimers()).

import type { EventSourceLike, TransportDeps } from '../lib/transport';
import type { WireSnapshot } from '../lib/types';

export type Answer = { status: number; body?: unknown } | 'network-error';

export class FakeEventSource implements EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  /** Sends a frame as the server does: the wire form, as JSON. */
  send(snap: WireSnapshot): void {
    this.onmessage?.({ data: JSON.stringify(snap) });
  }
  fail(): void {
    this.onerror?.({});
  }
}

export interface Request {
  url: string;
  authorization: string | undefined;
}

export class FakeServer {
  config: Answer = { status: 200, body: { namespace: 'discord', intervalSeconds: 5, version: '0.1.0' } };
  snapshot: Answer | (() => Answer) = 'network-error';
  /** `/api/analytics/*`: the answer for a request (the URL parsed against this page), maybe later. */
  analytics: (url: URL) => Answer | Promise<Answer> = () => ({ status: 404 });
  /** `/api/traces`. */
  traces: Answer = { status: 404 };
  requests: Request[] = [];
  sources: FakeEventSource[] = [];
  storage = new Map<string, string>();

  get lastSource(): FakeEventSource | undefined {
    return this.sources[this.sources.length - 1];
  }

  get openSources(): FakeEventSource[] {
    return this.sources.filter((s) => !s.closed);
  }

  deps(): TransportDeps {
    const server = this;
    return {
      fetch: async (url, init) => {
        server.requests.push({ url, authorization: init?.headers?.Authorization });
        const a = url.startsWith('/api/config')
          ? server.config
          : url.startsWith('/api/analytics/')
            ? await server.analytics(new URL(url, 'http://bot.local'))
            : url.startsWith('/api/traces')
              ? server.traces
              : typeof server.snapshot === 'function'
                ? server.snapshot()
                : server.snapshot;
        if (a === 'network-error') throw new TypeError('Failed to fetch');
        return {
          status: a.status,
          ok: a.status >= 200 && a.status < 300,
          json: async () => a.body,
        } as Response;
      },
      EventSource: class extends FakeEventSource {
        constructor(url: string) {
          super(url);
          server.sources.push(this);
        }
      },
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (t) => clearTimeout(t),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (t) => clearInterval(t),
      now: () => Date.now(),
      storage: {
        getItem: (k) => server.storage.get(k) ?? null,
        setItem: (k, v) => void server.storage.set(k, v),
        removeItem: (k) => void server.storage.delete(k),
      },
    };
  }
}

export const emptySnapshot = (time: number): WireSnapshot => ({ time, metrics: {} });
