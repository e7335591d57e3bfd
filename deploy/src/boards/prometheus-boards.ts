// The five Prometheus boards. Metric names come from core's catalogue with the namespace left
// as the Grafana variable, so one board serves any ARGUS_NAMESPACE; every query filters on $cluster.

import { argusRules, INVALID_REQUEST_BAN_THRESHOLD } from '@argus/alerts';
import { metricNames } from '@argus/core/names';
import { type BoardSpec, DATASOURCE_VARIABLE, grafanaVar, type PanelSpec, type Variable } from './grafana';

const NS = grafanaVar('namespace');
const n = metricNames(NS);
const RATE = '$__rate_interval';

/** `metric{cluster=~"$cluster", …}`. */
const sel = (metric: string, match = '') => `${metric}{cluster=~"$cluster"${match ? `, ${match}` : ''}}`;
/** prom-client's process metrics carry no cluster label: borrow it from argus_up of the same target. */
const withCluster = (expr: string) => `${expr} * on (job, instance) group_left (cluster) ${sel(n.up)}`;
const quantiles = (metric: string, by: string[] = []) =>
  [0.5, 0.95, 0.99].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${sel(`${metric}_bucket`)}[${RATE}])))`,
    legend: `${by.map((l) => `{{${l}}} `).join('')}p${Math.round(q * 100)}`,
  }));

// Recording rule names follow the namespace too: take them from the definitions.
const recorded = (() => {
  const names = argusRules({ namespace: 'NAMESPACE' }).recording.flatMap((g) => g.rules.map((r) => r.record));
  return (suffix: string) => {
    const name = names.find((r) => r.endsWith(suffix));
    if (!name) throw new Error(`no recording rule ends with ${suffix}`);
    return name.replace('NAMESPACE', NS);
  };
})();
const unansweredRatio = (w: string) => recorded(`_interactions_unanswered:ratio_rate${w}`);

const VARIABLES: Variable[] = [
  DATASOURCE_VARIABLE('prometheus'),
  {
    name: 'namespace',
    label: 'Namespace',
    json: {
      type: 'textbox',
      query: 'discord',
      current: { text: 'discord', value: 'discord' },
      description: 'The metric namespace of the bot (ARGUS_NAMESPACE).',
      hide: 0,
    },
  },
  {
    name: 'cluster',
    label: 'Cluster',
    json: {
      type: 'query',
      datasource: { type: 'prometheus', uid: grafanaVar('datasource') },
      query: { query: 'label_values(argus_up, cluster)', refId: 'cluster' },
      definition: 'label_values(argus_up, cluster)',
      multi: true,
      includeAll: true,
      allValue: '.*',
      current: { text: 'All', value: '$__all' },
      refresh: 2,
      sort: 1,
      hide: 0,
    },
  },
];

const board = (uid: string, title: string, description: string, panels: PanelSpec[]): BoardSpec => ({
  uid,
  title,
  description,
  datasource: 'prometheus',
  variables: VARIABLES,
  panels,
});

const deadline: PanelSpec['thresholds'] = [{ value: 3, color: 'red' }];
const ratioSteps: PanelSpec['thresholds'] = [
  { value: 0.01, color: 'orange' },
  { value: 0.05, color: 'red' },
];

const argusUp: PanelSpec = {
  title: 'Argus up',
  description: 'argus_up of the selected clusters: 1 while Argus answers scrapes.',
  type: 'stat',
  unit: 'none',
  base: 'red',
  thresholds: [{ value: 1, color: 'green' }],
  width: 4,
  queries: [{ expr: `min(${sel(n.up)})` }],
};

const residentMemory: PanelSpec = {
  title: 'Resident memory',
  description: 'Resident set size per process (prom-client process metrics).',
  type: 'timeseries',
  unit: 'bytes',
  queries: [{ expr: withCluster('process_resident_memory_bytes'), legend: '{{cluster}} {{instance}}' }],
};

const eventLoop: PanelSpec = {
  title: 'Event-loop delay p99',
  description:
    'How long the event loop was blocked (p99 over the recent window). Everything waits this long.',
  type: 'timeseries',
  unit: 's',
  thresholds: [
    { value: 0.1, color: 'orange' },
    { value: 0.2, color: 'red' },
  ],
  queries: [{ expr: sel(n.eventLoopLag), legend: '{{cluster}}' }],
};

export const OVERVIEW = board(
  'argus-overview',
  'Argus — Overview',
  'The bot at a glance: shards, traffic, the 3 s deadline, errors and resources.',
  [
    argusUp,
    {
      title: 'Shards ready',
      description: 'Shards with a ready gateway connection, out of those configured.',
      type: 'stat',
      unit: 'none',
      width: 4,
      queries: [
        { expr: `sum(${sel(n.shardsConnected)})`, legend: 'ready' },
        { expr: `sum(${sel(n.shardsConfigured)})`, legend: 'configured' },
      ],
    },
    {
      title: 'Guilds',
      description: 'Guilds the bot is in.',
      type: 'stat',
      unit: 'short',
      width: 4,
      queries: [{ expr: `sum(${sel(n.guilds)})` }],
    },
    {
      title: 'Interactions',
      description: 'Interactions received per second over 5 minutes.',
      type: 'stat',
      unit: 'reqps',
      width: 4,
      queries: [{ expr: `sum(${sel(recorded('_interactions:rate5m'))})` }],
    },
    {
      title: 'Missed the 3 s deadline (1h)',
      description: 'Share of interactions with no initial response within 3 s over the last hour.',
      type: 'stat',
      unit: 'percentunit',
      thresholds: ratioSteps,
      width: 4,
      queries: [{ expr: `max(${sel(unansweredRatio('1h'))})` }],
    },
    {
      title: 'Command errors (5m)',
      description: 'Share of application command invocations that failed.',
      type: 'stat',
      unit: 'percentunit',
      thresholds: ratioSteps,
      width: 4,
      queries: [{ expr: `max(${sel(recorded('_app_command_errors:ratio_rate5m'))})` }],
    },
    {
      title: 'Interactions by type',
      description: 'Interactions received per second, by type.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (type) (rate(${sel(n.interactions, 'status="received"')}[${RATE}]))`,
          legend: '{{type}}',
        },
      ],
    },
    {
      title: 'Time to initial response',
      description: "Receipt to first reply, defer or update. Discord's deadline is 3 s.",
      type: 'timeseries',
      unit: 's',
      thresholds: deadline,
      queries: quantiles(n.interactionResponse),
    },
    {
      title: 'Shard heartbeat latency',
      description: 'Gateway heartbeat round trip per shard.',
      type: 'timeseries',
      unit: 's',
      thresholds: [{ value: 0.5, color: 'red' }],
      queries: [{ expr: sel(n.shardLatency), legend: '{{cluster}} shard {{shard}}' }],
    },
    residentMemory,
    {
      title: 'Bot info',
      description: 'discord.js, Argus and Node.js versions per cluster.',
      type: 'table',
      unit: 'none',
      width: 24,
      height: 6,
      queries: [{ expr: sel(n.botInfo), instant: true }],
    },
  ],
);

export const INTERACTIONS = board(
  'argus-interactions',
  'Argus — Interactions',
  'Interactions and commands: the 3 s deadline SLO, unanswered interactions, outcomes and durations.',
  [
    {
      title: 'Answered within 3 s',
      description:
        'Share of interactions answered within the deadline (the SLO indicator), over three windows.',
      type: 'timeseries',
      unit: 'percentunit',
      base: 'red',
      thresholds: [{ value: 0.99, color: 'green' }],
      max: 1,
      queries: ['5m', '1h', '6h'].map((w) => ({
        expr: `1 - ${sel(unansweredRatio(w))}`,
        legend: `{{cluster}} ${w}`,
      })),
    },
    {
      title: 'Unanswered by command',
      description: 'Interactions per second that got no initial response within 3 s.',
      type: 'timeseries',
      unit: 'reqps',
      thresholds: [{ value: 0.01, color: 'red' }],
      queries: [
        {
          expr: `sum by (type, command) (rate(${sel(n.interactionsUnanswered)}[${RATE}]))`,
          legend: '{{type}} {{command}}',
        },
      ],
    },
    {
      title: 'Interactions by type',
      description: 'Interactions received per second, by type.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (type) (rate(${sel(n.interactions, 'status="received"')}[${RATE}]))`,
          legend: '{{type}}',
        },
      ],
    },
    {
      title: 'Time to initial response p95 by type',
      description: 'Receipt to first reply, defer or update, per interaction type.',
      type: 'timeseries',
      unit: 's',
      thresholds: deadline,
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (type, le) (rate(${sel(`${n.interactionResponse}_bucket`)}[${RATE}])))`,
          legend: '{{type}}',
        },
      ],
    },
    {
      title: 'Application commands by outcome',
      description: 'Invocations per second by command and status.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (command, status) (rate(${sel(n.appCommands)}[${RATE}]))`,
          legend: '{{command}} {{status}}',
        },
      ],
    },
    {
      title: 'Application command error ratio',
      description: 'Share of invocations that failed, over 5 minutes.',
      type: 'timeseries',
      unit: 'percentunit',
      thresholds: [{ value: 0.1, color: 'red' }],
      queries: [{ expr: sel(recorded('_app_command_errors:ratio_rate5m')), legend: '{{cluster}}' }],
    },
    {
      title: 'Command duration p95 by command',
      description: 'Handler duration, receipt to completion.',
      type: 'timeseries',
      unit: 's',
      thresholds: deadline,
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (command, le) (rate(${sel(`${n.appCommandDuration}_bucket`)}[${RATE}])))`,
          legend: '{{command}}',
        },
      ],
    },
    {
      title: 'Command errors by type',
      description: 'Errors per second by command and error type.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (command, error_type) (rate(${sel(n.commandErrors)}[${RATE}]))`,
          legend: '{{command}} {{error_type}}',
        },
      ],
    },
    {
      title: 'Prefix commands by outcome',
      description: 'Message (prefix) command invocations per second.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (command, status) (rate(${sel(n.commands)}[${RATE}]))`,
          legend: '{{command}} {{status}}',
        },
      ],
    },
    {
      title: 'Prefix command duration',
      description: 'Message (prefix) command handler duration.',
      type: 'timeseries',
      unit: 's',
      queries: quantiles(n.commandDuration),
    },
  ],
);

export const GATEWAY = board(
  'argus-gateway',
  'Argus — Gateway',
  'Shards, heartbeats, gateway events, reconnects and discord.js logs.',
  [
    {
      title: 'Shard up',
      description: '1 while the shard has a ready gateway connection.',
      type: 'state-timeline',
      unit: 'none',
      width: 24,
      base: 'red',
      thresholds: [{ value: 1, color: 'green' }],
      queries: [{ expr: sel(n.shardUp), legend: '{{cluster}} shard {{shard}}' }],
    },
    {
      title: 'Heartbeat latency',
      description: 'Gateway heartbeat round trip per shard.',
      type: 'timeseries',
      unit: 's',
      thresholds: [{ value: 0.5, color: 'red' }],
      queries: [{ expr: sel(n.shardLatency), legend: '{{cluster}} shard {{shard}}' }],
    },
    {
      title: 'Disconnects and reconnects',
      description: 'Per shard, in each interval. A burst is a reconnect storm.',
      type: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: `sum by (shard) (increase(${sel(n.shardDisconnects)}[${RATE}]))`,
          legend: 'disconnects shard {{shard}}',
        },
        {
          expr: `sum by (shard) (increase(${sel(n.shardReconnects)}[${RATE}]))`,
          legend: 'reconnects shard {{shard}}',
        },
      ],
    },
    {
      title: 'Gateway events by type',
      description: 'Dispatch events per second.',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum by (event) (rate(${sel(n.gatewayEvents)}[${RATE}]))`, legend: '{{event}}' }],
    },
    {
      title: 'discord.js log records',
      description: "The client's debug, warn and error events per second.",
      type: 'timeseries',
      unit: 'ops',
      queries: [
        {
          expr: `sum by (logger, level) (rate(${sel(n.logRecords)}[${RATE}]))`,
          legend: '{{logger}} {{level}}',
        },
      ],
    },
    eventLoop,
    {
      title: 'Cache sizes',
      description: 'Guilds, channels and cached users.',
      type: 'timeseries',
      unit: 'short',
      queries: [
        { expr: `sum(${sel(n.guilds)})`, legend: 'guilds' },
        { expr: `sum(${sel(n.channels)})`, legend: 'channels' },
        { expr: `sum(${sel(n.cachedUsers)})`, legend: 'users' },
      ],
    },
  ],
);

export const REST = board(
  'argus-rest',
  'Argus — REST',
  'REST traffic, latency, rate limits and the invalid-request budget.',
  [
    {
      title: 'Invalid requests, last 10 minutes',
      description: `401, 403 and 429 responses. Discord bans the IP at ${INVALID_REQUEST_BAN_THRESHOLD.toLocaleString('en-US')} in 10 minutes, across every process on it.`,
      type: 'stat',
      unit: 'short',
      width: 8,
      thresholds: [
        { value: INVALID_REQUEST_BAN_THRESHOLD / 4, color: 'orange' },
        { value: INVALID_REQUEST_BAN_THRESHOLD / 2, color: 'red' },
      ],
      queries: [{ expr: `sum(increase(${sel(n.restInvalidRequests)}[10m]))` }],
    },
    {
      title: 'Invalid requests by status',
      description: 'Per second.',
      type: 'timeseries',
      unit: 'reqps',
      width: 16,
      queries: [
        { expr: `sum by (status) (rate(${sel(n.restInvalidRequests)}[${RATE}]))`, legend: '{{status}}' },
      ],
    },
    {
      title: 'Responses by status class',
      description: 'REST responses per second.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (status_class) (rate(${sel(n.restResponses)}[${RATE}]))`,
          legend: '{{status_class}}',
        },
      ],
    },
    {
      title: 'Responses by route',
      description: 'REST responses per second, by method and route template.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (method, route) (rate(${sel(n.restResponses)}[${RATE}]))`,
          legend: '{{method}} {{route}}',
        },
      ],
    },
    {
      title: 'Request duration p95 by route',
      description: 'REST request duration, by route template.',
      type: 'timeseries',
      unit: 's',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (method, route, le) (rate(${sel(`${n.restDuration}_bucket`)}[${RATE}])))`,
          legend: '{{method}} {{route}}',
        },
      ],
    },
    {
      title: 'Rate limits by route',
      description: 'Rate limits hit per second, by scope and route. discord.js waits and retries them.',
      type: 'timeseries',
      unit: 'reqps',
      queries: [
        {
          expr: `sum by (scope, route) (rate(${sel(n.rateLimits)}[${RATE}]))`,
          legend: '{{scope}} {{route}}',
        },
      ],
    },
    {
      title: 'Global rate limits',
      description: 'Global rate limits in each interval: every REST call of the bot waits while one lasts.',
      type: 'timeseries',
      unit: 'short',
      width: 24,
      thresholds: [{ value: 1, color: 'red' }],
      queries: [{ expr: `sum(increase(${sel(n.rateLimits, 'scope="global"')}[${RATE}]))`, legend: 'global' }],
    },
  ],
);

export const HEALTH = board(
  'argus-health',
  'Argus — Health',
  "Argus' own health and the process: subsystems, swallowed errors, analytics, memory and CPU.",
  [
    argusUp,
    {
      title: 'Subsystems',
      description: '1 while the Argus subsystem is healthy (only enabled subsystems are reported).',
      type: 'state-timeline',
      unit: 'none',
      width: 20,
      base: 'red',
      thresholds: [{ value: 1, color: 'green' }],
      queries: [{ expr: `min by (subsystem) (${sel(n.subsystemUp)})`, legend: '{{subsystem}}' }],
    },
    {
      title: 'Instrumentation errors by hook',
      description:
        'Errors Argus caught and swallowed, per second. Anything above 0 is a bug worth reporting.',
      type: 'timeseries',
      unit: 'ops',
      thresholds: [{ value: 0.0001, color: 'red' }],
      queries: [
        { expr: `sum by (hook) (rate(${sel(n.instrumentationErrors)}[${RATE}]))`, legend: '{{hook}}' },
      ],
    },
    {
      title: 'Label values folded into "other"',
      description:
        'New label values past the per-metric cap, per second: a sign of unbounded command or route names.',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum(rate(${sel(n.labelValuesFolded)}[${RATE}]))`, legend: 'folded' }],
    },
    {
      title: 'Timers evicted',
      description: 'In-flight timers dropped at the cap (latency under-counted), per second.',
      type: 'timeseries',
      unit: 'ops',
      queries: [{ expr: `sum by (cluster) (rate(${sel(n.timersEvicted)}[${RATE}]))`, legend: '{{cluster}}' }],
    },
    {
      title: 'Analytics events written and queued',
      description:
        'Per-guild analytics events stored in ClickHouse per second, and the queue waiting to be written.',
      type: 'timeseries',
      unit: 'short',
      queries: [
        {
          expr: `sum by (cluster) (rate(${sel(n.eventsWritten)}[${RATE}]))`,
          legend: '{{cluster}} written/s',
        },
        { expr: `sum by (cluster) (${sel(n.historyQueued)})`, legend: '{{cluster}} queued' },
      ],
    },
    {
      title: 'Analytics events dropped',
      description: 'Per-guild analytics events dropped per second, by reason (overflow, shutdown).',
      type: 'timeseries',
      unit: 'ops',
      thresholds: [{ value: 0.0001, color: 'red' }],
      queries: [{ expr: `sum by (reason) (rate(${sel(n.eventsDropped)}[${RATE}]))`, legend: '{{reason}}' }],
    },
    eventLoop,
    residentMemory,
    {
      title: 'CPU',
      description: 'CPU time per second of wall time (1 = one full core).',
      type: 'timeseries',
      unit: 'percentunit',
      queries: [
        { expr: withCluster(`rate(process_cpu_seconds_total[${RATE}])`), legend: '{{cluster}} {{instance}}' },
      ],
    },
    {
      title: 'Heap used',
      description: 'V8 heap in use.',
      type: 'timeseries',
      unit: 'bytes',
      queries: [{ expr: withCluster('nodejs_heap_size_used_bytes'), legend: '{{cluster}} {{instance}}' }],
    },
  ],
);
