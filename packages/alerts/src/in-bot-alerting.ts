import type {
  AlertingConfig,
  FailOpenGuard,
  LifecycleSubscriber,
  Logger,
  MetricRegistry,
  MetricsSnapshot,
} from '@argus/core';
import { CommandErrorDigest } from './command-error-digest';
import { DiscordWebhookNotifier } from './discord-webhook';
import { AlertEvaluator, type AlertState, type SkippedAlert } from './evaluator';
import { parseWebhookUrl } from './internal/webhook-url';
import { JsonWebhookNotifier } from './json-webhook';

/** Counts every notification outcome; no rule reads it, so a failing webhook never alerts itself. */
export const NOTIFICATIONS_METRIC = 'argus_alert_notifications_total';

export interface InBotAlertingInit {
  config: AlertingConfig & { readonly namespace: string };
  /** The registry's values: `() => prometheus.snapshot()`, or core's snapshot. */
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  registry: MetricRegistry;
  guard: FailOpenGuard;
  logger: Logger;
}

/** What `/api/alerts` serves and the dashboard shows. */
export interface AlertsView {
  /** Milliseconds since the epoch of the latest evaluation, or null before the first. */
  evaluatedAt: number | null;
  intervalMs: number;
  active: AlertState[];
  recent: AlertState[];
  skipped: readonly SkippedAlert[];
  /** Whether a Discord webhook receives the alerts. */
  webhook: boolean;
  /** Whether a JSON (Alertmanager-shaped) webhook receives them. */
  jsonWebhook: boolean;
}

export interface InBotAlerting {
  readonly evaluator: AlertEvaluator;
  /** Goes on the lifecycle seam (the command error digest) when a webhook is set. */
  readonly subscriber: LifecycleSubscriber | undefined;
  view(): AlertsView;
  close(): void;
}

/**
 * Throws, naming the option, when a webhook URL cannot be used; call it before anything starts,
 * so a bad option fails `argus()` cleanly.
 */
export function checkAlertingConfig(config: AlertingConfig): void {
  if (!config.alerts) return;
  if (config.alertWebhookUrl)
    parseWebhookUrl(config.alertWebhookUrl, 'alertWebhookUrl (ARGUS_ALERT_WEBHOOK_URL)');
  if (config.alertJsonWebhookUrl) {
    let url: URL | undefined;
    try {
      url = new URL(config.alertJsonWebhookUrl);
    } catch {
      // named below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new TypeError('alertJsonWebhookUrl (ARGUS_ALERT_JSON_WEBHOOK_URL) must be an http(s) URL');
    }
  }
}

/**
 * Everything issue 13 adds to a bot, from its resolved config: the evaluator on a timer, the
 * webhook notifier and the error digest when a webhook is set. One call for `argus()`; a throw
 * here is only ever a bad option (the webhook URL), named.
 */
export function startInBotAlerting(init: InBotAlertingInit): InBotAlerting {
  const { config, registry, guard, logger } = init;
  const dashboardUrl = config.alertDashboardUrl;
  // The counter exists only with a webhook: a bot without one exposes nothing new.
  if ((config.alertWebhookUrl || config.alertJsonWebhookUrl) && !registry.has(NOTIFICATIONS_METRIC)) {
    registry.define({
      kind: 'counter',
      name: NOTIFICATIONS_METRIC,
      help: 'Alert and error digest messages to the Discord webhook, by outcome.',
      labelNames: ['result'],
    });
  }
  const notifier = config.alertWebhookUrl
    ? new DiscordWebhookNotifier({
        webhookUrl: config.alertWebhookUrl,
        ...(dashboardUrl ? { dashboardUrl } : {}),
        repeatIntervalMs: config.alertRepeatInterval * 1000,
        onResult: (result) =>
          guard.run('alerts:count', () => registry.counter(NOTIFICATIONS_METRIC).inc({ result })),
        onError: (message) => logger.warn(`alerts: ${message}`),
      })
    : undefined;
  const jsonNotifier = config.alertJsonWebhookUrl
    ? new JsonWebhookNotifier({
        url: config.alertJsonWebhookUrl,
        ...(dashboardUrl ? { externalUrl: dashboardUrl } : {}),
        onResult: (result) =>
          guard.run('alerts:count', () => registry.counter(NOTIFICATIONS_METRIC).inc({ result })),
        onError: (message) => logger.warn(`alerts: ${message}`),
      })
    : undefined;
  const digest = notifier
    ? new CommandErrorDigest({
        send: (message) => notifier.enqueue(message),
        intervalMs: config.errorDigestInterval * 1000,
        ...(dashboardUrl ? { dashboardUrl } : {}),
      })
    : undefined;
  let evaluatedAt: number | null = null;
  const evaluator = new AlertEvaluator({
    snapshot: async () => {
      const snapshot = await init.snapshot();
      evaluatedAt = snapshot.time;
      return snapshot;
    },
    namespace: config.namespace,
    intervalMs: config.alertInterval * 1000,
    onError: (where, error) => guard.report(where, error),
  });
  if (notifier) evaluator.subscribe((transitions) => notifier.notify(transitions, evaluator.active()));
  if (jsonNotifier) evaluator.subscribe((transitions) => jsonNotifier.notify(transitions));
  evaluator.start();
  return {
    evaluator,
    subscriber: digest?.subscriber,
    view: () => ({
      evaluatedAt,
      intervalMs: evaluator.intervalMs,
      active: evaluator.active(),
      recent: evaluator.recent(),
      skipped: evaluator.skipped,
      webhook: notifier !== undefined,
      jsonWebhook: jsonNotifier !== undefined,
    }),
    close() {
      evaluator.close();
      digest?.close();
      notifier?.close();
      jsonNotifier?.close();
    },
  };
}
