// The analytical path (invariant 7) as argus() wires it: @argus/clickhouse's ClickHouseSink (the
// one sink, the one the benchmarks measure), loaded only when per-guild analytics is on. The
// package loads in the background; until it has, events wait in a bounded list and are handed to
// the sink in order. The sink opens its engine at the first write and retries a failure to open
// like a failed write, so nothing here can hold up the bot.

import { createRequire } from 'node:module';
import {
  type AnalyticsSource,
  type ArgusConfig,
  type ArgusEvent,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type DropReason,
  type EventSink,
  type FailOpenGuard,
  type HealthState,
  type Logger,
  type SinkCloseReport,
  withTimeout,
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
type ClickHouseSink = InstanceType<ClickHouseModule['ClickHouseSink']>;

/** How long a failed load of @argus/clickhouse waits before the next try. */
const RELOAD_MS = 5_000;

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
  const capacity = config.historyQueueCapacity;
  let closed = false;
  let sink: ClickHouseSink | undefined;
  let clickhouseModule: ClickHouseModule | undefined;
  let loading: Promise<ClickHouseSink | undefined> | undefined;
  // Events recorded before the package loaded, and what did not fit.
  let early: ArgusEvent[] = [];
  let earlyDropped = 0;

  const safeDrop = (reason: DropReason, count: number) => {
    try {
      hooks.onDrop(reason, count);
    } catch {}
  };

  const makeSink = (clickhouse: ClickHouseModule): ClickHouseSink =>
    new clickhouse.ClickHouseSink({
      ...hooks.retry,
      engine: async () => {
        const engine = await clickhouse.createEngine(dsn);
        logger.info(`per-guild analytics: events go to ${describeDsn(dsn)}, table ${config.clickhouseTable}`);
        return engine;
      },
      table: config.clickhouseTable,
      createTable: config.clickhouseCreateTable,
      ...(config.clickhouseTtlDays !== undefined ? { ttlDays: config.clickhouseTtlDays } : {}),
      capacity,
      batchSize: config.historyBatchSize,
      flushIntervalMs: config.historyFlushInterval * 1000,
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

  const start = (): Promise<ClickHouseSink | undefined> => {
    if (loading) return loading;
    const attempt = load()
      .then((clickhouse) => {
        if (closed) return undefined;
        clickhouseModule = clickhouse;
        const made = makeSink(clickhouse);
        for (const event of early) made.record(event);
        early = [];
        sink = made;
        // Open early so a wrong DSN or an old server is reported at start, not at the first flush.
        made.ready().catch((error: unknown) => guard.report('history:open', error));
        return made;
      })
      // Loading the package or making the sink failed: counted, logged, tried again later.
      .catch((error: unknown) => {
        guard.report('history:open', error);
        if (loading === attempt) loading = undefined;
        if (!closed) setTimeout(() => void start(), RELOAD_MS).unref();
        return undefined;
      });
    loading = attempt;
    return attempt;
  };

  health.enable('sink', true);
  void start();

  const front: EventSink<ArgusEvent> = {
    record(event) {
      if (sink) return sink.record(event);
      if (closed || early.length >= capacity) {
        earlyDropped++;
        safeDrop(closed ? 'shutdown' : 'overflow', 1);
        return;
      }
      early.push(event);
    },
    close: (deadlineMs) => close(deadlineMs ?? 5_000),
  };

  const stats = (): BatchingSinkStats => {
    const s = sink?.stats() ?? {
      produced: early.length,
      written: 0,
      dropped: 0,
      queued: early.length,
      circuitOpen: false,
      consecutiveFailures: 0,
    };
    return { ...s, produced: s.produced + earlyDropped, dropped: s.dropped + earlyDropped };
  };

  // Queries wait for the engine like writes do; a failure to open answers as a store failure.
  let queries: Promise<AnalyticsSource> | undefined;
  const analyticsSource = (): Promise<AnalyticsSource> => {
    if (!queries) {
      const made = (async () => {
        const current = sink ?? (await start());
        if (!current || !clickhouseModule)
          throw new Error('per-guild analytics is not available: @argus/clickhouse did not load');
        const engine = await current.ready();
        return new clickhouseModule.AnalyticsQueries(engine, { table: config.clickhouseTable });
      })();
      queries = made;
      made.catch(() => {
        if (queries === made) queries = undefined;
      });
    }
    return queries;
  };
  const analytics: AnalyticsSource = {
    interactionVolume: async (query) => (await analyticsSource()).interactionVolume(query),
    topCommands: async (query) => (await analyticsSource()).topCommands(query),
    commandStats: async (query) => (await analyticsSource()).commandStats(query),
    overall: async (query) => (await analyticsSource()).overall(query),
    responseShare: async (query) => (await analyticsSource()).responseShare(query),
    topGuilds: async (query) => (await analyticsSource()).topGuilds(query),
  };

  async function close(deadlineMs: number): Promise<SinkCloseReport> {
    const deadline = Date.now() + deadlineMs;
    closed = true;
    if (!sink && loading) await withTimeout(loading, deadlineMs, 'loading @argus/clickhouse').catch(() => {});
    let report: SinkCloseReport;
    if (sink) {
      report = await sink.close(Math.max(0, deadline - Date.now()));
    } else {
      // The package never loaded: what waited for it is dropped, and said so.
      report = { flushed: 0, unflushed: early.length };
      earlyDropped += early.length;
      if (early.length > 0) safeDrop('shutdown', early.length);
      early = [];
    }
    if (report.unflushed > 0)
      logger.warn(
        `per-guild analytics: ${report.unflushed} events could not be written before shutdown (counted as dropped)`,
      );
    return report;
  }

  return { sink: front, analytics, stats, close };
}
