import { metricNames } from '@argus/core/names';
import { describe, expect, it } from 'vitest';
import { metricsRead } from './promql';
import { prometheusRuleFile, prometheusRuleResource } from './rule-file';
import { argusRules, EXTERNAL_METRICS } from './rules';

const everyRule = (namespace?: string) => {
  const rules = argusRules(namespace ? { namespace } : {});
  return {
    recording: rules.recording.flatMap((g) => g.rules),
    alerting: rules.alerting.flatMap((g) => g.rules),
  };
};

describe('argusRules', () => {
  it.each(['discord', 'mybot'])('reads only catalogue, external or recorded metrics (namespace %s)', (ns) => {
    const { recording, alerting } = everyRule(ns);
    const known = new Set<string>([
      ...Object.values(metricNames(ns)).flatMap((m) => [m, `${m}_bucket`]),
      ...Object.keys(EXTERNAL_METRICS),
      ...recording.map((r) => r.record),
    ]);
    const read = [...recording.map((r) => r.expr), ...alerting.map((a) => a.condition)].flatMap(metricsRead);
    expect(read.filter((m) => !known.has(m))).toEqual([]);
    // Namespaced names really follow the namespace.
    const namespaced = read.filter((m) => !m.startsWith('argus_') && !(m in EXTERNAL_METRICS));
    for (const m of namespaced) expect(m).toMatch(new RegExp(`(^|:)${ns}_`));
  });

  it('gives every alert a severity, a for, a summary, a description and a runbook, under a unique name', () => {
    const { alerting, recording } = everyRule();
    for (const a of alerting) {
      expect(a.summary.length, a.alert).toBeGreaterThan(10);
      expect(a.description.length, a.alert).toBeGreaterThan(20);
      expect(a.runbook.length, a.alert).toBeGreaterThan(40);
      expect(a.for, a.alert).toMatch(/^\d+[smhd]$/);
    }
    const names = [...alerting.map((a) => a.alert), ...recording.map((r) => r.record)];
    expect(new Set(names).size).toBe(names.length);
  });

  it('turns the objective into burn-rate thresholds', () => {
    const file = prometheusRuleFile(argusRules({ objective: 0.995 }));
    const fast = file.groups
      .flatMap((g) => g.rules)
      .find((r) => 'alert' in r && r.alert === 'DiscordInteractionSLOBurnFast');
    expect(fast && 'alert' in fast ? fast.expr : '').toMatchInlineSnapshot(`
      "(cluster:discord_interactions_unanswered:ratio_rate1h > 0.072
      and
      cluster:discord_interactions_unanswered:ratio_rate5m > 0.072)
      or
      (cluster:discord_interactions_unanswered:ratio_rate6h > 0.03
      and
      cluster:discord_interactions_unanswered:ratio_rate30m > 0.03)"
    `);
  });

  it('names the option and the bad value', () => {
    expect(() => argusRules({ namespace: 'my-bot' })).toThrow(/namespace .*"my-bot"/);
    expect(() => argusRules({ objective: 99 })).toThrow(/objective .*99/);
    expect(() => argusRules({ job: 'a"b' })).toThrow(/job .*a\\"b/);
    expect(() => argusRules({ pushStaleAfterSeconds: 0 })).toThrow(/pushStaleAfterSeconds .*0/);
  });

  it('wraps the same groups in a PrometheusRule', () => {
    const rules = argusRules();
    const resource = prometheusRuleResource(rules, { labels: { release: 'kube-prometheus-stack' } });
    expect(resource.spec).toEqual(prometheusRuleFile(rules));
    expect(resource.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'argus',
      release: 'kube-prometheus-stack',
    });
  });
});
