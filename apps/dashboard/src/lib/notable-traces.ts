// `/api/traces`: the newest failed, late and unanswered interactions with their trace ids, read
// defensively (a malformed entry is left out), and the link that opens one in the trace UI.
import type { NotableOutcome, NotableTrace } from '@argus/core/wire';

const TRACE_ID = /^[0-9a-f]{32}$/;
const OUTCOMES: ReadonlySet<unknown> = new Set<NotableOutcome>(['error', 'late', 'unanswered']);

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The entries of a `/api/traces` body that are well formed, in the order given (newest first). */
export function parseNotableTraces(raw: unknown): NotableTrace[] {
  const list = isRecord(raw) && Array.isArray(raw.traces) ? raw.traces : [];
  const out: NotableTrace[] = [];
  for (const t of list) {
    if (!isRecord(t)) continue;
    if (typeof t.traceId !== 'string' || !TRACE_ID.test(t.traceId)) continue;
    if (!finite(t.time) || !finite(t.durationMs) || !OUTCOMES.has(t.outcome)) continue;
    if (typeof t.command !== 'string' || typeof t.type !== 'string') continue;
    out.push({
      traceId: t.traceId,
      time: t.time,
      command: t.command,
      type: t.type,
      outcome: t.outcome as NotableOutcome,
      durationMs: t.durationMs,
    });
  }
  return out;
}

/** The trace UI link for a trace id, from the `{traceId}` template; null without one. */
export function traceLink(template: string | null, traceId: string): string | null {
  if (template === null || !TRACE_ID.test(traceId)) return null;
  const href = template.replaceAll('{traceId}', traceId);
  return /^https?:\/\//i.test(href) ? href : null;
}

export const OUTCOME_LABELS: Readonly<Record<NotableOutcome, string>> = {
  error: 'handler threw',
  late: 'answered late',
  unanswered: 'never answered',
};
