// Static checks on every board: the ids the dashboard links to, a title, a data source and a unit
// on every panel, $cluster and $namespace honoured, and every metric a query reads existing in
// Argus' catalogue (under the default and a custom namespace) or among the recording rules.
import { argusRules, EXTERNAL_METRICS, prometheusRuleFile } from '@argus/alerts';
import { metricNames } from '@argus/core/names';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePromQL } from '../promql-names';
import { grafanaVar } from './grafana';
import { BOARDS } from './index';
import { substituteVariables as substitute } from './variables';

function knownMetrics(namespace: string): Set<string> {
  // prom-client's own default metrics, read from prom-client rather than listed by hand.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const base = [
    ...Object.values(metricNames(namespace)),
    ...registry.getMetricsAsArray().map((m) => m.name),
    ...Object.keys(EXTERNAL_METRICS),
  ];
  const records = argusRules({ namespace }).recording.flatMap((g) => g.rules.map((r) => r.record));
  return new Set([...base.flatMap((m) => [m, `${m}_bucket`, `${m}_sum`, `${m}_count`]), ...records]);
}

const panels = BOARDS.flatMap((board) => board.panels.map((panel) => ({ board, panel })));
const prometheusPanels = panels.filter(({ panel }) => panel.datasource.type === 'prometheus');

describe('Grafana boards', () => {
  it('have the uids the dashboard links to, one per board', () => {
    expect(BOARDS.map((b) => b.uid)).toEqual([
      'argus-overview',
      'argus-interactions',
      'argus-gateway',
      'argus-rest',
      'argus-health',
      'argus-analytics',
    ]);
  });

  it('give every panel a title, a data source variable, a unit and at least one query', () => {
    for (const { board, panel } of panels) {
      const where = `${board.uid} / ${panel.title}`;
      expect(panel.title.length, where).toBeGreaterThan(2);
      expect(panel.datasource.uid, where).toBe(grafanaVar('datasource'));
      expect(panel.fieldConfig.defaults.unit, where).toMatch(/^\w+$/);
      expect(panel.targets.length, where).toBeGreaterThan(0);
      for (const t of panel.targets) expect(t.datasource, where).toEqual(panel.datasource);
    }
    // Each board offers the variables its panels use.
    for (const board of BOARDS) {
      const names = board.templating.list.map((v) => v.name);
      expect(names, board.uid).toContain('datasource');
      expect(names, board.uid).toContain('cluster');
      if (board.uid !== 'argus-analytics') expect(names, board.uid).toContain('namespace');
    }
  });

  it('filter every query by $cluster and name namespaced metrics through $namespace', () => {
    for (const { board, panel } of panels) {
      for (const t of panel.targets) {
        const query = t.expr ?? t.rawSql ?? '';
        expect(query, `${board.uid} / ${panel.title}`).toMatch(/\$cluster|\$\{cluster:/);
        expect(query, `${board.uid} / ${panel.title}`).not.toMatch(/\bdiscord_/);
      }
    }
  });

  it.each(['discord', 'mybot'])('read only metrics that exist, under namespace %s', (namespace) => {
    const known = knownMetrics(namespace);
    const unknown: string[] = [];
    for (const { board, panel } of prometheusPanels) {
      for (const t of panel.targets) {
        const { metrics, errors } = parsePromQL(substitute(t.expr ?? '', { namespace }));
        expect(errors, `${board.uid} / ${panel.title}: ${t.expr}`).toEqual([]);
        expect(metrics.length).toBeGreaterThan(0);
        for (const m of metrics) if (!known.has(m)) unknown.push(`${board.uid} / ${panel.title}: ${m}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it.each(['discord', 'mybot'])('rules read only metrics that exist, under namespace %s', (namespace) => {
    const known = knownMetrics(namespace);
    const rules = argusRules({ namespace });
    for (const rule of prometheusRuleFile(rules).groups.flatMap((g) => g.rules)) {
      const { metrics, errors } = parsePromQL(rule.expr);
      expect(errors, rule.expr).toEqual([]);
      for (const m of metrics)
        expect(known.has(m), `${'alert' in rule ? rule.alert : rule.record}: ${m}`).toBe(true);
    }
  });
});
