// The messages a child sends its manager, over the manager's own IPC channel.

import type { ArgusEvent } from '@argus/core';

/** Marks an Argus report among the other messages a manager's children send. */
export const REPORT_TAG = 'argus:report';

/** What a child sends on every interval: small fixed fields plus its Prometheus text. */
export interface ChildReport {
  readonly tag: typeof REPORT_TAG;
  /** The child's `cluster` label (its shard or cluster id unless the bot named one). */
  readonly cluster: string;
  /** The namespace of the child's bot metrics, so the manager finds them for the fleet summary. */
  readonly namespace: string;
  /** Whether the child's client is ready. */
  readonly ready: boolean;
  readonly pid: number;
  /** Resident memory of the child's process, in bytes (in worker mode, the whole process'). */
  readonly rss: number;
  /** When the child rendered the report, in milliseconds since the epoch. */
  readonly time: number;
  /** The child's registry in the Prometheus text format. */
  readonly text: string;
}

/** A message is an Argus report when it has the tag and well-typed fields; anything else is not ours. */
export function asReport(message: unknown): ChildReport | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  // discord-hybrid-sharding wraps what a cluster sends in an IPCMessage whose `raw` is the object sent.
  const raw = (message as { raw?: unknown }).raw;
  const m = (raw !== null && typeof raw === 'object' ? raw : message) as Record<string, unknown>;
  if (m.tag !== REPORT_TAG) return undefined;
  if (
    typeof m.cluster !== 'string' ||
    m.cluster === '' ||
    m.cluster.length > 128 ||
    typeof m.namespace !== 'string' ||
    typeof m.ready !== 'boolean' ||
    typeof m.pid !== 'number' ||
    typeof m.rss !== 'number' ||
    typeof m.time !== 'number' ||
    typeof m.text !== 'string'
  ) {
    return undefined;
  }
  return m as unknown as ChildReport;
}

/** Marks a batch of per-guild events forwarded to the manager's analytics store. */
export const EVENTS_TAG = 'argus:events';

/** Per-guild events a child forwards when the analytics store lives in the manager. */
export interface ChildEvents {
  readonly tag: typeof EVENTS_TAG;
  readonly cluster: string;
  readonly events: ArgusEvent[];
}

/** The largest batch the manager takes in one message. */
export const MAX_FORWARDED_BATCH = 100_000;

const EVENT_KINDS = new Set(['interaction', 'command']);
const STATUSES = new Set(['answered', 'unanswered', 'success', 'error']);
const nullableNumber = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

/** One forwarded event, checked field by field: the manager writes only well-formed rows. */
function isEvent(e: unknown): e is ArgusEvent {
  if (e === null || typeof e !== 'object') return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.time === 'number' &&
    Number.isFinite(r.time) &&
    typeof r.cluster === 'string' &&
    typeof r.shard === 'number' &&
    Number.isInteger(r.shard) &&
    (r.guildId === null || (typeof r.guildId === 'string' && /^\d{1,20}$/.test(r.guildId))) &&
    EVENT_KINDS.has(r.event as string) &&
    typeof r.type === 'string' &&
    typeof r.command === 'string' &&
    STATUSES.has(r.status as string) &&
    typeof r.errorType === 'string' &&
    nullableNumber(r.durationMs) &&
    nullableNumber(r.responseMs)
  );
}

/** A forwarded batch: its well-formed events and how many were not. Undefined when it is not one. */
export function asEvents(message: unknown): { events: ArgusEvent[]; malformed: number } | undefined {
  const m = unwrap(message);
  if (m?.tag !== EVENTS_TAG) return undefined;
  if (!Array.isArray(m.events) || m.events.length > MAX_FORWARDED_BATCH) return { events: [], malformed: 1 };
  const events = m.events.filter(isEvent);
  return { events, malformed: m.events.length - events.length };
}

function unwrap(message: unknown): Record<string, unknown> | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const raw = (message as { raw?: unknown }).raw;
  return (raw !== null && typeof raw === 'object' ? raw : message) as Record<string, unknown>;
}

/** Whether a message carries the Argus tag at all (a tagged message that fails `asReport` is counted). */
export function isTagged(message: unknown): boolean {
  if (message === null || typeof message !== 'object') return false;
  const raw = (message as { raw?: unknown }).raw;
  const m = (raw !== null && typeof raw === 'object' ? raw : message) as Record<string, unknown>;
  return m.tag === REPORT_TAG;
}
