import { childrenOf } from './internal/expr-children';
import type { Condition, Expr, Selector } from './types';

function selector({ metric, match }: Selector): string {
  const pairs = Object.entries(match ?? {});
  if (pairs.length === 0) return metric;
  return `${metric}{${pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

function by(labels: readonly string[]): string {
  return labels.length === 0 ? 'sum' : `sum by (${labels.join(', ')})`;
}

/** A number as PromQL reads it, without float noise (14.4 × 0.01 is 0.144, not 0.14400000000000002). */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The PromQL text of an expression. */
export function exprToPromQL(expr: Expr): string {
  switch (expr.kind) {
    case 'series':
      return selector(expr);
    case 'recorded':
      return expr.record;
    case 'sum-rate':
      return `${by(expr.by)} (rate(${selector(expr)}[${expr.window}]))`;
    case 'sum-increase':
      return `${by(expr.by)} (increase(${selector(expr)}[${expr.window}]))`;
    case 'ratio':
      return `${exprToPromQL(expr.numerator)}\n/\n${exprToPromQL(expr.denominator)}`;
    case 'quantile':
      return `histogram_quantile(${formatNumber(expr.q)}, ${by([...expr.by, 'le'])} (rate(${expr.metric}_bucket[${expr.window}])))`;
    case 'avg-over-time':
      return `avg_over_time(${selector(expr)}[${expr.window}])`;
    case 'growth':
      return `delta(${selector(expr)}[${expr.window}]) / ${selector(expr)}`;
    case 'age':
      return `time() - ${selector(expr)}`;
    case 'with-cluster':
      return `(${exprToPromQL(expr.expr)}) * on (job, instance) group_left (cluster) ${expr.up}`;
    case 'only-if':
      return `(${exprToPromQL(expr.expr)}) and on (${expr.on.join(', ')}) ${exprToPromQL(expr.guard)}`;
  }
}

function operand(expr: Expr): string {
  const text = exprToPromQL(expr);
  return expr.kind === 'series' || expr.kind === 'recorded' ? text : `(${text})`;
}

/** The PromQL text of an alert condition. */
export function conditionToPromQL(condition: Condition): string {
  switch (condition.kind) {
    case 'threshold':
      return `${operand(condition.expr)} ${condition.op} ${formatNumber(condition.threshold)}`;
    case 'compare':
      return `${operand(condition.left)} ${condition.op} ${operand(condition.right)}`;
    // Comparisons bind tighter than `and`, which binds tighter than `or`: parentheses only
    // where they group, and around an `and` inside an `or` for the reader.
    case 'all':
      return condition.of
        .map((c) => (c.kind === 'any' ? `(${conditionToPromQL(c)})` : conditionToPromQL(c)))
        .join('\nand\n');
    case 'any':
      return condition.of
        .map((c) => (c.kind === 'all' ? `(${conditionToPromQL(c)})` : conditionToPromQL(c)))
        .join('\nor\n');
    case 'absent':
      return `absent(${selector(condition)})`;
  }
}

/** Every metric name an expression or condition reads (recording rules by their record name). */
export function metricsRead(node: Expr | Condition): string[] {
  const out = new Set<string>();
  const walk = (n: Expr | Condition): void => {
    switch (n.kind) {
      case 'series':
      case 'sum-rate':
      case 'sum-increase':
      case 'avg-over-time':
      case 'growth':
      case 'age':
      case 'absent':
        out.add(n.metric);
        break;
      case 'quantile':
        out.add(`${n.metric}_bucket`);
        break;
      case 'recorded':
        out.add(n.record);
        break;
      case 'with-cluster':
        out.add(n.up);
        break;
    }
    for (const child of childrenOf(n)) walk(child);
  };
  walk(node);
  return [...out];
}
