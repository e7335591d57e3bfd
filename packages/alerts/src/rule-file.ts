import { conditionToPromQL, exprToPromQL } from './promql';
import type { ArgusRules } from './types';

export interface PromRecordingRule {
  record: string;
  expr: string;
}

export interface PromAlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook: string };
}

/** A Prometheus rule file (`rule_files:`), as plain data: dump it as YAML or JSON. */
export interface PromRuleFile {
  groups: { name: string; rules: (PromRecordingRule | PromAlertingRule)[] }[];
}

/** The rules as Prometheus loads them from a rule file. */
export function prometheusRuleFile(rules: ArgusRules): PromRuleFile {
  return {
    groups: [
      ...rules.recording.map((group) => ({
        name: group.name,
        rules: group.rules.map((r) => ({ record: r.record, expr: exprToPromQL(r.expr) })),
      })),
      ...rules.alerting.map((group) => ({
        name: group.name,
        rules: group.rules.map(
          (r): PromAlertingRule => ({
            alert: r.alert,
            expr: conditionToPromQL(r.condition),
            for: r.for,
            labels: { severity: r.severity },
            annotations: { summary: r.summary, description: r.description, runbook: r.runbook },
          }),
        ),
      })),
    ],
  };
}

export interface PrometheusRuleResourceOptions {
  /** metadata.name. Default `argus`. */
  name?: string;
  /** Labels the Prometheus Operator's `ruleSelector` matches on. */
  labels?: Readonly<Record<string, string>>;
}

/** The same rules as a prometheus-operator `PrometheusRule` (monitoring.coreos.com/v1). */
export function prometheusRuleResource(rules: ArgusRules, options: PrometheusRuleResourceOptions = {}) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: options.name ?? 'argus',
      labels: { 'app.kubernetes.io/name': 'argus', ...options.labels },
    },
    spec: prometheusRuleFile(rules),
  };
}
