// The reactive state of the page: transport state, config, the snapshot buffer and the
// choices (cluster, window, theme), shared with every section through a context.

import { type Accessor, createContext, createMemo, createSignal, onCleanup, useContext } from 'solid-js';
import { type Frame, SnapshotBuffer, windowOf } from './lib/buffer';
import { type MetricNames, metricNames } from './lib/names';
import type { Match } from './lib/series';
import { clustersOf, type StatsInput } from './lib/stats/input';
import { applyTheme, saveTheme, storedTheme, systemTheme, type Theme } from './lib/theme';
import { type StorageLike, TOKEN_KEY } from './lib/token';
import { Transport, type TransportDeps, type TransportState } from './lib/transport';
import type { DashboardConfig, MetricsSnapshot } from './lib/types';

export const WINDOWS: readonly { ms: number; label: string }[] = [
  { ms: 60_000, label: '1 min' },
  { ms: 5 * 60_000, label: '5 min' },
  { ms: 10 * 60_000, label: '10 min' },
];

export interface Dashboard {
  state: Accessor<TransportState>;
  config: Accessor<DashboardConfig | null>;
  names: Accessor<MetricNames>;
  frames: Accessor<readonly Frame[]>;
  /** Frames of the selected rolling window. */
  windowFrames: Accessor<Frame[]>;
  windowMs: Accessor<number>;
  /** The window in whole minutes, for labels. */
  windowMinutes: Accessor<number>;
  setWindowMs(ms: number): void;
  clusters: Accessor<string[]>;
  cluster: Accessor<string | null>;
  setCluster(c: string | null): void;
  match: Accessor<Match>;
  input: Accessor<StatsInput>;
  theme: Accessor<Theme>;
  toggleTheme(): void;
  /** Client time of the newest transport report (ticks every second). */
  now: Accessor<number>;
  /** Starts the transport once (not on the setup page, which fetches nothing). */
  ensureStarted(): void;
  submitToken(token: string): void;
  /** Forgets the token in this browser and shows the prompt. */
  signOut(): void;
  /** A GET on the bot's own `/api/*` with the token; a 401 shows the token prompt. */
  get(path: string): Promise<Response>;
  stop(): void;
}

export function createDashboard(
  deps: TransportDeps,
  storage: StorageLike | null,
  token: string | null,
  /** The token was read from storage (so it is never written back). */
  stored = false,
): Dashboard {
  const buffer = new SnapshotBuffer();
  const [state, setState] = createSignal<TransportState>({
    phase: 'loading',
    status: 'connecting',
    auth: null,
    hasToken: token !== null,
    lastFrameAt: null,
    error: null,
  });
  const [config, setConfig] = createSignal<DashboardConfig | null>(null);
  const [version, setVersion] = createSignal(0);
  const [now, setNow] = createSignal(deps.now());
  const [windowMs, setWindowMs] = createSignal(5 * 60_000);
  const [cluster, setCluster] = createSignal<string | null>(null);
  const [theme, setTheme] = createSignal<Theme>(storedTheme(storage) ?? systemTheme());
  applyTheme(theme());
  // Follow the system while the user has not picked a theme.
  const media = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  const onSystemTheme = () => {
    if (storedTheme(storage) !== null) return;
    setTheme(systemTheme());
    applyTheme(theme());
  };
  media?.addEventListener?.('change', onSystemTheme);
  onCleanup(() => media?.removeEventListener?.('change', onSystemTheme));

  let namespace: string | null = null;
  const transport = new Transport(
    deps,
    {
      onConfig(c: DashboardConfig) {
        // Another namespace means other metric names: old frames no longer compare.
        if (namespace !== null && namespace !== c.namespace) {
          buffer.clear();
          setVersion((v) => v + 1);
        }
        namespace = c.namespace;
        setConfig(c);
      },
      onFrame(snap: MetricsSnapshot) {
        if (buffer.push(snap)) setVersion((v) => v + 1);
      },
      onState(s: TransportState) {
        setState(s);
        setNow(deps.now());
      },
    },
    token,
    stored,
  );
  // A sign-out in another tab (or storage cleared there) signs this tab out too.
  const onStorage = (e: StorageEvent) => {
    if ((e.key === TOKEN_KEY || e.key === null) && e.newValue === null && transport.currentToken !== null) {
      transport.signOut();
    }
  };
  globalThis.addEventListener?.('storage', onStorage);
  onCleanup(() => globalThis.removeEventListener?.('storage', onStorage));

  const names = createMemo(() => metricNames(config()?.namespace ?? 'discord'));
  const frames = createMemo<readonly Frame[]>(() => {
    version();
    return buffer.frames.slice();
  });
  const windowFrames = createMemo(() => windowOf(frames(), windowMs()));
  const clusters = createMemo(() => clustersOf(frames()[frames().length - 1], names()));
  const effectiveCluster = createMemo(() => {
    const c = cluster();
    return c !== null && clusters().includes(c) ? c : null;
  });
  const match = createMemo<Match>(() => {
    const c = effectiveCluster();
    return c === null ? {} : { cluster: c };
  });
  const input = createMemo<StatsInput>(() => ({
    frames: frames(),
    window: windowFrames(),
    names: names(),
    match: match(),
  }));

  let started = false;
  return {
    state,
    config,
    names,
    frames,
    windowFrames,
    windowMs,
    windowMinutes: () => Math.round(windowMs() / 60_000),
    setWindowMs,
    clusters,
    cluster: effectiveCluster,
    setCluster,
    match,
    input,
    theme,
    toggleTheme() {
      const next: Theme = theme() === 'dark' ? 'light' : 'dark';
      setTheme(next);
      saveTheme(storage, next);
      applyTheme(next);
    },
    now,
    ensureStarted() {
      if (started) return;
      started = true;
      transport.start();
    },
    submitToken(t: string) {
      started = true;
      transport.setToken(t);
    },
    signOut() {
      transport.signOut();
    },
    get: (path: string) => transport.get(path),
    stop() {
      transport.stop();
    },
  };
}

export const DashboardContext = createContext<Dashboard>();

export function useDashboard(): Dashboard {
  const d = useContext(DashboardContext);
  if (!d) throw new Error('useDashboard outside DashboardContext');
  return d;
}
