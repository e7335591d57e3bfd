import type { MetricsSnapshot } from '@argus/core';
import { renderTemplate } from './internal/alert-template';
import { childrenOf } from './internal/expr-children';
import { SampleStore } from './internal/sample-store';
import { durationSeconds, VectorEvaluator } from './internal/vector-eval';
import { metricsRead } from './promql';
import { argusRules } from './rules';
import type { AlertRule, ArgusRules, Duration, Expr, RecordingRule, Severity } from './types';

/** Metrics only Prometheus or the Pushgateway has: alerts reading them are left to Prometheus. */
export const NOT_VISIBLE_IN_PROCESS: ReadonlySet<string> = new Set(['up', 'push_time_seconds']);

/** Prometheus' default evaluation interval in deploy/'s prometheus.yml. */
export const DEFAULT_EVALUATION_INTERVAL_MS = 15_000;

export type AlertStatus = 'pending' | 'firing' | 'resolved';

export interface AlertState {
  alert: string;
  /** The series' labels plus `alertname` and `severity`, as Prometheus labels the alert. */
  labels: Readonly<Record<string, string>>;
  status: AlertStatus;
  severity: Severity;
  /** The condition's value at the latest evaluation it held (the "figure that triggered it"). */
  value: number;
  /** Milliseconds since the epoch. */
  activeAt: number;
  firedAt?: number;
  resolvedAt?: number;
  summary: string;
  description: string;
  runbook: string;
}

/** An alert that started firing or resolved at one evaluation. */
export interface AlertTransition {
  kind: 'firing' | 'resolved';
  alert: AlertState;
}

export interface AlertEvaluatorOptions {
  /** Where the values come from: the registry's snapshot (`argus.prometheus.snapshot()`). */
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  /** The rules to evaluate. Default: `argusRules({ namespace })`. */
  rules?: ArgusRules;
  /** The metric namespace, when `rules` is not given. Default `discord`. */
  namespace?: string;
  /** How often to sample and evaluate, in ms. Default 15 000, like Prometheus. */
  intervalMs?: number;
  /** How many resolved alerts `recent()` keeps. Default 50. */
  recentLimit?: number;
  /** Called with anything that fails; the evaluator itself never throws into the caller. */
  onError?: (where: string, error: unknown) => void;
}

export interface SkippedAlert {
  alert: string;
  reason: string;
}

/**
 * Argus' alert rules evaluated inside the bot, on a timer: the same definitions deploy/'s rule
 * files are generated from, over a bounded history of the registry's own values.
 */
export class AlertEvaluator {
  /** Alerts that read a metric only Prometheus has, and so are not evaluated here. */
  readonly skipped: readonly SkippedAlert[];
  readonly intervalMs: number;
  private readonly alerts: readonly AlertRule[];
  private readonly store: SampleStore;
  private readonly vectors: VectorEvaluator;
  private readonly states = new Map<string, Map<string, AlertState>>();
  private readonly resolved: AlertState[] = [];
  private readonly recentLimit: number;
  private readonly listeners = new Set<(transitions: readonly AlertTransition[]) => void>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;

  constructor(private readonly options: AlertEvaluatorOptions) {
    if (typeof options.snapshot !== 'function') {
      throw new TypeError(
        `@argus/alerts: AlertEvaluator needs a snapshot function, got ${typeof options.snapshot}`,
      );
    }
    const intervalMs = options.intervalMs ?? DEFAULT_EVALUATION_INTERVAL_MS;
    if (!Number.isInteger(intervalMs) || intervalMs < 1000) {
      throw new RangeError(
        `@argus/alerts: intervalMs must be a whole number of at least 1000, got ${String(intervalMs)}`,
      );
    }
    this.intervalMs = intervalMs;
    this.recentLimit = options.recentLimit ?? 50;
    const rules = options.rules ?? argusRules({ namespace: options.namespace ?? 'discord' });
    const recording = rules.recording.flatMap((g) => g.rules);
    const recordedBy = new Map(recording.map((r) => [r.record, r]));

    const read = (rule: AlertRule): Set<string> => {
      const out = new Set<string>();
      const visit = (name: string) => {
        const definition = recordedBy.get(name);
        if (definition) for (const inner of metricsRead(definition.expr)) visit(inner);
        else out.add(name);
      };
      for (const name of metricsRead(rule.condition)) visit(name);
      return out;
    };

    const alerts: AlertRule[] = [];
    const skipped: SkippedAlert[] = [];
    const wanted = new Set<string>();
    let longest = 0;
    for (const rule of rules.alerting.flatMap((g) => g.rules)) {
      const metrics = read(rule);
      const hidden = [...metrics].filter((m) => NOT_VISIBLE_IN_PROCESS.has(m));
      if (hidden.length > 0) {
        skipped.push({ alert: rule.alert, reason: `reads ${hidden.join(', ')}, which only Prometheus has` });
        continue;
      }
      alerts.push(rule);
      for (const m of metrics) wanted.add(m);
      longest = Math.max(longest, longestWindow(rule.condition, recordedBy));
    }
    this.alerts = alerts;
    this.skipped = skipped;
    this.store = new SampleStore(wanted, Math.max(longest, 60), intervalMs / 1000);
    this.vectors = new VectorEvaluator(this.store, recording);
  }

  /** Samples and evaluates every `intervalMs` until `close()`; the timer never holds the process open. */
  start(): this {
    if (this.timer || this.closed) return this;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  /** Receives every evaluation's transitions; returns the unsubscribe. */
  subscribe(listener: (transitions: readonly AlertTransition[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One sample and evaluation now. Never rejects; a tick still running makes this a no-op. */
  async tick(): Promise<readonly AlertTransition[]> {
    if (this.running || this.closed) return [];
    this.running = true;
    try {
      const snapshot = await this.options.snapshot();
      if (this.closed) return [];
      this.store.ingest(snapshot);
      const transitions = this.evaluate(snapshot.time);
      if (transitions.length > 0) {
        for (const listener of this.listeners) {
          try {
            listener(transitions);
          } catch (error) {
            this.options.onError?.('alerts:listener', error);
          }
        }
      }
      return transitions;
    } catch (error) {
      this.options.onError?.('alerts:evaluate', error);
      return [];
    } finally {
      this.running = false;
    }
  }

  /** Pending and firing alerts, most severe first. */
  active(): AlertState[] {
    const rank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
    return [...this.states.values()]
      .flatMap((m) => [...m.values()])
      .sort((a, b) => rank[a.severity] - rank[b.severity] || a.activeAt - b.activeAt);
  }

  /** Resolved alerts, newest first, at most `recentLimit`. */
  recent(): AlertState[] {
    return [...this.resolved].reverse();
  }

  /** How many series the history holds (bounded by the rules' metrics and their longest window). */
  get seriesHeld(): number {
    return this.store.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private evaluate(nowMs: number): AlertTransition[] {
    const transitions: AlertTransition[] = [];
    for (const rule of this.alerts) {
      let result: ReturnType<VectorEvaluator['condition']>;
      try {
        result = this.vectors.condition(rule.condition);
      } catch (error) {
        this.options.onError?.(`alerts:${rule.alert}`, error);
        continue;
      }
      let states = this.states.get(rule.alert);
      if (!states) {
        states = new Map();
        this.states.set(rule.alert, states);
      }
      const hold = durationSeconds(rule.for) * 1000;
      for (const [key, { labels, value }] of result) {
        let state = states.get(key);
        if (!state) {
          const all = { ...labels, alertname: rule.alert, severity: rule.severity };
          state = {
            alert: rule.alert,
            labels: all,
            status: 'pending',
            severity: rule.severity,
            value,
            activeAt: nowMs,
            summary: '',
            description: '',
            runbook: rule.runbook,
          };
          states.set(key, state);
        }
        state.value = value;
        state.summary = renderTemplate(rule.summary, labels, value);
        state.description = renderTemplate(rule.description, labels, value);
        if (state.status === 'pending' && nowMs - state.activeAt >= hold) {
          state.status = 'firing';
          state.firedAt = nowMs;
          transitions.push({ kind: 'firing', alert: { ...state } });
        }
      }
      for (const [key, state] of states) {
        if (result.has(key)) continue;
        states.delete(key);
        if (state.status !== 'firing') continue;
        const done: AlertState = { ...state, status: 'resolved', resolvedAt: nowMs };
        this.resolved.push(done);
        if (this.resolved.length > this.recentLimit) this.resolved.shift();
        transitions.push({ kind: 'resolved', alert: done });
      }
    }
    return transitions;
  }
}

function longestWindow(
  node: AlertRule['condition'] | Expr,
  recordedBy: ReadonlyMap<string, RecordingRule>,
): number {
  let longest = 0;
  const windowOf = (w: Duration) => {
    longest = Math.max(longest, durationSeconds(w));
  };
  const walk = (n: AlertRule['condition'] | Expr): void => {
    if ('window' in n) windowOf(n.window);
    if (n.kind === 'recorded') {
      const definition = recordedBy.get(n.record);
      if (definition) walk(definition.expr);
    }
    for (const child of childrenOf(n)) walk(child);
  };
  walk(node);
  return longest;
}
