// An interaction worth opening in a trace UI, as the dashboard lists it: what happened and the
// trace id, never a guild, channel or user id. Browser-safe (re-exported by `@argus/core/wire`).

export type NotableOutcome = 'error' | 'late' | 'unanswered';

export interface NotableTrace {
  /** The W3C trace id (32 hex digits). */
  traceId: string;
  /** Milliseconds since the epoch, at receipt. */
  time: number;
  /** The command label ("config set"), or the interaction type when it has none. */
  command: string;
  /** The interaction type (`application_command`, `component`…). */
  type: string;
  /** `error`: the handler threw; `late`: answered after the 3 s deadline; `unanswered`: never. */
  outcome: NotableOutcome;
  /** Receipt to the end of the trace's root span, in ms. */
  durationMs: number;
}

/** How many notable traces the dashboard keeps (the newest). */
export const NOTABLE_TRACES_KEPT = 50;
