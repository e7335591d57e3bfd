// The one message a child sends its manager, over the manager's own IPC channel.

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

/** Whether a message carries the Argus tag at all (a tagged message that fails `asReport` is counted). */
export function isTagged(message: unknown): boolean {
  if (message === null || typeof message !== 'object') return false;
  const raw = (message as { raw?: unknown }).raw;
  const m = (raw !== null && typeof raw === 'object' ? raw : message) as Record<string, unknown>;
  return m.tag === REPORT_TAG;
}
