// promtool unit tests for every shipped alert: one case where it fires and one where it must
// not (a near miss, not an empty input). Written against the default namespace's rule file.

import type { AlertRule, ArgusRules } from '@argus/alerts';

interface Series {
  series: string;
  values: string;
}

interface AlertCase {
  /** What the case shows, e.g. "fires at 50 % unanswered". */
  name: string;
  alert: string;
  series: Series[];
  evalTime: string;
  /** The alerts expected at evalTime: their labels (severity comes from the rule) and `$value` as rendered. */
  fires: { labels: Record<string, string>; value?: string }[];
}

const c = { cluster: 'default' };
const target = { job: 'argus', instance: 'bot:9191' };
const lbl = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
const s = (metric: string, labels: Record<string, string>, values: string): Series => ({
  series: `${metric}${lbl({ ...target, ...labels })}`,
  values,
});

const received = (values: string) =>
  s('discord_interactions_total', { ...c, type: 'application_command', status: 'received' }, values);
const unanswered = (values: string) =>
  s('discord_interactions_unanswered_total', { ...c, type: 'application_command', command: 'ping' }, values);
const appCommands = (status: string, values: string) =>
  s('discord_app_commands_total', { ...c, command: 'ping', status }, values);
const rateLimits = (scope: string, values: string) =>
  s('discord_ratelimits_total', { ...c, scope, method: 'POST', route: '/channels/:id/messages' }, values);

export const ALERT_CASES: AlertCase[] = [
  {
    name: 'half of all interactions miss the deadline for over an hour',
    alert: 'DiscordInteractionSLOBurnFast',
    series: [received('0+60x120'), unanswered('0+30x120')],
    evalTime: '70m',
    fires: [{ labels: c, value: '50%' }],
  },
  {
    name: '1 % missed is within a 99 % objective',
    alert: 'DiscordInteractionSLOBurnFast',
    series: [received('0+100x120'), unanswered('0+1x120')],
    evalTime: '70m',
    fires: [],
  },
  {
    name: '5 % missed for hours burns the budget slowly',
    alert: 'DiscordInteractionSLOBurnSlow',
    series: [received('0+60x200'), unanswered('0+3x200')],
    evalTime: '150m',
    fires: [{ labels: c, value: '5%' }],
  },
  {
    name: '0.5 % missed is within a 99 % objective',
    alert: 'DiscordInteractionSLOBurnSlow',
    series: [received('0+200x200'), unanswered('0+1x200')],
    evalTime: '150m',
    fires: [],
  },
  {
    name: 'one unanswered ping a minute',
    alert: 'DiscordInteractionsUnanswered',
    series: [unanswered('0+1x30')],
    evalTime: '20m',
    fires: [{ labels: { ...c, command: 'ping' }, value: '10' }],
  },
  {
    name: 'two unanswered in 10 minutes is below the threshold',
    alert: 'DiscordInteractionsUnanswered',
    series: [unanswered('0+0.2x30')],
    evalTime: '20m',
    fires: [],
  },
  {
    name: 'half of the commands fail',
    alert: 'DiscordCommandErrorRatioHigh',
    series: [appCommands('error', '0+30x30'), appCommands('success', '0+30x30')],
    evalTime: '20m',
    fires: [{ labels: c, value: '50%' }],
  },
  {
    name: 'under 5 % of commands fail',
    alert: 'DiscordCommandErrorRatioHigh',
    series: [appCommands('error', '0+3x30'), appCommands('success', '0+60x30')],
    evalTime: '20m',
    fires: [],
  },
  {
    name: 'shard 0 down for 5 minutes',
    alert: 'DiscordShardDown',
    series: [s('discord_shard_up', { ...c, shard: '0' }, '1 1 1 0x10')],
    evalTime: '8m',
    fires: [{ labels: { ...target, ...c, shard: '0' } }],
  },
  {
    name: 'a 2-minute drop that recovered',
    alert: 'DiscordShardDown',
    series: [s('discord_shard_up', { ...c, shard: '0' }, '1 1 1 0 0 1x10')],
    evalTime: '8m',
    fires: [],
  },
  {
    name: 'one of two shards never became ready',
    alert: 'DiscordShardsNotReady',
    series: [s('discord_shards_connected', c, '1x30'), s('discord_shards_configured', c, '2x30')],
    evalTime: '15m',
    fires: [{ labels: { ...target, ...c }, value: '1' }],
  },
  {
    name: 'every shard ready',
    alert: 'DiscordShardsNotReady',
    series: [s('discord_shards_connected', c, '2x30'), s('discord_shards_configured', c, '2x30')],
    evalTime: '15m',
    fires: [],
  },
  {
    name: 'heartbeat round trip 800 ms',
    alert: 'DiscordGatewayLatencyHigh',
    series: [s('discord_shard_latency_seconds', { ...c, shard: '1' }, '0.8x30')],
    evalTime: '20m',
    fires: [{ labels: { ...target, ...c, shard: '1' }, value: '800ms' }],
  },
  {
    name: 'heartbeat round trip 100 ms',
    alert: 'DiscordGatewayLatencyHigh',
    series: [s('discord_shard_latency_seconds', { ...c, shard: '1' }, '0.1x30')],
    evalTime: '20m',
    fires: [],
  },
  {
    name: 'a disconnect every minute',
    alert: 'DiscordShardReconnectStorm',
    series: [s('discord_shard_disconnects_total', { ...c, shard: '0' }, '0+1x30')],
    evalTime: '20m',
    fires: [{ labels: { ...c, shard: '0' }, value: '15' }],
  },
  {
    name: 'three disconnects in 15 minutes',
    alert: 'DiscordShardReconnectStorm',
    series: [s('discord_shard_disconnects_total', { ...c, shard: '0' }, '0+0.2x30')],
    evalTime: '20m',
    fires: [],
  },
  {
    name: 'six rate limits a minute on one route',
    alert: 'DiscordRestRateLimited',
    series: [rateLimits('user', '0+6x30')],
    evalTime: '15m',
    fires: [{ labels: { ...c, route: '/channels/:id/messages' }, value: '100m' }],
  },
  {
    name: 'one rate limit a minute',
    alert: 'DiscordRestRateLimited',
    series: [rateLimits('user', '0+1x30')],
    evalTime: '15m',
    fires: [],
  },
  {
    name: 'global rate limits',
    alert: 'DiscordGlobalRateLimited',
    series: [rateLimits('global', '0+1x30')],
    evalTime: '10m',
    fires: [{ labels: c, value: '5' }],
  },
  {
    name: 'per-route limits are not global',
    alert: 'DiscordGlobalRateLimited',
    series: [rateLimits('user', '0+1x30')],
    evalTime: '10m',
    fires: [],
  },
  {
    name: '3,000 invalid requests in 10 minutes',
    alert: 'DiscordInvalidRequestBudgetWarning',
    series: [s('discord_rest_invalid_requests_total', { ...c, status: '429' }, '0+300x30')],
    evalTime: '15m',
    fires: [{ labels: { job: 'argus' }, value: '3k' }],
  },
  {
    name: '2,000 invalid requests in 10 minutes',
    alert: 'DiscordInvalidRequestBudgetWarning',
    series: [s('discord_rest_invalid_requests_total', { ...c, status: '429' }, '0+200x30')],
    evalTime: '15m',
    fires: [],
  },
  {
    name: '6,000 invalid requests in 10 minutes, summed over two processes on one IP',
    alert: 'DiscordInvalidRequestBudgetCritical',
    series: [
      s('discord_rest_invalid_requests_total', { ...c, status: '403' }, '0+300x30'),
      s('discord_rest_invalid_requests_total', { cluster: 'second', status: '403' }, '0+300x30'),
    ],
    evalTime: '15m',
    fires: [{ labels: { job: 'argus' }, value: '6k' }],
  },
  {
    name: '3,000 invalid requests is a warning, not critical',
    alert: 'DiscordInvalidRequestBudgetCritical',
    series: [s('discord_rest_invalid_requests_total', { ...c, status: '403' }, '0+300x30')],
    evalTime: '15m',
    fires: [],
  },
  {
    name: 'event loop blocked 500 ms',
    alert: 'DiscordEventLoopDelayHigh',
    series: [s('discord_event_loop_lag_seconds', c, '0.5x30')],
    evalTime: '10m',
    fires: [{ labels: { ...target, ...c }, value: '500ms' }],
  },
  {
    name: 'event loop delay 50 ms',
    alert: 'DiscordEventLoopDelayHigh',
    series: [s('discord_event_loop_lag_seconds', c, '0.05x30')],
    evalTime: '10m',
    fires: [],
  },
  {
    name: 'resident memory up 2 MB a minute',
    alert: 'DiscordBotMemoryGrowth',
    series: [s('process_resident_memory_bytes', {}, '100000000+2000000x200'), s('argus_up', c, '1x200')],
    evalTime: '120m',
    fires: [{ labels: { ...target, ...c }, value: '35.29%' }],
  },
  {
    name: 'flat memory',
    alert: 'DiscordBotMemoryGrowth',
    series: [s('process_resident_memory_bytes', {}, '100000000x200'), s('argus_up', c, '1x200')],
    evalTime: '120m',
    fires: [],
  },
  {
    name: 'scrapes failing',
    alert: 'ArgusTargetDown',
    series: [s('up', {}, '0x10')],
    evalTime: '5m',
    fires: [{ labels: target }],
  },
  {
    name: 'another job down is not ours',
    alert: 'ArgusTargetDown',
    series: [s('up', { job: 'node' }, '0x10')],
    evalTime: '5m',
    fires: [],
  },
  {
    name: 'no target in the job',
    alert: 'ArgusTargetAbsent',
    series: [s('up', { job: 'node' }, '1x20')],
    evalTime: '15m',
    fires: [{ labels: { job: 'argus' } }],
  },
  {
    name: 'the target is there',
    alert: 'ArgusTargetAbsent',
    series: [s('up', {}, '1x20')],
    evalTime: '15m',
    fires: [],
  },
  {
    name: 'analytics unhealthy',
    alert: 'ArgusSubsystemDown',
    series: [s('argus_subsystem_up', { ...c, subsystem: 'analytics' }, '0x10')],
    evalTime: '6m',
    fires: [{ labels: { ...target, ...c, subsystem: 'analytics' } }],
  },
  {
    name: 'analytics healthy',
    alert: 'ArgusSubsystemDown',
    series: [s('argus_subsystem_up', { ...c, subsystem: 'analytics' }, '1x10')],
    evalTime: '6m',
    fires: [],
  },
  {
    name: 'a hook failing every minute',
    alert: 'ArgusInstrumentationErrors',
    series: [s('argus_instrumentation_errors_total', { ...c, hook: 'interactionCreate' }, '0+1x30')],
    evalTime: '20m',
    fires: [{ labels: { ...c, hook: 'interactionCreate' }, value: '10' }],
  },
  {
    name: 'old errors, none recent',
    alert: 'ArgusInstrumentationErrors',
    series: [s('argus_instrumentation_errors_total', { ...c, hook: 'interactionCreate' }, '5x30')],
    evalTime: '20m',
    fires: [],
  },
  {
    name: 'the analytics queue overflows',
    alert: 'ArgusAnalyticsEventsDropped',
    series: [s('argus_history_events_dropped_total', { ...c, reason: 'overflow' }, '0+1x30')],
    evalTime: '20m',
    fires: [{ labels: { ...c, reason: 'overflow' }, value: '10' }],
  },
  {
    name: 'drops long ago',
    alert: 'ArgusAnalyticsEventsDropped',
    series: [s('argus_history_events_dropped_total', { ...c, reason: 'overflow' }, '3x30')],
    evalTime: '20m',
    fires: [],
  },
  ...(
    [
      ['ArgusOtlpExportsFailing', 'argus_otlp_exports_total'],
      ['ArgusPushgatewayPushesFailing', 'argus_pushgateway_pushes_total'],
    ] as const
  ).flatMap(([alert, metric]) => [
    {
      name: `every ${metric} attempt fails for 25 minutes`,
      alert,
      series: [
        s(metric, { ...c, result: 'success' }, '5x30'),
        s(metric, { ...c, result: 'failure' }, '0+1x30'),
      ],
      evalTime: '25m',
      fires: [{ labels: { ...c }, value: '15' }],
    },
    {
      name: `${metric}: one failure among successes`,
      alert,
      series: [
        s(metric, { ...c, result: 'success' }, '0+1x30'),
        s(metric, { ...c, result: 'failure' }, '0x10 1x20'),
      ],
      evalTime: '25m',
      fires: [],
    },
  ]),
  {
    name: 'spans dropped for 20 minutes',
    alert: 'ArgusTraceSpansDropped',
    series: [s('argus_tracing_spans_dropped_total', { ...c, reason: 'export_failed' }, '0+2x30')],
    evalTime: '25m',
    fires: [{ labels: { ...c, reason: 'export_failed' }, value: '20' }],
  },
  {
    name: 'spans dropped once, long ago',
    alert: 'ArgusTraceSpansDropped',
    series: [s('argus_tracing_spans_dropped_total', { ...c, reason: 'queue_full' }, '0 4x30')],
    evalTime: '25m',
    fires: [],
  },
  {
    name: 'a group last pushed 15 minutes ago',
    alert: 'ArgusPushgatewayGroupStale',
    series: [
      s('push_time_seconds', { instance: 'bot-1' }, '0x20'),
      s('argus_up', { ...c, instance: 'bot-1' }, '1x20'),
    ],
    evalTime: '15m',
    fires: [{ labels: { job: 'argus', instance: 'bot-1' }, value: '15m 0s' }],
  },
  {
    name: 'a group pushed every minute, and a stale group of another job',
    alert: 'ArgusPushgatewayGroupStale',
    series: [
      s('push_time_seconds', { instance: 'bot-1' }, '0+60x20'),
      s('argus_up', { ...c, instance: 'bot-1' }, '1x20'),
      s('push_time_seconds', { job: 'backup', instance: 'nightly' }, '0x20'),
    ],
    evalTime: '15m',
    fires: [],
  },
];

/** Recorded values checked directly, so a wrong recording rule fails here and not only downstream. */
const RECORDING_CASES = [
  {
    name: 'unanswered ratio over 5 minutes',
    series: [received('0+60x30'), unanswered('0+15x30')],
    evalTime: '20m',
    expr: 'cluster:discord_interactions_unanswered:ratio_rate5m',
    exp: [{ labels: 'cluster:discord_interactions_unanswered:ratio_rate5m{cluster="default"}', value: 0.25 }],
  },
  {
    name: 'invalid requests over 10 minutes, per job',
    series: [s('discord_rest_invalid_requests_total', { ...c, status: '401' }, '0+10x30')],
    evalTime: '20m',
    expr: 'job:discord_rest_invalid_requests:increase10m',
    exp: [{ labels: 'job:discord_rest_invalid_requests:increase10m{job="argus"}', value: 100 }],
  },
];

/** Prometheus' template text with the labels and the rendered value of one expected alert filled in. */
function fill(template: string, labels: Record<string, string>, value: string | undefined): string {
  return template
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? '<no value>')
    .replace(/\{\{ \$value[^}]*\}\}/g, () => {
      if (value === undefined) throw new Error(`a case for this alert must give the rendered $value`);
      return value;
    });
}

/** The promtool test file (`promtool test rules`) for the default namespace's rule file. */
export function ruleTestFile(rules: ArgusRules, ruleFile: string) {
  const alerts = new Map<string, AlertRule>(rules.alerting.flatMap((g) => g.rules.map((r) => [r.alert, r])));
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: [
      ...ALERT_CASES.map((k) => {
        const rule = alerts.get(k.alert);
        if (!rule) throw new Error(`rule test "${k.name}" names an unknown alert ${k.alert}`);
        return {
          name: `${k.alert}: ${k.name}`,
          interval: '1m',
          input_series: k.series,
          alert_rule_test: [
            {
              eval_time: k.evalTime,
              alertname: k.alert,
              exp_alerts: k.fires.map((f) => {
                const labels = { ...f.labels, severity: rule.severity };
                return {
                  exp_labels: labels,
                  exp_annotations: {
                    summary: fill(rule.summary, labels, f.value),
                    description: fill(rule.description, labels, f.value),
                    runbook: rule.runbook,
                  },
                };
              }),
            },
          ],
        };
      }),
      ...RECORDING_CASES.map((k) => ({
        name: `recording: ${k.name}`,
        interval: '1m',
        input_series: k.series,
        promql_expr_test: [{ expr: k.expr, eval_time: k.evalTime, exp_samples: k.exp }],
      })),
    ],
  };
}
