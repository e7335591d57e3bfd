// Reads PromQL with Prometheus' own grammar (the one its web UI uses), so the checks see what
// Prometheus sees: a syntax error, or every metric a query selects.

import { parser } from '@prometheus-io/lezer-promql';

export interface ParsedQuery {
  metrics: string[];
  /** Text around each syntax error; empty when the query parses. */
  errors: string[];
}

export function parsePromQL(query: string): ParsedQuery {
  const tree = parser.parse(query);
  const metrics = new Set<string>();
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(query.slice(Math.max(0, node.from - 20), node.to + 20) || query);
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) metrics.add(query.slice(name.from, name.to));
      }
    },
  });
  return { metrics: [...metrics], errors };
}
