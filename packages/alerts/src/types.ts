/** A Prometheus duration as rules write it: `30s`, `5m`, `1h`, `3d`. */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd'}`;

export type Severity = 'critical' | 'warning' | 'info';

/** One metric, optionally narrowed by label equality (`{status="error"}`). */
export interface Selector {
  metric: string;
  match?: Readonly<Record<string, string>>;
}

/**
 * The expressions the rules are made of, kept as data so that something other than Prometheus
 * (the in-bot evaluator) can compute the same values without parsing PromQL.
 */
export type Expr =
  /** A gauge as it is: `m{match}`. */
  | ({ kind: 'series' } & Selector)
  /** A recording rule's output by its name. */
  | { kind: 'recorded'; record: string }
  /** `sum by (by) (rate(m{match}[window]))`. */
  | ({ kind: 'sum-rate'; window: Duration; by: readonly string[] } & Selector)
  /** `sum by (by) (increase(m{match}[window]))`. */
  | ({ kind: 'sum-increase'; window: Duration; by: readonly string[] } & Selector)
  /** `numerator / denominator`; no traffic means no sample, so a quiet bot never alerts. */
  | { kind: 'ratio'; numerator: Expr; denominator: Expr }
  /** `histogram_quantile(q, sum by (by, le) (rate(m_bucket[window])))`; `metric` is the histogram's base name. */
  | { kind: 'quantile'; q: number; metric: string; window: Duration; by: readonly string[] }
  /** `avg_over_time(m{match}[window])`. */
  | ({ kind: 'avg-over-time'; window: Duration } & Selector)
  /** Relative growth over the window: `delta(m[window]) / m`. */
  | ({ kind: 'growth'; window: Duration } & Selector)
  /** Seconds since a timestamp gauge: `time() - m{match}`. */
  | ({ kind: 'age' } & Selector)
  /**
   * `expr * on (job, instance) group_left (cluster) argus_up`: gives series without a `cluster`
   * label (prom-client's process metrics) the cluster of the Argus instance they come from.
   */
  | { kind: 'with-cluster'; expr: Expr; up: string }
  /** `expr and on (on) guard`: keeps only the series of `expr` that `guard` also has. */
  | { kind: 'only-if'; expr: Expr; guard: Expr; on: readonly string[] };

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';

export type Condition =
  /** `expr op threshold`. */
  | { kind: 'threshold'; expr: Expr; op: Comparison; threshold: number }
  /** `left op right`, matched on identical labels. */
  | { kind: 'compare'; left: Expr; op: Comparison; right: Expr }
  /** Every condition holds (PromQL `and`). */
  | { kind: 'all'; of: readonly Condition[] }
  /** Any condition holds (PromQL `or`). */
  | { kind: 'any'; of: readonly Condition[] }
  /** The selector has no series at all: `absent(m{match})`. */
  | ({ kind: 'absent' } & Selector);

export interface RecordingRule {
  record: string;
  expr: Expr;
  /** What the series means, for readers of the generated files. */
  help: string;
}

export interface AlertRule {
  alert: string;
  condition: Condition;
  /** How long the condition must hold before the alert fires. */
  for: Duration;
  severity: Severity;
  /** One line; may use `{{ $labels.name }}` and `{{ $value }}` (Prometheus templates). */
  summary: string;
  description: string;
  /** What to check and do when it fires, as plain text. */
  runbook: string;
}

export interface RuleGroup<R> {
  name: string;
  rules: readonly R[];
}

/** Every rule Argus ships, for one set of options. */
export interface ArgusRules {
  recording: readonly RuleGroup<RecordingRule>[];
  alerting: readonly RuleGroup<AlertRule>[];
}
