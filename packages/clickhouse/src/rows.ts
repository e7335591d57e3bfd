import { type ArgusEvent, findEventProblem } from '@argus/core';
import { ROWS_PER_SLICE, yieldToLoop } from './json-each-row';

/** One row of the events table, as sent in JSONEachRow. */
export interface EventRow {
  time: string;
  cluster: string;
  shard: number;
  guild_id: string;
  event: string;
  type: string;
  command: string;
  status: string;
  error_type: string;
  duration_ms: number | null;
  response_ms: number | null;
}

/** Thrown by {@link toRow} for an event the events table cannot store as it is. */
export class InvalidEventError extends TypeError {
  override readonly name = 'InvalidEventError';
}

// Events come in bursts within the same second: format the second once and add the milliseconds.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** `2026-01-02 03:04:05.678` in UTC: the DateTime64(3) text form every ClickHouse parses by default. */
export function formatTime(ms: number): string {
  // A broken clock value must not fail (and so stall) the whole batch it is in.
  const whole = Number.isFinite(ms) ? Math.floor(ms) : Date.now();
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString();
    if (iso.length !== 24) return new Date(whole).toISOString().slice(0, 23).replace('T', ' ');
    cachedSecond = second;
    cachedPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  }
  const millis = whole - second * 1000;
  return cachedPrefix + (millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`);
}

/**
 * Encodes one event as a row, after checking every field against core's rules
 * (`findEventProblem`, the rules `normalizeEvent` enforces when events are built). An event the
 * table cannot store as it is (a negative shard, a lone UTF-16 surrogate, an unknown status...)
 * throws {@link InvalidEventError}: it is set aside and counted, never rewritten here.
 */
export function toRow(event: ArgusEvent): EventRow {
  if (event === null || typeof event !== 'object')
    throw new InvalidEventError('an Argus event must be an object');
  // A duration that is not a finite number (NaN from a broken clock, undefined) is stored as NULL,
  // as it always was; a negative one is a bug and makes the event invalid.
  const durationMs = finiteOrNull(event.durationMs);
  const responseMs = finiteOrNull(event.responseMs);
  const checked =
    durationMs === event.durationMs && responseMs === event.responseMs
      ? event
      : { ...event, durationMs, responseMs };
  const problem = findEventProblem(checked);
  if (problem !== undefined) throw new InvalidEventError(`unstorable Argus event: ${problem}`);
  return {
    time: formatTime(event.time),
    cluster: event.cluster,
    shard: event.shard,
    guild_id: event.guildId ?? '',
    event: event.event,
    type: event.type,
    command: event.command,
    status: event.status,
    error_type: event.errorType,
    duration_ms: durationMs,
    response_ms: responseMs,
  };
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** What {@link encodeRows} gives: the rows, and how many events it left out and why (the first). */
export interface EncodedRows {
  rows: EventRow[];
  invalid: number;
  reason?: InvalidEventError;
}

/** Rows for `batch`, in order, without the events {@link toRow} refuses (counted in `invalid`). */
export function encodeRows(batch: readonly ArgusEvent[]): EncodedRows {
  const rows: EventRow[] = [];
  let invalid = 0;
  let reason: InvalidEventError | undefined;
  for (const event of batch) {
    try {
      rows.push(toRow(event));
    } catch (error) {
      invalid++;
      reason ??= error as InvalidEventError;
    }
  }
  return reason ? { rows, invalid, reason } : { rows, invalid };
}

/** {@link encodeRows}, a slice at a time with a turn of the event loop between slices. */
export async function encodeRowsInSlices(batch: readonly ArgusEvent[]): Promise<EncodedRows> {
  if (batch.length <= ROWS_PER_SLICE) return encodeRows(batch);
  const rows: EventRow[] = [];
  let invalid = 0;
  let reason: InvalidEventError | undefined;
  for (let start = 0; start < batch.length; start += ROWS_PER_SLICE) {
    if (start > 0) await yieldToLoop();
    const slice = encodeRows(batch.slice(start, start + ROWS_PER_SLICE));
    for (const row of slice.rows) rows.push(row);
    invalid += slice.invalid;
    reason ??= slice.reason;
  }
  return reason ? { rows, invalid, reason } : { rows, invalid };
}
