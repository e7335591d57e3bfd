// `clickhouse()`: per-guild analytics as an adapter value for argus(). The sink opens its
// engine at the first write and retries like a failed write, so nothing here holds up the bot.
import {
  type AdapterRuntime,
  type AnalyticsSource,
  defineHistoryQueueGauge,
  PerGuildRecorder,
} from '@argus/core';
import { createEngine } from './create';
import { AnalyticsQueries } from './queries';
import { validateTableName, validateTtlDays } from './schema';
import { ClickHouseSink } from './sink';
import type { ClickHouseAnalytics, ClickHouseOptions } from './types';

/** Per-guild analytics in ClickHouse: `argus(client, { analytics: clickhouse({ dsn: 'embedded' }) })`. */
export function clickhouse(options: ClickHouseOptions): ClickHouseAnalytics {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('clickhouse() takes an options object, e.g. { dsn: "embedded" }');
  if (typeof options.dsn !== 'string' || options.dsn.trim() === '')
    throw new TypeError(
      `clickhouse() option dsn must be a non-empty string, got ${JSON.stringify(options.dsn)}`,
    );
  if (options.table !== undefined) validateTableName(options.table);
  validateTtlDays(options.ttlDays);
  const positive = (name: 'capacity' | 'batchSize' | 'flushIntervalMs') => {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      throw new RangeError(
        `clickhouse() option ${name} must be a positive integer, got ${JSON.stringify(value)}`,
      );
  };
  positive('capacity');
  positive('batchSize');
  positive('flushIntervalMs');
  const dsn = options.dsn.trim();

  return {
    kind: 'clickhouse',
    role: 'analytics',
    start({ config, registry, catalogue, health, guard, logger, clusterId }): AdapterRuntime {
      const table = options.table ?? config.clickhouseTable;
      const dropped = catalogue.eventsDropped;
      const written = catalogue.eventsWritten.labels();
      const ttlDays = options.ttlDays ?? config.clickhouseTtlDays;
      const sink = new ClickHouseSink({
        engine: () => createEngine(dsn),
        table,
        createTable: options.createTable ?? config.clickhouseCreateTable,
        ...(ttlDays !== undefined ? { ttlDays } : {}),
        capacity: options.capacity ?? config.historyQueueCapacity,
        batchSize: options.batchSize ?? config.historyBatchSize,
        flushIntervalMs: options.flushIntervalMs ?? config.historyFlushInterval * 1000,
        onDrop: (reason, count) => dropped.labels(reason).inc(count),
        onWritten: (count) => written.inc(count),
        onHealth: (up) => {
          health.set('sink', up);
          if (up)
            logger.info('per-guild analytics: ClickHouse answers again; queued events are being written');
          else
            logger.warn(
              'per-guild analytics: ClickHouse keeps failing; events are queued and retried while they fit',
            );
        },
        onError: (error) => guard.report('history:write', error),
      });
      health.enable('sink', true);
      defineHistoryQueueGauge(registry, config.namespace, () => sink.stats().queued);
      // Open early so a wrong DSN or an old server is reported at start, not at the first flush.
      sink.ready().catch((error: unknown) => guard.report('history:open', error));
      if (config.dashboardAuthToken === undefined)
        logger.warn(
          'per-guild analytics is recording, but /api/analytics/* answers 403 until a dashboard token is set (ARGUS_DASHBOARD_AUTH_TOKEN)',
        );

      let queries: Promise<AnalyticsQueries> | undefined;
      const open = (): Promise<AnalyticsQueries> => {
        if (!queries) {
          const made = sink.ready().then((engine) => new AnalyticsQueries(engine, { table }));
          queries = made;
          made.catch(() => {
            if (queries === made) queries = undefined;
          });
        }
        return queries;
      };
      const analytics: AnalyticsSource = {
        interactionVolume: async (query) => (await open()).interactionVolume(query),
        topCommands: async (query) => (await open()).topCommands(query),
        commandStats: async (query) => (await open()).commandStats(query),
        overall: async (query) => (await open()).overall(query),
        responseShare: async (query) => (await open()).responseShare(query),
        topGuilds: async (query) => (await open()).topGuilds(query),
      };
      return {
        subscribers: [new PerGuildRecorder(sink, clusterId)],
        analytics,
        close: async (deadlineMs) => {
          const report = await sink.close(deadlineMs);
          if (report.unflushed > 0)
            logger.warn(
              `per-guild analytics: ${report.unflushed} events could not be written before shutdown (counted as dropped)`,
            );
        },
      };
    },
  };
}
