// Per-guild analytics: the `/api/analytics/*` requests, their answers read defensively (a malformed
// body is a failure, never an exception), the failures sorted into what the page says about them,
// and the day series of the volume chart. The Analytics section only formats what comes out of here.

import {
  type CommandStats,
  type DayVolume,
  type GuildActivity,
  MAX_WINDOW_DAYS,
  RESPONSE_DEADLINE_MS,
  validateGuildId,
} from '@argus/core/wire';

export type { DayVolume };

/** Window choices, in days (the longest is the most the server accepts). */
export const WINDOW_DAYS: readonly number[] = [1, 7, 30, MAX_WINDOW_DAYS];
export const DEFAULT_DAYS = 7;
export const TOP_GUILDS_LIMIT = 10;
export const SEARCH_LIMIT = 20;
/** The server refuses longer search texts. */
export const MAX_QUERY_LENGTH = 100;
const DAY_MS = 86_400_000;
/** Longest window the server accepts plus the partial days at both ends. */
const MAX_FILLED_DAYS = MAX_WINDOW_DAYS + 2;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A Discord guild id (a snowflake), by the same rule the server applies. */
export function isGuildId(s: string): boolean {
  try {
    validateGuildId(s);
    return true;
  } catch {
    return false;
  }
}

/** `#/analytics/<id>` (or `#analytics/<id>`) → the id; null for any other hash or a malformed id. */
export function guildOfHash(hash: string): string | null {
  const m = /^#\/?analytics\/([^/?]*)/i.exec(hash);
  const id = m?.[1] ?? '';
  return isGuildId(id) ? id : null;
}

/** The hash of the section with this guild selected. */
export function guildHash(guildId: string | null): string {
  return guildId === null ? '#/analytics' : `#/analytics/${guildId}`;
}

// ------------------------------------------------------------------ wire types

/** A row of `top-guilds`: core's activity row with the guild's name from the bot's cache. */
export interface TopGuild extends GuildActivity {
  name: string | null;
}

export interface TopGuilds {
  /** The window the server used, epoch ms: [from, to). */
  from: number;
  to: number;
  rows: TopGuild[];
}

export interface GuildMatch {
  guildId: string;
  name: string | null;
}

export type CommandStat = CommandStats;

/** What every per-guild answer starts with. */
export interface GuildHead {
  guildId: string;
  name: string | null;
  from: number;
  to: number;
}

export interface VolumeAnswer extends GuildHead {
  rows: DayVolume[];
}

export interface CommandStatsAnswer extends GuildHead {
  rows: CommandStat[];
}

export interface OverallAnswer extends GuildHead {
  commands: number;
  errors: number;
  errorRatio: number | null;
  avgMs: number | null;
  p95Ms: number | null;
}

export interface ShareAnswer extends GuildHead {
  interactions: number;
  withinDeadline: number;
  /** 0..1; null without interactions. */
  share: number | null;
  deadlineMs: number;
}

/** Everything the section shows for one guild. */
export interface GuildAnalytics {
  guildId: string;
  name: string | null;
  from: number;
  to: number;
  days: number;
  /** Every UTC day of the window, oldest first, 0 where the server had none. */
  volume: DayVolume[];
  /** Most used first. */
  commands: CommandStat[];
  overall: OverallAnswer;
  share: ShareAnswer;
}

// ------------------------------------------------------------------ parsing

type Obj = Record<string, unknown>;

const isRecord = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isCount = (x: unknown): x is number => isNum(x) && x >= 0;
/** A number, null, or undefined when it is neither. */
const nullableNum = (x: unknown): number | null | undefined => (x === null ? null : isNum(x) ? x : undefined);
const nameOf = (x: unknown): string | null => (typeof x === 'string' && x.trim() !== '' ? x : null);

/** An ISO 8601 time or epoch ms → epoch ms, or null. */
function timeOf(x: unknown): number | null {
  if (isNum(x)) return x;
  if (typeof x !== 'string') return null;
  const ms = Date.parse(x);
  return Number.isFinite(ms) ? ms : null;
}

/** `rows` of a body, each read by `row` (malformed rows are left out); null without a rows array. */
function rowsOf<T>(o: Obj, row: (r: Obj) => T | null): T[] | null {
  if (!Array.isArray(o.rows)) return null;
  const out: T[] = [];
  for (const r of o.rows) {
    const v = isRecord(r) ? row(r) : null;
    if (v !== null) out.push(v);
  }
  return out;
}

function windowOf(o: Obj): { from: number; to: number } | null {
  const from = timeOf(o.from);
  const to = timeOf(o.to);
  return from !== null && to !== null && to > from ? { from, to } : null;
}

function headOf(raw: unknown): (GuildHead & { o: Obj }) | null {
  if (!isRecord(raw) || typeof raw.guildId !== 'string' || !isGuildId(raw.guildId)) return null;
  const w = windowOf(raw);
  return w ? { guildId: raw.guildId, name: nameOf(raw.name), ...w, o: raw } : null;
}

export function parseTopGuilds(raw: unknown): TopGuilds | null {
  if (!isRecord(raw)) return null;
  const w = windowOf(raw);
  const rows = rowsOf(raw, (r) =>
    typeof r.guildId === 'string' &&
    isGuildId(r.guildId) &&
    isCount(r.interactions) &&
    isCount(r.commands) &&
    isCount(r.errors)
      ? {
          guildId: r.guildId,
          name: nameOf(r.name),
          interactions: r.interactions,
          commands: r.commands,
          errors: r.errors,
        }
      : null,
  );
  return w && rows ? { ...w, rows } : null;
}

export function parseGuildMatches(raw: unknown): GuildMatch[] | null {
  if (!isRecord(raw)) return null;
  return rowsOf(raw, (r) =>
    typeof r.guildId === 'string' && isGuildId(r.guildId)
      ? { guildId: r.guildId, name: nameOf(r.name) }
      : null,
  );
}

export function parseVolume(raw: unknown): VolumeAnswer | null {
  const head = headOf(raw);
  if (!head) return null;
  const { o, ...h } = head;
  const rows = rowsOf(o, (r) =>
    typeof r.day === 'string' && DAY.test(r.day) && isCount(r.interactions)
      ? { day: r.day, interactions: r.interactions }
      : null,
  );
  return rows ? { ...h, rows } : null;
}

export function parseCommandStats(raw: unknown): CommandStatsAnswer | null {
  const head = headOf(raw);
  if (!head) return null;
  const { o, ...h } = head;
  const rows = rowsOf(o, (r) => {
    const avgMs = nullableNum(r.avgMs);
    const p95Ms = nullableNum(r.p95Ms);
    if (typeof r.command !== 'string' || !isCount(r.count) || !isCount(r.errors)) return null;
    if (avgMs === undefined || p95Ms === undefined) return null;
    const errorRatio = isNum(r.errorRatio) ? r.errorRatio : r.count > 0 ? r.errors / r.count : 0;
    return { command: r.command, count: r.count, errors: r.errors, errorRatio, avgMs, p95Ms };
  });
  return rows ? { ...h, rows } : null;
}

export function parseOverall(raw: unknown): OverallAnswer | null {
  const head = headOf(raw);
  if (!head) return null;
  const { o, ...h } = head;
  const errorRatio = nullableNum(o.errorRatio);
  const avgMs = nullableNum(o.avgMs);
  const p95Ms = nullableNum(o.p95Ms);
  if (!isCount(o.commands) || !isCount(o.errors)) return null;
  if (errorRatio === undefined || avgMs === undefined || p95Ms === undefined) return null;
  return { ...h, commands: o.commands, errors: o.errors, errorRatio, avgMs, p95Ms };
}

export function parseShare(raw: unknown): ShareAnswer | null {
  const head = headOf(raw);
  if (!head) return null;
  const { o, ...h } = head;
  const share = nullableNum(o.share);
  if (!isCount(o.interactions) || !isCount(o.withinDeadline) || share === undefined) return null;
  const deadlineMs = isNum(o.deadlineMs) && o.deadlineMs > 0 ? o.deadlineMs : RESPONSE_DEADLINE_MS;
  return { ...h, interactions: o.interactions, withinDeadline: o.withinDeadline, share, deadlineMs };
}

// ------------------------------------------------------------------ days

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Every UTC day of the window [from, to) (epoch ms), oldest first, with the server's count or 0:
 * the server leaves days without interactions out, the chart needs a continuous axis. Rows outside
 * the window are left out; at most 92 days (the newest ones).
 */
export function fillDays(rows: readonly DayVolume[], from: number, to: number): DayVolume[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return [];
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.day, (counts.get(r.day) ?? 0) + r.interactions);
  const last = Date.parse(dayOf(to - 1));
  const first = Math.max(Date.parse(dayOf(from)), last - (MAX_FILLED_DAYS - 1) * DAY_MS);
  const out: DayVolume[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const day = dayOf(t);
    out.push({ day, interactions: counts.get(day) ?? 0 });
  }
  return out;
}

/** A day (`YYYY-MM-DD`) as the chart's x: seconds since the epoch at its UTC midnight. */
export function daySeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** No command, no interaction in the whole window. */
export function isEmpty(g: GuildAnalytics): boolean {
  return (
    g.commands.length === 0 &&
    g.overall.commands === 0 &&
    g.share.interactions === 0 &&
    g.volume.every((d) => d.interactions === 0)
  );
}

// ------------------------------------------------------------------ requests

/**
 * - `auth`: 401, the token prompt is already showing;
 * - `forbidden`: 403, analytics is only served with a dashboard token;
 * - `bad-request`: 400, the server's reason;
 * - `off`: 404, analytics is not enabled (the bot restarted without it);
 * - `unavailable`: 503, 504, any other failure or a network error: retry;
 * - `unreadable`: an answer that is not what the route sends.
 */
export type FailureKind = 'auth' | 'forbidden' | 'bad-request' | 'off' | 'unavailable' | 'unreadable';

export interface Failure {
  kind: FailureKind;
  /** HTTP status, null for a network error. */
  status: number | null;
  /** What the page says. */
  message: string;
  /** The server's reason or the error, when it adds something. */
  detail: string | null;
  retry: boolean;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** A GET with the dashboard token (the transport's). */
export type Get = (path: string) => Promise<Response>;

export const UNAVAILABLE = 'The analytics store is unavailable; retry.';
const NEEDS_TOKEN =
  'Per-guild analytics is only served with a dashboard token: set ARGUS_DASHBOARD_AUTH_TOKEN on the bot.';

/** Most severe first: the one a page with several failed requests shows. */
const SEVERITY: readonly FailureKind[] = [
  'auth',
  'forbidden',
  'off',
  'bad-request',
  'unavailable',
  'unreadable',
];

function failure(kind: FailureKind, status: number | null, message: string, detail: string | null): Failure {
  return {
    kind,
    status,
    message,
    detail,
    retry: kind === 'unavailable' || kind === 'unreadable' || kind === 'off',
  };
}

/** The `error` code and `reason` of an error body, when it has them. */
async function errorBody(res: Response): Promise<{ code: string | null; reason: string | null }> {
  try {
    const body: unknown = await res.json();
    if (isRecord(body)) {
      const code = typeof body.error === 'string' ? body.error : null;
      const reason =
        typeof body.reason === 'string' && body.reason.trim() !== ''
          ? body.reason.trim().slice(0, 300)
          : null;
      return { code, reason };
    }
  } catch {
    // No JSON body: the status says enough.
  }
  return { code: null, reason: null };
}

/**
 * The server runs a few analytics queries at once (4 by default) and answers 503 `busy` past that
 * (with `Retry-After: 1`): such a request is sent once more after this long.
 */
export const BUSY_RETRY_MS = 1000;

/** One request, its answer parsed or its failure classified. Never rejects. */
export async function request<T>(
  get: Get,
  path: string,
  parse: (raw: unknown) => T | null,
  retryBusy = true,
): Promise<Result<T>> {
  let res: Response;
  try {
    res = await get(path);
  } catch (e) {
    return {
      ok: false,
      failure: failure('unavailable', null, UNAVAILABLE, `network error: ${errorText(e)}`),
    };
  }
  if (res.status >= 200 && res.status < 300) {
    let value: T | null = null;
    try {
      value = parse(await res.json());
    } catch {
      value = null;
    }
    return value === null
      ? {
          ok: false,
          failure: failure('unreadable', res.status, 'The analytics answer was unreadable; retry.', path),
        }
      : { ok: true, value };
  }
  const { code, reason } = await errorBody(res);
  const status = res.status;
  if (status === 503 && code === 'busy' && retryBusy) {
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    return request(get, path, parse, false);
  }
  const fail = (kind: FailureKind, message: string, detail: string | null) => ({
    ok: false as const,
    failure: failure(kind, status, message, detail),
  });
  if (status === 401) return fail('auth', 'The dashboard token was refused.', null);
  if (status === 403) return fail('forbidden', reason ?? NEEDS_TOKEN, null);
  if (status === 400) return fail('bad-request', reason ?? 'The bot refused the request.', null);
  if (status === 404) return fail('off', 'Analytics is not enabled on this bot (any more).', reason);
  return fail('unavailable', UNAVAILABLE, reason ?? `HTTP ${status}`);
}

/** The most severe failure of several results, or null when all succeeded. */
export function worstFailure(results: readonly Result<unknown>[]): Failure | null {
  let worst: Failure | null = null;
  for (const r of results) {
    if (r.ok) continue;
    if (worst === null || SEVERITY.indexOf(r.failure.kind) < SEVERITY.indexOf(worst.kind)) worst = r.failure;
  }
  return worst;
}

const query = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export function loadTopGuilds(get: Get, days: number): Promise<Result<TopGuilds>> {
  return request(
    get,
    `/api/analytics/top-guilds?${query({ days, limit: TOP_GUILDS_LIMIT })}`,
    parseTopGuilds,
  );
}

export function searchGuilds(get: Get, q: string): Promise<Result<GuildMatch[]>> {
  const text = q.trim().slice(0, MAX_QUERY_LENGTH);
  return request(get, `/api/analytics/guilds?${query({ q: text, limit: SEARCH_LIMIT })}`, parseGuildMatches);
}

/** The four per-guild answers, fetched in parallel, as one. */
export async function loadGuild(get: Get, guildId: string, days: number): Promise<Result<GuildAnalytics>> {
  const q = query({ guild_id: guildId, days });
  const [volume, stats, overall, share] = await Promise.all([
    request(get, `/api/analytics/interaction-volume?${q}`, parseVolume),
    request(get, `/api/analytics/command-stats?${q}`, parseCommandStats),
    request(get, `/api/analytics/avg-duration?${q}`, parseOverall),
    request(get, `/api/analytics/response-share?${q}`, parseShare),
  ]);
  if (!volume.ok || !stats.ok || !overall.ok || !share.ok)
    return { ok: false, failure: worstFailure([volume, stats, overall, share])! };
  const heads = [volume.value, stats.value, overall.value, share.value];
  if (heads.some((h) => h.guildId !== guildId))
    return {
      ok: false,
      failure: failure('unreadable', 200, 'The analytics answer was for another guild; retry.', null),
    };
  const { from, to } = volume.value;
  return {
    ok: true,
    value: {
      guildId,
      name: heads.find((h) => h.name !== null)?.name ?? null,
      from,
      to,
      days,
      volume: fillDays(volume.value.rows, from, to),
      commands: [...stats.value.rows].sort((a, b) => b.count - a.count || a.command.localeCompare(b.command)),
      overall: overall.value,
      share: share.value,
    },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
