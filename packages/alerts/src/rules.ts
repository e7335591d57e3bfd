import { metricNames } from '@argus/core/names';
import { type ArgusRuleOptions, resolveRuleOptions } from './options';
import { formatNumber } from './promql';
import type { AlertRule, ArgusRules, Condition, Duration, Expr, RecordingRule } from './types';

/** Metrics the rules read that are not in Argus' catalogue, and who produces them. */
export const EXTERNAL_METRICS: Readonly<Record<string, string>> = Object.freeze({
  up: 'Prometheus, for every scrape target',
  push_time_seconds: 'the Pushgateway, for every push group',
  process_resident_memory_bytes:
    "prom-client's default process metrics (ARGUS_PROCESS_METRICS, on by default)",
});

/**
 * The SLO burn-rate alerts of the Google SRE workbook (chapter 5, "multiwindow, multi-burn-rate"):
 * each pair fires when both its long and its short window burn the 30-day error budget at
 * `factor` times the sustainable rate.
 */
export const BURN_RATE_WINDOWS = Object.freeze({
  fast: [
    { long: '1h', short: '5m', factor: 14.4 },
    { long: '6h', short: '30m', factor: 6 },
  ],
  slow: [
    { long: '1d', short: '2h', factor: 3 },
    { long: '3d', short: '6h', factor: 1 },
  ],
} as const);

const SLO_WINDOWS: readonly Duration[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** Discord bans an IP that makes 10,000 invalid requests (401, 403, 429) in 10 minutes. */
export const INVALID_REQUEST_BAN_THRESHOLD = 10_000;

/** Every recording and alert rule Argus ships, for one namespace, objective and job. */
export function argusRules(options: ArgusRuleOptions = {}): ArgusRules {
  const { namespace, objective, job, pushStaleAfterSeconds } = resolveRuleOptions(options);
  const n = metricNames(namespace);
  const cluster = ['cluster'] as const;
  const received = { metric: n.interactions, match: { status: 'received' } };

  const unansweredRatio = (window: Duration) =>
    `cluster:${namespace}_interactions_unanswered:ratio_rate${window}`;
  const records = {
    interactionsRate: `cluster:${namespace}_interactions:rate5m`,
    responseP95: `cluster:${namespace}_interaction_response_seconds:p95_rate5m`,
    appCommandErrorRatio: `cluster:${namespace}_app_command_errors:ratio_rate5m`,
    appCommandDurationP95: `cluster:${namespace}_app_command_duration_seconds:p95_rate5m`,
    invalidRequests10m: `job:${namespace}_rest_invalid_requests:increase10m`,
  };

  const recording: RecordingRule[] = [
    ...SLO_WINDOWS.map(
      (window): RecordingRule => ({
        record: unansweredRatio(window),
        help: `Share of interactions that missed the 3 s deadline, over ${window}.`,
        expr: {
          kind: 'ratio',
          numerator: { kind: 'sum-rate', metric: n.interactionsUnanswered, window, by: cluster },
          denominator: { kind: 'sum-rate', ...received, window, by: cluster },
        },
      }),
    ),
    {
      record: records.interactionsRate,
      help: 'Interactions received per second.',
      expr: { kind: 'sum-rate', ...received, window: '5m', by: cluster },
    },
    {
      record: records.responseP95,
      help: '95th percentile of receipt-to-initial-response time, in seconds.',
      expr: { kind: 'quantile', q: 0.95, metric: n.interactionResponse, window: '5m', by: cluster },
    },
    {
      record: records.appCommandErrorRatio,
      help: 'Share of application command invocations that failed.',
      expr: {
        kind: 'ratio',
        numerator: {
          kind: 'sum-rate',
          metric: n.appCommands,
          match: { status: 'error' },
          window: '5m',
          by: cluster,
        },
        denominator: { kind: 'sum-rate', metric: n.appCommands, window: '5m', by: cluster },
      },
    },
    {
      record: records.appCommandDurationP95,
      help: '95th percentile of application command handler duration, in seconds.',
      expr: { kind: 'quantile', q: 0.95, metric: n.appCommandDuration, window: '5m', by: cluster },
    },
    {
      record: records.invalidRequests10m,
      help: "Invalid REST requests (401, 403, 429) in the last 10 minutes, per job: Discord's ban counts per IP, not per process.",
      expr: { kind: 'sum-increase', metric: n.restInvalidRequests, window: '10m', by: ['job'] },
    },
  ];

  const budget = 1 - objective;
  const percent = (share: number) => `${formatNumber(share * 100)} %`;
  const burn = (pairs: readonly { long: Duration; short: Duration; factor: number }[]): Condition => ({
    kind: 'any',
    of: pairs.map(({ long, short, factor }) => ({
      kind: 'all',
      of: [long, short].map(
        (window): Condition => ({
          kind: 'threshold',
          expr: { kind: 'recorded', record: unansweredRatio(window) },
          op: '>',
          threshold: Number((factor * budget).toPrecision(12)),
        }),
      ),
    })),
  });
  const sloRunbook =
    'Interactions are missing Discord\'s 3 s deadline, so users see "The application did not respond". ' +
    'Open the Interactions board: check which commands are unanswered (discord_interactions_unanswered_total by command) ' +
    'and whether response p95 rose with them. Slow handlers must deferReply() first; a blocked event loop ' +
    '(event-loop delay panel), REST rate limits on the callback route or a shard outage delay every answer.';

  const slo: AlertRule[] = [
    {
      alert: 'DiscordInteractionSLOBurnFast',
      condition: burn(BURN_RATE_WINDOWS.fast),
      for: '2m',
      severity: 'critical',
      summary: `Interaction deadline SLO burning fast on {{ $labels.cluster }}`,
      description: `{{ $value | humanizePercentage }} of interactions on cluster {{ $labels.cluster }} missed the 3 s deadline: at this rate the 30-day error budget of the ${percent(objective)} objective is gone within days.`,
      runbook: sloRunbook,
    },
    {
      alert: 'DiscordInteractionSLOBurnSlow',
      condition: burn(BURN_RATE_WINDOWS.slow),
      for: '15m',
      severity: 'warning',
      summary: `Interaction deadline SLO burning on {{ $labels.cluster }}`,
      description: `{{ $value | humanizePercentage }} of interactions on cluster {{ $labels.cluster }} missed the 3 s deadline over the last day or more, faster than the ${percent(objective)} objective allows.`,
      runbook: sloRunbook,
    },
  ];

  const gauge = (metric: string, match?: Record<string, string>): Expr =>
    match ? { kind: 'series', metric, match } : { kind: 'series', metric };
  const discord: AlertRule[] = [
    {
      alert: 'DiscordInteractionsUnanswered',
      condition: {
        kind: 'threshold',
        expr: {
          kind: 'sum-increase',
          metric: n.interactionsUnanswered,
          window: '10m',
          by: ['cluster', 'command'],
        },
        op: '>',
        threshold: 5,
      },
      for: '5m',
      severity: 'warning',
      summary: 'Interactions of {{ $labels.command }} go unanswered on {{ $labels.cluster }}',
      description:
        '{{ $value | humanize }} interactions of {{ $labels.command }} on cluster {{ $labels.cluster }} got no initial response within 3 s in the last 10 minutes.',
      runbook:
        'The handler of this command (or component) does not reply, defer or update within 3 s, or throws before it does. ' +
        'Check its error count on the Interactions board and the bot log; reply or deferReply() first, then do the slow work.',
    },
    {
      alert: 'DiscordCommandErrorRatioHigh',
      condition: {
        kind: 'threshold',
        expr: { kind: 'recorded', record: records.appCommandErrorRatio },
        op: '>',
        threshold: 0.1,
      },
      for: '10m',
      severity: 'warning',
      summary: 'Application commands failing on {{ $labels.cluster }}',
      description:
        '{{ $value | humanizePercentage }} of application command invocations on cluster {{ $labels.cluster }} failed over the last 5 minutes.',
      runbook: `Open the Interactions board: ${n.commandErrors} by command and error_type shows which handler throws and why. A jump right after a deploy points at the release; a jump across all commands at a dependency (database, an API) or at Discord itself.`,
    },
    {
      alert: 'DiscordShardDown',
      condition: { kind: 'threshold', expr: gauge(n.shardUp), op: '==', threshold: 0 },
      for: '2m',
      severity: 'critical',
      summary: 'Shard {{ $labels.shard }} is down on {{ $labels.cluster }}',
      description:
        'Shard {{ $labels.shard }} of cluster {{ $labels.cluster }} has had no ready gateway connection for 2 minutes: its guilds get no events and no interactions.',
      runbook:
        'Check the Gateway board for disconnects and their close codes in the bot log. discord.js reconnects by itself; ' +
        'if it does not, look for an invalid session loop (token reset, intents not enabled in the developer portal) or a network problem on the host.',
    },
    {
      alert: 'DiscordShardsNotReady',
      condition: {
        kind: 'compare',
        left: gauge(n.shardsConnected),
        op: '<',
        right: gauge(n.shardsConfigured),
      },
      for: '10m',
      severity: 'warning',
      summary: 'Not every shard is ready on {{ $labels.cluster }}',
      description:
        'Cluster {{ $labels.cluster }} has {{ $value }} ready shards, fewer than it is configured to run, for 10 minutes.',
      runbook:
        'A shard that never became ready is not in discord_shard_up. Check the log for identify failures and the session start limit (GET /gateway/bot); a large bot waits for max_concurrency buckets at start.',
    },
    {
      alert: 'DiscordGatewayLatencyHigh',
      condition: {
        kind: 'threshold',
        expr: { kind: 'avg-over-time', metric: n.shardLatency, window: '5m' },
        op: '>',
        threshold: 0.5,
      },
      for: '10m',
      severity: 'warning',
      summary: 'Gateway latency high on shard {{ $labels.shard }} of {{ $labels.cluster }}',
      description:
        'The heartbeat round trip of shard {{ $labels.shard }} on cluster {{ $labels.cluster }} averaged {{ $value | humanizeDuration }} over 5 minutes.',
      runbook:
        'A slow heartbeat with a normal event-loop delay points at the network or at Discord (check its status page); with a high event-loop delay the bot itself is too busy to read the socket.',
    },
    {
      alert: 'DiscordShardReconnectStorm',
      condition: {
        kind: 'threshold',
        expr: { kind: 'sum-increase', metric: n.shardDisconnects, window: '15m', by: ['cluster', 'shard'] },
        op: '>',
        threshold: 5,
      },
      for: '5m',
      severity: 'warning',
      summary: 'Shard {{ $labels.shard }} keeps reconnecting on {{ $labels.cluster }}',
      description:
        'Shard {{ $labels.shard }} of cluster {{ $labels.cluster }} disconnected {{ $value | humanize }} times in 15 minutes.',
      runbook:
        'Repeated disconnects burn the daily session start limit. Look at the close codes in the log: 4000-range codes from Discord, ' +
        'zombie connections (missed heartbeat acks) from a blocked event loop or a flaky network.',
    },
    {
      alert: 'DiscordRestRateLimited',
      condition: {
        kind: 'threshold',
        expr: { kind: 'sum-rate', metric: n.rateLimits, window: '5m', by: ['cluster', 'route'] },
        op: '>',
        threshold: 0.05,
      },
      for: '5m',
      severity: 'warning',
      summary: 'REST rate limits on {{ $labels.route }} ({{ $labels.cluster }})',
      description:
        'Cluster {{ $labels.cluster }} hits rate limits on {{ $labels.route }} {{ $value | humanize }} times per second.',
      runbook:
        'discord.js queues and retries rate-limited requests, so users see delays, not errors. Find the code that calls this route in a loop (bulk messages, role edits) and batch or slow it.',
    },
    {
      alert: 'DiscordGlobalRateLimited',
      condition: {
        kind: 'threshold',
        expr: {
          kind: 'sum-increase',
          metric: n.rateLimits,
          match: { scope: 'global' },
          window: '5m',
          by: ['cluster'],
        },
        op: '>',
        threshold: 0,
      },
      for: '0m',
      severity: 'critical',
      summary: 'Global REST rate limit on {{ $labels.cluster }}',
      description:
        'Cluster {{ $labels.cluster }} hit the global rate limit (50 requests per second per bot) {{ $value | humanize }} times in 5 minutes: every REST call waits.',
      runbook:
        'The global limit applies to the whole bot token. Check the REST board for the route with the most requests; large bots can ask Discord for a higher limit.',
    },
    {
      alert: 'DiscordInvalidRequestBudgetWarning',
      condition: {
        kind: 'threshold',
        expr: { kind: 'recorded', record: records.invalidRequests10m },
        op: '>',
        threshold: INVALID_REQUEST_BAN_THRESHOLD / 4,
      },
      for: '0m',
      severity: 'warning',
      summary: 'Invalid REST requests heading for the IP ban (job {{ $labels.job }})',
      description: `Job {{ $labels.job }} made {{ $value | humanize }} invalid requests (401, 403, 429) in 10 minutes; Discord bans the IP at ${INVALID_REQUEST_BAN_THRESHOLD.toLocaleString('en-US')}.`,
      runbook:
        'The REST board shows which route and status grow. 401: a revoked token still in use; 403: missing permissions (check before acting); 429: ignored rate limits. Stop the loop before the ban: it takes the whole IP offline for an hour or more.',
    },
    {
      alert: 'DiscordInvalidRequestBudgetCritical',
      condition: {
        kind: 'threshold',
        expr: { kind: 'recorded', record: records.invalidRequests10m },
        op: '>',
        threshold: INVALID_REQUEST_BAN_THRESHOLD / 2,
      },
      for: '0m',
      severity: 'critical',
      summary: 'Half-way to the Discord IP ban (job {{ $labels.job }})',
      description: `Job {{ $labels.job }} made {{ $value | humanize }} invalid requests in 10 minutes; Discord bans the IP at ${INVALID_REQUEST_BAN_THRESHOLD.toLocaleString('en-US')}.`,
      runbook:
        'Act now: stop or roll back what sends the failing requests (the REST board names the route). Every bot on this IP is banned with it.',
    },
    {
      alert: 'DiscordEventLoopDelayHigh',
      condition: { kind: 'threshold', expr: gauge(n.eventLoopLag), op: '>', threshold: 0.2 },
      for: '5m',
      severity: 'warning',
      summary: 'Event loop blocked on {{ $labels.cluster }}',
      description:
        'The event-loop delay p99 of cluster {{ $labels.cluster }} is {{ $value | humanizeDuration }}: every event, heartbeat and interaction waits that long.',
      runbook:
        'Something synchronous runs too long: JSON of a huge payload, a sync file or crypto call, a tight loop over the cache. Take a CPU profile (node --cpu-prof) while it happens.',
    },
    {
      alert: 'DiscordBotMemoryGrowth',
      condition: {
        kind: 'threshold',
        expr: {
          kind: 'with-cluster',
          expr: { kind: 'growth', metric: 'process_resident_memory_bytes', window: '1h' },
          up: n.up,
        },
        op: '>',
        threshold: 0.25,
      },
      for: '30m',
      severity: 'warning',
      summary: 'Memory keeps growing on {{ $labels.cluster }}',
      description:
        'The resident memory of {{ $labels.instance }} (cluster {{ $labels.cluster }}) grew by {{ $value | humanizePercentage }} in an hour, for 30 minutes.',
      runbook:
        'Steady growth usually means an unbounded cache: discord.js caches without sweepers (messages, members), or a Map of your own keyed by user or guild. Set cache limits and sweepers, or take a heap snapshot.',
    },
  ];

  const self: AlertRule[] = [
    {
      alert: 'ArgusTargetDown',
      condition: { kind: 'threshold', expr: gauge('up', { job }), op: '==', threshold: 0 },
      for: '2m',
      severity: 'critical',
      summary: 'Prometheus cannot scrape {{ $labels.instance }}',
      description: `The ${job} target {{ $labels.instance }} has failed every scrape for 2 minutes: the bot is down, or its metrics port is unreachable.`,
      runbook:
        'Check that the bot process runs and that ARGUS_PORT is reachable from Prometheus; a 401 means the scrape config lacks the metrics token (ARGUS_METRICS_AUTH_TOKEN).',
    },
    {
      alert: 'ArgusTargetAbsent',
      condition: { kind: 'absent', metric: 'up', match: { job } },
      for: '10m',
      severity: 'critical',
      summary: `No ${job} target at all`,
      description: `Prometheus has no target in job ${job} for 10 minutes: service discovery lost the bot, or the scrape config changed.`,
      runbook:
        'Check Status > Targets in Prometheus and the service discovery source (the file_sd file, the HTTP endpoint, the ServiceMonitor selector).',
    },
    {
      alert: 'ArgusSubsystemDown',
      condition: { kind: 'threshold', expr: gauge(n.subsystemUp), op: '==', threshold: 0 },
      for: '5m',
      severity: 'warning',
      summary: 'Argus subsystem {{ $labels.subsystem }} down on {{ $labels.cluster }}',
      description:
        'The Argus {{ $labels.subsystem }} subsystem of cluster {{ $labels.cluster }} has been unhealthy for 5 minutes. The bot itself keeps running.',
      runbook:
        'The bot log has the reason, logged once by Argus. For analytics: is ClickHouse reachable with the DSN given? For the server: is the port taken?',
    },
    {
      alert: 'ArgusInstrumentationErrors',
      condition: {
        kind: 'threshold',
        expr: {
          kind: 'sum-increase',
          metric: n.instrumentationErrors,
          window: '10m',
          by: ['cluster', 'hook'],
        },
        op: '>',
        threshold: 0,
      },
      for: '5m',
      severity: 'warning',
      summary: 'Argus hook {{ $labels.hook }} is failing on {{ $labels.cluster }}',
      description:
        'The Argus hook {{ $labels.hook }} failed {{ $value | humanize }} times in 10 minutes on cluster {{ $labels.cluster }}. Argus swallowed the errors, so its metrics may be incomplete.',
      runbook:
        'The first error of each hook is in the bot log. It is a bug in Argus or a version of discord.js it does not know: please report it with that log line.',
    },
    {
      alert: 'ArgusAnalyticsEventsDropped',
      condition: {
        kind: 'threshold',
        expr: { kind: 'sum-increase', metric: n.eventsDropped, window: '10m', by: ['cluster', 'reason'] },
        op: '>',
        threshold: 0,
      },
      for: '5m',
      severity: 'warning',
      summary: 'Per-guild analytics events dropped on {{ $labels.cluster }}',
      description:
        '{{ $value | humanize }} per-guild analytics events were dropped ({{ $labels.reason }}) in 10 minutes on cluster {{ $labels.cluster }}.',
      runbook:
        'overflow: ClickHouse is slower than the bot produces events or is down; check argus_subsystem_up{subsystem="sink"} and raise ARGUS_HISTORY_QUEUE_CAPACITY if bursts are normal. shutdown: the bot stopped before the queue was flushed.',
    },
    ...(
      [
        [
          'ArgusOtlpExportsFailing',
          n.otlpExports,
          'OTLP metric exports',
          'the collector (ARGUS_OTLP_ENDPOINT)',
        ],
        [
          'ArgusPushgatewayPushesFailing',
          n.pushgatewayPushes,
          'Pushgateway pushes',
          'the Pushgateway (ARGUS_PUSHGATEWAY_URL)',
        ],
      ] as const
    ).map(
      ([alert, metric, what, where]): AlertRule => ({
        alert,
        // Tried and never succeeded for a quarter of an hour: one failed attempt is not an outage.
        condition: {
          kind: 'all',
          of: [
            {
              kind: 'threshold',
              expr: {
                kind: 'sum-increase',
                metric,
                match: { result: 'failure' },
                window: '15m',
                by: ['cluster'],
              },
              op: '>',
              threshold: 0,
            },
            {
              kind: 'threshold',
              expr: {
                kind: 'sum-increase',
                metric,
                match: { result: 'success' },
                window: '15m',
                by: ['cluster'],
              },
              op: '==',
              threshold: 0,
            },
          ],
        },
        for: '5m',
        severity: 'warning',
        summary: `${what} failing on {{ $labels.cluster }}`,
        description: `Every one of the ${what} of cluster {{ $labels.cluster }} failed for 15 minutes: the metrics there are stale. The bot itself is not affected.`,
        runbook: `The bot log has the reason, logged once by Argus (a refused token, a wrong URL, ${where} down or unreachable). Pushing resumes by itself once it answers.`,
      }),
    ),
    {
      alert: 'ArgusTraceSpansDropped',
      condition: {
        kind: 'threshold',
        expr: {
          kind: 'sum-increase',
          metric: n.tracingSpansDropped,
          window: '10m',
          by: ['cluster', 'reason'],
        },
        op: '>',
        threshold: 0,
      },
      for: '10m',
      severity: 'info',
      summary: 'Trace spans dropped on {{ $labels.cluster }} ({{ $labels.reason }})',
      description:
        '{{ $value | humanize }} spans of cluster {{ $labels.cluster }} never reached the trace collector in 10 minutes ({{ $labels.reason }}).',
      runbook:
        'export_failed or queue_full: is the collector (ARGUS_TRACING_ENDPOINT) up and fast enough? pending_full or trace_too_large: very busy or very long interactions; lower the sample ratio.',
    },
    {
      alert: 'ArgusPushgatewayGroupStale',
      condition: {
        kind: 'threshold',
        expr: {
          kind: 'only-if',
          expr: { kind: 'age', metric: 'push_time_seconds' },
          guard: gauge(n.up),
          on: ['job'],
        },
        op: '>',
        threshold: pushStaleAfterSeconds,
      },
      for: '0m',
      severity: 'warning',
      summary: 'Pushgateway group {{ $labels.job }}/{{ $labels.instance }} is stale',
      description: `The Pushgateway group {{ $labels.job }}/{{ $labels.instance }} was last pushed {{ $value | humanizeDuration }} ago (more than ${pushStaleAfterSeconds} s): its series are frozen, not live.`,
      runbook:
        'The Pushgateway keeps the last push forever. If the bot is gone for good, delete the group (DELETE /metrics/job/<job>/instance/<instance>); otherwise check that it still reaches the Pushgateway.',
    },
  ];

  return {
    recording: [{ name: 'argus.recording', rules: recording }],
    alerting: [
      { name: 'argus.slo', rules: slo },
      { name: 'argus.discord', rules: discord },
      { name: 'argus.self', rules: self },
    ],
  };
}
