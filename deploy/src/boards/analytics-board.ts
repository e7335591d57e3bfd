// Per-guild analytics on the ClickHouse data source (the grafana-clickhouse-datasource plugin),
// over the events table @argus/clickhouse writes. Guild ids live here and never in Prometheus.

import { type BoardSpec, DATASOURCE_VARIABLE, grafanaVar } from './grafana';

/** Rows of the selected clusters in the board's time range. */
const WHERE = `$__timeFilter(time) AND cluster IN (${grafanaVar('cluster', 'singlequote')})`;
const FROM = grafanaVar('table');

export const ANALYTICS: BoardSpec = {
  uid: 'argus-analytics',
  title: 'Argus — Analytics',
  description:
    'Per-guild analytics from ClickHouse: busiest guilds, command usage and outcomes, the 3 s deadline per guild.',
  datasource: 'clickhouse',
  variables: [
    DATASOURCE_VARIABLE('clickhouse'),
    {
      name: 'table',
      label: 'Events table',
      json: {
        type: 'textbox',
        query: 'argus_events',
        current: { text: 'argus_events', value: 'argus_events' },
        description: 'The events table (ARGUS_CLICKHOUSE_TABLE).',
        hide: 0,
      },
    },
    {
      name: 'cluster',
      label: 'Cluster',
      json: {
        type: 'query',
        datasource: { type: 'grafana-clickhouse-datasource', uid: grafanaVar('datasource') },
        query: `SELECT DISTINCT cluster FROM ${FROM} ORDER BY cluster`,
        definition: `SELECT DISTINCT cluster FROM ${FROM} ORDER BY cluster`,
        multi: true,
        includeAll: true,
        current: { text: 'All', value: '$__all' },
        refresh: 2,
        hide: 0,
      },
    },
  ],
  panels: [
    {
      title: 'Interactions over time',
      description: 'Interactions per minute, all guilds.',
      type: 'timeseries',
      unit: 'short',
      width: 24,
      queries: [
        {
          expr: `SELECT toStartOfMinute(time) AS t, count() AS interactions FROM ${FROM} WHERE event = 'interaction' AND ${WHERE} GROUP BY t ORDER BY t`,
        },
      ],
    },
    {
      title: 'Busiest guilds',
      description: 'The 20 guilds with the most interactions, with their command counts and errors.',
      type: 'table',
      unit: 'short',
      queries: [
        {
          expr: `SELECT guild_id, countIf(event = 'interaction') AS interactions, countIf(event = 'command') AS commands, countIf(event = 'command' AND status = 'error') AS errors FROM ${FROM} WHERE guild_id != '' AND ${WHERE} GROUP BY guild_id ORDER BY interactions DESC LIMIT 20`,
        },
      ],
    },
    {
      title: 'Commands',
      description: 'Invocations, error share and p95 duration per command.',
      type: 'table',
      unit: 'short',
      queries: [
        {
          expr: `SELECT command, count() AS invocations, countIf(status = 'error') / count() AS error_share, quantile(0.95)(duration_ms) / 1000 AS p95_seconds FROM ${FROM} WHERE event = 'command' AND ${WHERE} GROUP BY command ORDER BY invocations DESC`,
        },
      ],
    },
    {
      title: 'Guilds missing the 3 s deadline',
      description: 'Guilds whose interactions most often got no answer within 3 s.',
      type: 'table',
      unit: 'percentunit',
      thresholds: [
        { value: 0.01, color: 'orange' },
        { value: 0.05, color: 'red' },
      ],
      queries: [
        {
          expr: `SELECT guild_id, count() AS interactions, countIf(response_ms IS NULL OR response_ms > 3000) / count() AS missed_share FROM ${FROM} WHERE event = 'interaction' AND guild_id != '' AND ${WHERE} GROUP BY guild_id ORDER BY missed_share DESC, interactions DESC LIMIT 20`,
        },
      ],
    },
    {
      title: 'Command errors by type',
      description: 'Failed commands per error type.',
      type: 'table',
      unit: 'short',
      queries: [
        {
          expr: `SELECT command, error_type, count() AS errors FROM ${FROM} WHERE event = 'command' AND status = 'error' AND ${WHERE} GROUP BY command, error_type ORDER BY errors DESC LIMIT 50`,
        },
      ],
    },
  ],
};
