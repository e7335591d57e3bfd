import type { Condition, Expr } from '../types';

/** The expressions and conditions a node is built from: what every walk over a rule descends into. */
export function childrenOf(node: Expr | Condition): readonly (Expr | Condition)[] {
  switch (node.kind) {
    case 'ratio':
      return [node.numerator, node.denominator];
    case 'with-cluster':
    case 'threshold':
      return [node.expr];
    case 'only-if':
      return [node.expr, node.guard];
    case 'compare':
      return [node.left, node.right];
    case 'all':
    case 'any':
      return node.of;
    default:
      return [];
  }
}
