// The analytical path (invariant 7) as argus() wires it: a bounded queue on the bot's side, and
// @argus/clickhouse loaded only when per-guild analytics is on. The queue exists from the first
// event; the engine is opened in the background and a failure to open it is retried like a
// failed write, so nothing here can hold up the bot.

import { createRequire } from 'node:module';
import {
  type AnalyticsSource,
  type ArgusConfig,
  type ArgusEvent,
  BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type DropReason,
  type EventSink,
  type FailOpenGuard,
  type HealthState,
  type Logger,
  type SinkCloseReport,
} from '@argus/core';
import { isInstalled, MissingPackageError } from './optional';

/** What argus() keeps of the analytical path. */
export interface History {
  readonly sink: EventSink<ArgusEvent>;
  readonly analytics: AnalyticsSource;
  stats(): BatchingSinkStats;
  /** Flushes what it can within `deadlineMs`, then closes the engine. */
  close(deadlineMs: number): Promise<SinkCloseReport>;
}

/** Retry tuning of the analytics sink (see core's BatchingSinkOptions). */
export type HistoryRetry = Pick<
  BatchingSinkOptions<ArgusEvent>,
  'backoffMs' | 'maxBackoffMs' | 'circuitThreshold' | 'circuitCooldownMs'
>;

/** How many batches one insert may carry when the queue is backed up. */
const BACKLOG_BATCHES = 10;

export interface HistoryHooks {
  health: HealthState;
  guard: FailOpenGuard;
  logger: Logger;
  onDrop(reason: DropReason, count: number): void;
  onWritten(count: number): void;
  retry?: HistoryRetry;
  /** How @argus/clickhouse is loaded; tests replace it. */
  load?: () => Promise<ClickHouseModule>;
}

type ClickHouseModule = typeof import('@argus/clickhouse');
type Engine = Awaited<ReturnType<ClickHouseModule['createEngine']>>;

interface Opened {
  engine: Engine;
  write(batch: ArgusEvent[]): Promise<unknown>;
  isRefusal(error: unknown): boolean;
  queries: AnalyticsSource;
}

/** `embedded`, `embedded:<dir>` or a directory: anything that is not an http(s) URL. */
export function isEmbeddedDsn(dsn: string): boolean {
  return !/^https?:\/\//i.test(dsn.trim());
}

/** The DSN as a log line may show it. */
export function describeDsn(dsn: string): string {
  if (isEmbeddedDsn(dsn)) return `embedded ClickHouse (${dsn.trim()})`;
  // Origin and path only: credentials may sit in the user info or in the query string.
  try {
    const url = new URL(dsn.trim());
    return `ClickHouse at ${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'ClickHouse (unparsable URL)';
  }
}

/** Whether chdb can be loaded from where @argus/clickhouse is installed (it is that package's peer). */
function chdbInstalled(): boolean {
  try {
    const here = createRequire(import.meta.url);
    return isInstalled('chdb', createRequire(here.resolve('@argus/clickhouse')));
  } catch {
    return false;
  }
}

/**
 * Fails at start, like any bad option, when a package the analytics path needs is missing:
 * @argus/clickhouse always, chdb for an embedded DSN.
 */
export function checkHistoryPackages(config: ArgusConfig): void {
  if (!isInstalled('@argus/clickhouse'))
    throw new MissingPackageError('enablePerGuild', 'ARGUS_ENABLE_PER_GUILD', '@argus/clickhouse');
  if (isEmbeddedDsn(config.clickhouseDsn ?? '') && !chdbInstalled())
    throw new MissingPackageError('clickhouseDsn', 'ARGUS_CLICKHOUSE_DSN', 'chdb');
}

export function createHistory(config: ArgusConfig, hooks: HistoryHooks): History {
  const dsn = config.clickhouseDsn!;
  const load = hooks.load ?? (() => import('@argus/clickhouse'));
  const { health, guard, logger } = hooks;
  let closed = false;
  let opening: Promise<Opened> | undefined;
  let opened: Opened | undefined;

  const open = (): Promise<Opened> => {
    if (opening) return opening;
    const attempt = (async () => {
      const clickhouse = await load();
      const engine = await clickhouse.createEngine(dsn);
      if (closed) {
        await engine.close();
        throw new Error('per-guild analytics is closed');
      }
      // The table exists before the first query, not only after the first write.
      if (config.clickhouseCreateTable) {
        try {
          await clickhouse.ensureSchema(engine, {
            table: config.clickhouseTable,
            ...(config.clickhouseTtlDays !== undefined ? { ttlDays: config.clickhouseTtlDays } : {}),
          });
        } catch (error) {
          await engine.close().catch(() => {});
          throw error;
        }
      }
      const writer = new clickhouse.ClickHouseWriter({
        engine,
        table: config.clickhouseTable,
        // Done above when wanted.
        createTable: false,
        ...(config.clickhouseTtlDays !== undefined ? { ttlDays: config.clickhouseTtlDays } : {}),
      });
      const queries = new clickhouse.AnalyticsQueries(engine, { table: config.clickhouseTable });
      logger.info(`per-guild analytics: events go to ${describeDsn(dsn)}, table ${config.clickhouseTable}`);
      return {
        engine,
        write: (batch: ArgusEvent[]) => writer.write(batch),
        isRefusal: clickhouse.isClickHouseRefusal,
        queries,
      };
    })();
    opening = attempt;
    attempt.then(
      (value) => {
        opened = value;
      },
      () => {},
    );
    // A failed open (package, engine, server) is forgotten so the next write tries again.
    attempt.catch(() => {
      if (opening === attempt) opening = undefined;
    });
    return attempt;
  };

  health.enable('sink', true);
  const batching = new BatchingSink<ArgusEvent>({
    ...hooks.retry,
    capacity: config.historyQueueCapacity,
    batchSize: config.historyBatchSize,
    // A backlog (a burst, or ClickHouse back after an outage) drains up to ten batches per insert.
    maxBatchSize: Math.min(config.historyQueueCapacity, config.historyBatchSize * BACKLOG_BATCHES),
    flushIntervalMs: config.historyFlushInterval * 1000,
    write: async (batch) => (await open()).write(batch),
    // A refusal comes from an insert, so from an engine that is open.
    isRefusal: (error) => opened?.isRefusal(error) ?? false,
    onDrop: hooks.onDrop,
    onWritten: hooks.onWritten,
    onHealth: (up) => {
      health.set('sink', up);
      if (up) logger.info('per-guild analytics: ClickHouse answers again; queued events are being written');
      else
        logger.warn(
          'per-guild analytics: ClickHouse keeps failing; events are queued and retried while they fit',
        );
    },
    onError: (error) => guard.report('history:write', error),
  });

  // Open early so a wrong DSN or an old server is reported at start, not at the first flush.
  void open().catch((error: unknown) => guard.report('history:open', error));

  // Queries wait for the engine like writes do; a failure to open answers as a store failure.
  const analytics: AnalyticsSource = {
    interactionVolume: async (query) => (await open()).queries.interactionVolume(query),
    topCommands: async (query) => (await open()).queries.topCommands(query),
    commandStats: async (query) => (await open()).queries.commandStats(query),
    overall: async (query) => (await open()).queries.overall(query),
    responseShare: async (query) => (await open()).queries.responseShare(query),
    topGuilds: async (query) => (await open()).queries.topGuilds(query),
  };

  return {
    sink: batching,
    analytics,
    stats: () => batching.stats(),
    async close(deadlineMs) {
      const report = await batching.close(deadlineMs);
      closed = true;
      const pending = opening;
      if (pending) {
        try {
          const { engine } = await pending;
          await Promise.race([engine.close(), new Promise((r) => setTimeout(r, 1_000).unref())]);
        } catch {
          // Never opened, or closing failed: nothing more to release.
        }
      }
      if (report.unflushed > 0)
        logger.warn(
          `per-guild analytics: ${report.unflushed} events could not be written before shutdown (counted as dropped)`,
        );
      return report;
    },
  };
}
