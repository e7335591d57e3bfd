import { INTERACTION_TYPES } from './lifecycle';

/**
 * One row of the analytical path (invariant 7): per-guild detail that never becomes a metric
 * label. Produced only when `enablePerGuild` is on, and only to the event sink.
 */
export interface ArgusEvent {
  /** Milliseconds since the epoch. */
  time: number;
  cluster: string;
  shard: number;
  /** Null for interactions outside a guild (DMs). */
  guildId: string | null;
  event: 'interaction' | 'command';
  /** Interaction type (application_command, component...) or `prefix` for prefix commands. */
  type: string;
  command: string;
  /** answered / unanswered for interactions; success / error for commands. */
  status: 'answered' | 'unanswered' | 'success' | 'error';
  errorType: string;
  /** Handler duration, for commands. */
  durationMs: number | null;
  /** Receipt to initial response, for interactions answered at all. */
  responseMs: number | null;
}

/** Every value `ArgusEvent.type` may hold: the interaction types, and `prefix`. */
export const EVENT_TYPES: readonly string[] = Object.freeze([...INTERACTION_TYPES, 'prefix']);
/** Longest `command`, `errorType` and `cluster` kept, in UTF-16 code units; longer text is cut. */
export const MAX_EVENT_TEXT_LENGTH = 128;
/** Longest `guildId` kept (a snowflake has 17 to 20 digits). */
export const MAX_GUILD_ID_LENGTH = 32;
/** The largest shard id a row can hold (the column is a UInt16). */
export const MAX_SHARD = 65_535;
// 1970 to 2100: what every supported ClickHouse can store in its time column.
const MAX_TIME_MS = 4_102_444_800_000;

const EVENT_TYPE_SET = new Set(EVENT_TYPES);

type WellFormable = string & { isWellFormed(): boolean; toWellFormed(): string };

/** `value` as well-formed UTF-16 (lone surrogates become U+FFFD), at most `max` code units. */
function text(value: unknown, max: number, fallback: string): string {
  if (typeof value !== 'string') return fallback;
  let s = value;
  if (s.length > max) {
    s = s.slice(0, max);
    // Never leave half of a surrogate pair at the cut.
    const last = s.charCodeAt(max - 1);
    if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, max - 1);
  }
  return (s as WellFormable).isWellFormed() ? s : (s as WellFormable).toWellFormed();
}

function isStorableText(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length <= max && (value as WellFormable).isWellFormed();
}

function isStorableTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < MAX_TIME_MS;
}

function isStorableShard(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SHARD;
}

function isStorableMillis(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

/**
 * The first field of `event` that the events table cannot store as it is, described for a log
 * line; `undefined` when every field is storable. Looser than {@link normalizeEvent} where the
 * store is (a `type` outside {@link EVENT_TYPES}, a status that does not fit the event's kind are
 * storable), never stricter: a normalised event always passes.
 */
export function findEventProblem(event: ArgusEvent): string | undefined {
  if (event === null || typeof event !== 'object') return 'not an object';
  if (!isStorableTime(event.time)) return 'time is not a finite time from 1970 to 2100';
  if (!isStorableText(event.cluster, MAX_EVENT_TEXT_LENGTH)) return 'cluster is not storable text';
  if (!isStorableShard(event.shard)) return `shard is not an integer from 0 to ${MAX_SHARD}`;
  if (event.guildId !== null && (!isStorableText(event.guildId, MAX_GUILD_ID_LENGTH) || event.guildId === ''))
    return 'guildId is neither null nor storable text';
  if (event.event !== 'interaction' && event.event !== 'command')
    return 'event is not interaction or command';
  // An unknown type is odd but storable (normalizeEvent maps it to `unknown`).
  if (!isStorableText(event.type, MAX_EVENT_TEXT_LENGTH)) return 'type is not storable text';
  if (!isStorableText(event.command, MAX_EVENT_TEXT_LENGTH)) return 'command is not storable text';
  // Any known status is storable; normalizeEvent also makes it fit the event's kind.
  const status = event.status;
  if (status !== 'answered' && status !== 'unanswered' && status !== 'success' && status !== 'error')
    return 'status is not answered, unanswered, success or error';
  if (!isStorableText(event.errorType, MAX_EVENT_TEXT_LENGTH)) return 'errorType is not storable text';
  if (!isStorableMillis(event.durationMs))
    return 'durationMs is neither null nor a finite non-negative number';
  if (!isStorableMillis(event.responseMs))
    return 'responseMs is neither null nor a finite non-negative number';
  return undefined;
}

function millis(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Returns a copy of `event` in which every field is storable, so one malformed event can never
 * make the store refuse a batch. Never throws, whatever it is given. The rules:
 * - `time`: a finite number from 1970 to 2100, else the current time;
 * - `shard`: an integer from 0 to {@link MAX_SHARD}, else 0;
 * - `cluster`, `command`, `errorType`: strings made well-formed UTF-16 (lone surrogates replaced
 *   by U+FFFD) and cut to {@link MAX_EVENT_TEXT_LENGTH}; a non-string becomes `''` (`command`:
 *   `unknown`);
 * - `guildId`: a non-empty string, well-formed and cut to {@link MAX_GUILD_ID_LENGTH}, else null;
 * - `event`: `interaction` or `command`; anything else is read from `status` (success / error
 *   mean a command), else `interaction`;
 * - `status`: one of the values its event allows (answered / unanswered, success / error); else
 *   `answered` when there is a `responseMs`, `unanswered` otherwise, `error` when there is an
 *   `errorType`, `success` otherwise;
 * - `type`: one of {@link EVENT_TYPES}, else `unknown`;
 * - `durationMs`, `responseMs`: finite and non-negative, else null.
 */
export function normalizeEvent(event: ArgusEvent): ArgusEvent {
  const e: Partial<Record<keyof ArgusEvent, unknown>> =
    event !== null && typeof event === 'object' ? event : {};
  const time = isStorableTime(e.time) ? e.time : Date.now();
  const shard = isStorableShard(e.shard) ? e.shard : 0;
  const guildId =
    typeof e.guildId === 'string' && e.guildId !== '' ? text(e.guildId, MAX_GUILD_ID_LENGTH, '') : null;
  const errorType = text(e.errorType, MAX_EVENT_TEXT_LENGTH, '');
  const durationMs = millis(e.durationMs);
  const responseMs = millis(e.responseMs);
  const kind: ArgusEvent['event'] =
    e.event === 'interaction' || e.event === 'command'
      ? e.event
      : e.status === 'success' || e.status === 'error'
        ? 'command'
        : 'interaction';
  let status: ArgusEvent['status'];
  if (kind === 'interaction')
    status =
      e.status === 'answered' || e.status === 'unanswered'
        ? e.status
        : responseMs === null
          ? 'unanswered'
          : 'answered';
  else status = e.status === 'success' || e.status === 'error' ? e.status : errorType ? 'error' : 'success';
  return {
    time,
    cluster: text(e.cluster, MAX_EVENT_TEXT_LENGTH, ''),
    shard,
    guildId,
    event: kind,
    type: typeof e.type === 'string' && EVENT_TYPE_SET.has(e.type) ? e.type : 'unknown',
    command: text(e.command, MAX_EVENT_TEXT_LENGTH, 'unknown'),
    status,
    errorType,
    durationMs,
    responseMs,
  };
}
