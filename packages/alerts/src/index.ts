export { CommandErrorDigest, type CommandErrorDigestOptions } from './command-error-digest';
export {
  DiscordWebhookNotifier,
  type DiscordWebhookNotifierOptions,
  type NotificationResult,
  type WebhookMessage,
} from './discord-webhook';
export {
  AlertEvaluator,
  type AlertEvaluatorOptions,
  type AlertState,
  type AlertStatus,
  type AlertTransition,
  DEFAULT_EVALUATION_INTERVAL_MS,
  NOT_VISIBLE_IN_PROCESS,
  type SkippedAlert,
} from './evaluator';
export {
  type AlertsView,
  checkAlertingConfig,
  type InBotAlerting,
  type InBotAlertingInit,
  NOTIFICATIONS_METRIC,
  startInBotAlerting,
} from './in-bot-alerting';
export {
  type AlertmanagerPayload,
  alertmanagerPayload,
  JsonWebhookNotifier,
  type JsonWebhookNotifierOptions,
} from './json-webhook';
export { type ArgusRuleOptions, type ResolvedRuleOptions, resolveRuleOptions } from './options';
export { conditionToPromQL, exprToPromQL, formatNumber, metricsRead } from './promql';
export {
  type PromAlertingRule,
  type PrometheusRuleResourceOptions,
  type PromRecordingRule,
  type PromRuleFile,
  prometheusRuleFile,
  prometheusRuleResource,
} from './rule-file';
export {
  argusRules,
  BURN_RATE_WINDOWS,
  EXTERNAL_METRICS,
  INVALID_REQUEST_BAN_THRESHOLD,
} from './rules';
export type {
  AlertRule,
  ArgusRules,
  Comparison,
  Condition,
  Duration,
  Expr,
  RecordingRule,
  RuleGroup,
  Selector,
  Severity,
} from './types';
