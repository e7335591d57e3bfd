// Evaluates the rules' expression data (types.ts) over the sample store, with PromQL's
// semantics for instant vectors: a series with no value is absent, never zero.
import type { Comparison, Condition, Duration, Expr, RecordingRule } from '../types';
import { type Bucket, bucketQuantile, extrapolatedRate } from './prom-functions';
import { type Labels, labelKey, type SampleStore } from './sample-store';

export interface Element {
  labels: Labels;
  value: number;
}

/** An instant vector keyed by label set. */
export type Vector = Map<string, Element>;

export function durationSeconds(duration: Duration): number {
  const unit = duration.slice(-1);
  const amount = Number(duration.slice(0, -1));
  return amount * (unit === 's' ? 1 : unit === 'm' ? 60 : unit === 'h' ? 3600 : 86_400);
}

function vectorOf(elements: Iterable<Element>): Vector {
  const out: Vector = new Map();
  for (const e of elements) out.set(labelKey(e.labels), e);
  return out;
}

function pick(labels: Labels, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = labels[name];
    if (value) out[name] = value;
  }
  return out;
}

function sumBy(elements: Iterable<Element>, by: readonly string[]): Vector {
  const out: Vector = new Map();
  for (const { labels, value } of elements) {
    const grouped = pick(labels, by);
    const key = labelKey(grouped);
    const existing = out.get(key);
    if (existing) existing.value += value;
    else out.set(key, { labels: grouped, value });
  }
  return out;
}

function compare(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

export class VectorEvaluator {
  private readonly recorded: ReadonlyMap<string, Expr>;

  constructor(
    private readonly store: SampleStore,
    recording: readonly RecordingRule[],
  ) {
    this.recorded = new Map(recording.map((r) => [r.record, r.expr]));
  }

  private *rates(
    metric: string,
    match: Labels | undefined,
    window: Duration,
    isRate: boolean,
  ): Generator<Element> {
    const seconds = durationSeconds(window);
    const end = this.store.now;
    for (const { labels, samples } of this.store.range(metric, match, seconds)) {
      const value = extrapolatedRate(samples, end - seconds, end, true, isRate);
      if (value !== undefined) yield { labels, value };
    }
  }

  expr(expr: Expr): Vector {
    switch (expr.kind) {
      case 'series':
        return vectorOf(this.store.instant(expr.metric, expr.match));
      case 'recorded': {
        const definition = this.recorded.get(expr.record);
        // A recording rule's output is a new series: its metric name is dropped like any result.
        return definition ? this.expr(definition) : new Map();
      }
      case 'sum-rate':
        return sumBy(this.rates(expr.metric, expr.match, expr.window, true), expr.by);
      case 'sum-increase':
        return sumBy(this.rates(expr.metric, expr.match, expr.window, false), expr.by);
      case 'ratio': {
        const numerator = this.expr(expr.numerator);
        const denominator = this.expr(expr.denominator);
        const out: Vector = new Map();
        for (const [key, n] of numerator) {
          const d = denominator.get(key);
          if (d) out.set(key, { labels: n.labels, value: n.value / d.value });
        }
        return out;
      }
      case 'quantile': {
        const rates = sumBy(this.rates(`${expr.metric}_bucket`, undefined, expr.window, true), [
          ...expr.by,
          'le',
        ]);
        const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
        for (const { labels, value } of rates.values()) {
          const rest = pick(labels, expr.by);
          const key = labelKey(rest);
          let group = groups.get(key);
          if (!group) {
            group = { labels: rest, buckets: [] };
            groups.set(key, group);
          }
          group.buckets.push({ upper: Number(labels.le), count: value });
        }
        const out: Vector = new Map();
        for (const [key, { labels, buckets }] of groups) {
          out.set(key, { labels, value: bucketQuantile(expr.q, buckets) });
        }
        return out;
      }
      case 'avg-over-time': {
        const seconds = durationSeconds(expr.window);
        const out: Element[] = [];
        for (const { labels, samples } of this.store.range(expr.metric, expr.match, seconds)) {
          let sum = 0;
          for (const s of samples) sum += s.v;
          out.push({ labels, value: sum / samples.length });
        }
        return vectorOf(out);
      }
      case 'growth': {
        const seconds = durationSeconds(expr.window);
        const end = this.store.now;
        const current = vectorOf(this.store.instant(expr.metric, expr.match));
        const out: Vector = new Map();
        for (const { labels, samples } of this.store.range(expr.metric, expr.match, seconds)) {
          const key = labelKey(labels);
          const now = current.get(key);
          const delta = extrapolatedRate(samples, end - seconds, end, false, false);
          if (now && delta !== undefined) out.set(key, { labels, value: delta / now.value });
        }
        return out;
      }
      case 'age': {
        const out: Element[] = [];
        for (const { labels, value } of this.store.instant(expr.metric, expr.match)) {
          out.push({ labels, value: this.store.now - value });
        }
        return vectorOf(out);
      }
      case 'with-cluster': {
        // Inside one process every series comes from the same instance: the cluster of its own
        // `up` series is the one PromQL's group_left would copy.
        const inner = this.expr(expr.expr);
        const up = this.expr({ kind: 'series', metric: expr.up }).values().next().value;
        if (!up) return new Map();
        const cluster = up.labels.cluster;
        return vectorOf(
          [...inner.values()].map(({ labels, value }) => ({
            labels: cluster ? { ...labels, cluster } : labels,
            value: value * up.value,
          })),
        );
      }
      case 'only-if': {
        const guard = new Set(
          [...this.expr(expr.guard).values()].map((e) => labelKey(pick(e.labels, expr.on))),
        );
        const out: Vector = new Map();
        for (const [key, e] of this.expr(expr.expr))
          if (guard.has(labelKey(pick(e.labels, expr.on)))) out.set(key, e);
        return out;
      }
    }
  }

  condition(condition: Condition): Vector {
    switch (condition.kind) {
      case 'threshold': {
        const out: Vector = new Map();
        for (const [key, e] of this.expr(condition.expr)) {
          if (compare(e.value, condition.op, condition.threshold)) out.set(key, e);
        }
        return out;
      }
      case 'compare': {
        const right = this.expr(condition.right);
        const out: Vector = new Map();
        for (const [key, e] of this.expr(condition.left)) {
          const r = right.get(key);
          if (r && compare(e.value, condition.op, r.value)) out.set(key, e);
        }
        return out;
      }
      case 'all': {
        const [first, ...rest] = condition.of;
        if (!first) return new Map();
        const out = this.condition(first);
        for (const c of rest) {
          const other = this.condition(c);
          for (const key of out.keys()) if (!other.has(key)) out.delete(key);
        }
        return out;
      }
      case 'any': {
        const out: Vector = new Map();
        for (const c of condition.of)
          for (const [key, e] of this.condition(c)) if (!out.has(key)) out.set(key, e);
        return out;
      }
      case 'absent': {
        const present = this.store.instant(condition.metric, condition.match).next();
        return present.done ? vectorOf([{ labels: { ...(condition.match ?? {}) }, value: 1 }]) : new Map();
      }
    }
  }
}
