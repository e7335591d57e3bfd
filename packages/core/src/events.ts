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
