// The Analytics view's state machine: the window, the selected guild (mirrored in the hash), the
// busiest guilds, the guild's figures, the name search, the minute refresh and the failures. The
// component only renders it. Every effect on the page (requests, hash, timers, visibility) goes
// through `AnalyticsEnv`, so the whole machine runs under fake timers in a unit test.

import { createSignal } from 'solid-js';
import {
  DEFAULT_DAYS,
  type Failure,
  type GuildAnalytics,
  type GuildMatch,
  guildHash,
  guildOfHash,
  isGuildId,
  loadGuild,
  loadTopGuilds,
  searchGuilds,
  type TopGuilds,
  WINDOW_DAYS,
} from './analytics';

/** The selected guild and the busiest guilds are fetched again this often while the view shows. */
export const REFRESH_MS = 60_000;
/** Typing pause before a name search. */
export const SEARCH_DEBOUNCE_MS = 250;

type Timer = ReturnType<typeof setTimeout>;

export interface AnalyticsEnv {
  /** A GET on the bot's `/api/*` with the dashboard token. */
  get(path: string): Promise<Response>;
  hash(): string;
  setHash(hash: string): void;
  /** Calls `fn` on every hash change until the returned function is called. */
  onHashChange(fn: () => void): () => void;
  hidden(): boolean;
  onVisibilityChange(fn: () => void): () => void;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(t: Timer | undefined): void;
  setInterval(fn: () => void, ms: number): Timer;
  clearInterval(t: Timer): void;
}

/** The page's own hash, timers and visibility. */
export function browserAnalyticsEnv(get: (path: string) => Promise<Response>): AnalyticsEnv {
  const listen = (target: EventTarget, type: string, fn: () => void) => {
    target.addEventListener(type, fn);
    return () => target.removeEventListener(type, fn);
  };
  return {
    get,
    hash: () => location.hash,
    setHash: (hash) => {
      location.hash = hash;
    },
    onHashChange: (fn) => listen(window, 'hashchange', fn),
    hidden: () => document.visibilityState === 'hidden',
    onVisibilityChange: (fn) => listen(document, 'visibilitychange', fn),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (t) => clearTimeout(t),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (t) => clearInterval(t),
  };
}

export interface AnalyticsStore {
  days(): number;
  guildId(): string | null;
  /** Guild names seen in any answer, for the title of a guild selected by id. */
  names(): ReadonlyMap<string, string>;
  top(): TopGuilds | null;
  topFailure(): Failure | null;
  guildLoading(): boolean;
  /** The selected guild's figures for the current window, or null while they are not there. */
  current(): GuildAnalytics | null;
  /** The selected guild's name, else its id ('' when none is selected). */
  title(): string;
  text(): string;
  matches(): GuildMatch[] | null;
  /** The one failure to show: the guild's, else the list's, else the search's; never a 401. */
  failure(): Failure | null;
  setDays(days: number): void;
  select(guildId: string): void;
  input(text: string): void;
  /** Enter in the search: a guild id selects it, any other text searches at once. */
  enter(): void;
  clearSearch(): void;
  retry(): Promise<void>;
  /** Stops the timers and listeners; answers still out are dropped. */
  dispose(): void;
}

/** Starts loading at once (the busiest guilds, and the guild of the hash if any). */
export function createAnalyticsStore(env: AnalyticsEnv): AnalyticsStore {
  const [days, setDaysSignal] = createSignal(DEFAULT_DAYS);
  // Invalid ids in the hash are ignored: nothing is selected.
  const [guildId, setGuildId] = createSignal<string | null>(guildOfHash(env.hash()));
  const [names, setNames] = createSignal<ReadonlyMap<string, string>>(new Map());
  const [top, setTop] = createSignal<TopGuilds | null>(null);
  const [topFailure, setTopFailure] = createSignal<Failure | null>(null);
  const [guild, setGuild] = createSignal<GuildAnalytics | null>(null);
  const [guildFailure, setGuildFailure] = createSignal<Failure | null>(null);
  const [guildLoading, setGuildLoading] = createSignal(false);
  const [text, setText] = createSignal('');
  const [matches, setMatches] = createSignal<GuildMatch[] | null>(null);
  const [searchFailure, setSearchFailure] = createSignal<Failure | null>(null);

  // Every request of a kind gets the next number; an answer to an older one is dropped, so a
  // slow answer for another guild, window or text never overwrites a newer one.
  let topSeq = 0;
  let guildSeq = 0;
  let searchSeq = 0;
  let searched = '';
  let debounce: Timer | undefined;
  let disposed = false;

  const remember = (rows: readonly { guildId: string; name: string | null }[]) => {
    const next = new Map(names());
    for (const r of rows) if (r.name !== null) next.set(r.guildId, r.name);
    setNames(next);
  };

  const loadTop = async () => {
    const seq = ++topSeq;
    const r = await loadTopGuilds(env.get, days());
    if (seq !== topSeq) return;
    if (r.ok) {
      remember(r.value.rows);
      setTop(r.value);
      setTopFailure(null);
    } else setTopFailure(r.failure);
  };

  const loadSelected = async () => {
    const seq = ++guildSeq;
    const id = guildId();
    if (id === null) {
      setGuildLoading(false);
      return;
    }
    setGuildLoading(true);
    const r = await loadGuild(env.get, id, days());
    if (seq !== guildSeq) return;
    setGuildLoading(false);
    if (r.ok) {
      if (r.value.name !== null) remember([r.value]);
      setGuild(r.value);
      setGuildFailure(null);
    } else setGuildFailure(r.failure);
  };

  // A load is 5 requests: the guild's 4 at once, then the list, so a load has at most 4 in flight
  // (a search typed meanwhile adds one). The server's cap is higher (16 by default); a request it
  // refuses as busy is sent once more.
  const loadBoth = async () => {
    await loadSelected();
    // Disposed while the guild loaded: the list is not asked for any more.
    if (!disposed) await loadTop();
  };

  const changeGuild = (id: string | null) => {
    if (id === guildId()) return;
    setGuildId(id);
    setGuild(null);
    setGuildFailure(null);
    void loadSelected();
  };

  const runSearch = async (q: string) => {
    env.clearTimeout(debounce);
    const seq = ++searchSeq;
    searched = q;
    const r = await searchGuilds(env.get, q);
    if (seq !== searchSeq) return;
    if (r.ok) {
      remember(r.value);
      setMatches(r.value);
      setSearchFailure(null);
    } else {
      setMatches(null);
      setSearchFailure(r.failure);
    }
  };

  const clearSearch = () => {
    env.clearTimeout(debounce);
    searchSeq++;
    setText('');
    setMatches(null);
    setSearchFailure(null);
  };

  const select = (id: string) => {
    if (!isGuildId(id)) return;
    clearSearch();
    changeGuild(id);
    // A history entry: Back returns to the previous guild.
    const hash = guildHash(id);
    if (env.hash() !== hash) env.setHash(hash);
  };

  // Back/forward and edited addresses: the hash is the selection (while it is this section's).
  const stopHash = env.onHashChange(() => {
    const hash = env.hash();
    if (/^#\/?analytics(?:[/?]|$)/i.test(hash)) changeGuild(guildOfHash(hash));
  });

  // Refresh every minute, not while the page is hidden (then once when it shows again).
  let overdue = false;
  const timer = env.setInterval(() => {
    if (env.hidden()) overdue = true;
    else void loadBoth();
  }, REFRESH_MS);
  const stopVisibility = env.onVisibilityChange(() => {
    if (env.hidden() || !overdue) return;
    overdue = false;
    void loadBoth();
  });

  void loadBoth();

  return {
    days,
    guildId,
    names,
    top,
    topFailure,
    guildLoading,
    current() {
      const g = guild();
      return g !== null && g.guildId === guildId() && g.days === days() ? g : null;
    },
    title() {
      const id = guildId();
      return id === null ? '' : (names().get(id) ?? id);
    },
    text,
    matches,
    failure: () =>
      [guildFailure(), topFailure(), searchFailure()].find((f) => f !== null && f.kind !== 'auth') ?? null,
    // Another window: both start over (the old figures are for another period).
    setDays(d: number) {
      if (!WINDOW_DAYS.includes(d) || d === days()) return;
      setDaysSignal(d);
      setTop(null);
      setTopFailure(null);
      setGuild(null);
      setGuildFailure(null);
      void loadBoth();
    },
    select,
    input(value: string) {
      setText(value);
      env.clearTimeout(debounce);
      const q = value.trim();
      if (q === '') {
        searchSeq++;
        setMatches(null);
        setSearchFailure(null);
        return;
      }
      debounce = env.setTimeout(() => void runSearch(q), SEARCH_DEBOUNCE_MS);
    },
    enter() {
      const q = text().trim();
      if (isGuildId(q)) select(q);
      else if (q !== '') void runSearch(q);
    },
    clearSearch,
    async retry() {
      if (searchFailure() && searched !== '') void runSearch(searched);
      if (guildFailure()) await loadSelected();
      if (topFailure() || top() === null) await loadTop();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      env.clearInterval(timer);
      env.clearTimeout(debounce);
      stopHash();
      stopVisibility();
      topSeq++;
      guildSeq++;
      searchSeq++;
    },
  };
}
