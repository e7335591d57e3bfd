// Prometheus naming rules and the labels that must never exist (invariant 2). Public: adapters
// check the labels they are given against the same rules.

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Identifiers with unbounded cardinality: never a label, in any definition or exposition. */
export const FORBIDDEN_LABELS: readonly string[] = Object.freeze([
  'guild_id',
  'user_id',
  'channel_id',
  'message_id',
  'interaction_id',
  'custom_id',
]);

const forbidden = new Set(FORBIDDEN_LABELS);

export function isForbiddenLabel(name: string): boolean {
  return forbidden.has(name.toLowerCase());
}

export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}
