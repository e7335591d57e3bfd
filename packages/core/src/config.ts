import { readFileSync } from 'node:fs';
import { workerData as threadWorkerData } from 'node:worker_threads';
import type { LogFormat } from './logger';

/** Options a bot passes to `argus(client, options)`. Each has an `ARGUS_*` variable. */
export interface ArgusOptions extends ShardingChildOptions, AlertingOptions {
  /** Port of the metrics/dashboard server. Env: ARGUS_PORT, then SERVER_PORT, then PORT. Default 9191. */
  port?: number;
  /** Bind address. Env: ARGUS_HOST, then SERVER_IP. Default 0.0.0.0. */
  host?: string;
  /** Env: ARGUS_METRICS_PATH. Default /metrics. */
  metricsPath?: string;
  /** Value of the `cluster` label. Env: ARGUS_CLUSTER_ID. Default "default". */
  clusterId?: string;
  /** Prefix of the bot metrics (`argus_*` self-metrics are never prefixed). Env: ARGUS_NAMESPACE. Default discord. */
  namespace?: string;
  /** Per-guild events to the analytics sink. Env: ARGUS_ENABLE_PER_GUILD. Default false. */
  enablePerGuild?: boolean;
  /** Cap of each in-flight timer map. Env: ARGUS_TIMER_CAP. Default 10000. */
  timerCap?: number;
  /** Distinct values per label of one metric before new ones fold into "other". Env: ARGUS_LABEL_VALUE_CAP. Default 300. */
  labelValueCap?: number;
  /** Node.js process metrics from prom-client. Env: ARGUS_PROCESS_METRICS. Default true. */
  processMetrics?: boolean;
  /** OTLP/HTTP endpoint for metric push. Env: ARGUS_OTLP_ENDPOINT. */
  otlpEndpoint?: string;
  /** Env: ARGUS_ENABLE_TRACING. Default false. */
  enableTracing?: boolean;
  /**
   * OTLP/HTTP endpoint for traces: a base URL (`/v1/traces` is appended unless the path already
   * ends with it). Env: ARGUS_TRACING_ENDPOINT, then OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as
   * is), then OTEL_EXPORTER_OTLP_ENDPOINT. Falls back to otlpEndpoint. Used only when the bot
   * registered no OpenTelemetry tracer provider of its own.
   */
  tracingEndpoint?: string;
  /**
   * Headers for the trace exporter, `key=value,key2=value2` (values URL-encoded) or an object.
   * Env: ARGUS_TRACING_HEADERS, then OTEL_EXPORTER_OTLP_TRACES_HEADERS, then OTEL_EXPORTER_OTLP_HEADERS.
   */
  tracingHeaders?: string | Readonly<Record<string, string>>;
  /** Share of ordinary traces kept, 0..1; errors and missed deadlines are always kept. Env: ARGUS_TRACING_SAMPLE_RATIO. Default 1. */
  tracingSampleRatio?: number;
  /** `discord.guild.id` on spans. Env: ARGUS_TRACING_GUILD_IDS. Default true. */
  tracingGuildIds?: boolean;
  /** `discord.channel.id` on spans. Env: ARGUS_TRACING_CHANNEL_IDS. Default true. */
  tracingChannelIds?: boolean;
  /** `discord.user.id` on spans (personal data). Env: ARGUS_TRACING_USER_IDS. Default false. */
  tracingUserIds?: boolean;
  /** Resource `service.name` of the SDK Argus starts. Env: ARGUS_TRACING_SERVICE_NAME, then OTEL_SERVICE_NAME. Default discord-bot. */
  tracingServiceName?: string;
  /** A trace viewer URL with `{traceId}` in it, for links from the dashboard. Env: ARGUS_TRACING_UI_URL. */
  tracingUiUrl?: string;
  /** Env: ARGUS_PUSHGATEWAY_URL. */
  pushgatewayUrl?: string;
  /** Env: ARGUS_PUSHGATEWAY_JOB. Default argus. */
  pushgatewayJob?: string;
  /** Seconds between pushes. Env: ARGUS_PUSHGATEWAY_INTERVAL. Default 15. */
  pushgatewayInterval?: number;
  /** Env: ARGUS_PUSHGATEWAY_USERNAME. */
  pushgatewayUsername?: string;
  /** Env: ARGUS_PUSHGATEWAY_PASSWORD (or ARGUS_PUSHGATEWAY_PASSWORD_FILE). */
  pushgatewayPassword?: string;
  /** Serve the dashboard and /api/*. Env: ARGUS_DASHBOARD. Default true. */
  dashboard?: boolean;
  /** Env: ARGUS_DASHBOARD_PATH. Default /. */
  dashboardPath?: string;
  /** Seconds between dashboard updates. Env: ARGUS_DASHBOARD_INTERVAL. Default 5. */
  dashboardInterval?: number;
  /** Concurrent dashboard streams (SSE) before new ones get 503. Env: ARGUS_DASHBOARD_MAX_STREAMS. Default 100. */
  dashboardMaxStreams?: number;
  /** Bearer token for the dashboard and /api/*. Env: ARGUS_DASHBOARD_AUTH_TOKEN or ARGUS_DASHBOARD_AUTH_TOKEN_FILE. */
  dashboardAuthToken?: string;
  /** Bearer token for the metrics path only. Env: ARGUS_METRICS_AUTH_TOKEN or ARGUS_METRICS_AUTH_TOKEN_FILE. */
  metricsAuthToken?: string;
  /** Env: ARGUS_GRAFANA_URL. */
  grafanaUrl?: string;
  /** Env: ARGUS_LOG_FORMAT (text or json). Default text. */
  logFormat?: LogFormat;
  /**
   * Where per-guild events go: an http(s):// ClickHouse URL (credentials in the URL), "embedded"
   * (in-process engine in ./.argus/clickhouse, needs the chdb package), "embedded:<dir>" or a
   * directory. Env: ARGUS_CLICKHOUSE_DSN or ARGUS_CLICKHOUSE_DSN_FILE.
   */
  clickhouseDsn?: string;
  /** Events table. Env: ARGUS_CLICKHOUSE_TABLE. Default argus_events. */
  clickhouseTable?: string;
  /** Retention of a table Argus creates, in days. Env: ARGUS_CLICKHOUSE_TTL_DAYS. Default: kept forever. */
  clickhouseTtlDays?: number;
  /** Create the events table on first connect; off when it is managed elsewhere. Env: ARGUS_CLICKHOUSE_CREATE_TABLE. Default true. */
  clickhouseCreateTable?: boolean;
  /** Per-guild events held in memory while ClickHouse is slow or down; past it they are dropped and counted. Env: ARGUS_HISTORY_QUEUE_CAPACITY. Default 20000. */
  historyQueueCapacity?: number;
  /** Events per insert. Env: ARGUS_HISTORY_BATCH_SIZE. Default 1000. */
  historyBatchSize?: number;
  /** Seconds between inserts when fewer than a batch are queued. Env: ARGUS_HISTORY_FLUSH_INTERVAL. Default 2. */
  historyFlushInterval?: number;
  /** Start the server when the client is ready, or at once. Env: ARGUS_SERVER_START. Default ready. */
  serverStart?: 'ready' | 'immediate';
}

/** The resolved, validated configuration. Frozen. */
export interface ArgusConfig extends ShardingChildConfig, AlertingConfig {
  readonly port: number;
  readonly host: string;
  readonly metricsPath: string;
  readonly clusterId: string;
  readonly namespace: string;
  readonly enablePerGuild: boolean;
  readonly timerCap: number;
  readonly labelValueCap: number;
  readonly processMetrics: boolean;
  readonly otlpEndpoint: string | undefined;
  readonly enableTracing: boolean;
  /** The full traces URL (`…/v1/traces`). */
  readonly tracingEndpoint: string | undefined;
  readonly tracingHeaders: Readonly<Record<string, string>> | undefined;
  readonly tracingSampleRatio: number;
  readonly tracingGuildIds: boolean;
  readonly tracingChannelIds: boolean;
  readonly tracingUserIds: boolean;
  readonly tracingServiceName: string;
  readonly tracingUiUrl: string | undefined;
  readonly pushgatewayUrl: string | undefined;
  readonly pushgatewayJob: string;
  readonly pushgatewayInterval: number;
  readonly pushgatewayUsername: string | undefined;
  readonly pushgatewayPassword: string | undefined;
  readonly dashboard: boolean;
  readonly dashboardPath: string;
  readonly dashboardInterval: number;
  readonly dashboardMaxStreams: number;
  readonly dashboardAuthToken: string | undefined;
  readonly metricsAuthToken: string | undefined;
  readonly grafanaUrl: string | undefined;
  readonly logFormat: LogFormat;
  readonly clickhouseDsn: string | undefined;
  readonly clickhouseTable: string;
  readonly clickhouseTtlDays: number | undefined;
  readonly clickhouseCreateTable: boolean;
  readonly historyQueueCapacity: number;
  readonly historyBatchSize: number;
  readonly historyFlushInterval: number;
  readonly serverStart: 'ready' | 'immediate';
}

export interface ConfigProblem {
  option: string;
  envVar: string;
  /** The offending value as given, or "<redacted>" for secrets. */
  value: string;
  reason: string;
}

/** Every invalid value at once, each naming the option, its variable and the bad value. */
export class ArgusConfigError extends Error {
  override readonly name = 'ArgusConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid Argus configuration:\n${problems
        .map((p) => `  - ${p.option} (env ${p.envVar}) = ${p.value}: ${p.reason}`)
        .join('\n')}`,
    );
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

type Kind =
  | 'port'
  | 'int'
  | 'bool'
  | 'string'
  | 'path'
  | 'url'
  | 'secret'
  | 'enum'
  | 'namespace'
  | 'dsn'
  | 'identifier'
  | 'ratio'
  | 'headers';

interface Spec {
  env: readonly string[];
  kind: Kind;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** `<ENV>_FILE` holds the value (Docker/Kubernetes secrets). */
  file?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Sharded bots (issue 12): a child of discord.js' ShardingManager or of discord-hybrid-sharding's
// ClusterManager is recognised from what its manager hands it (variables, or workerData in worker
// mode), never by importing the manager's package.
// ---------------------------------------------------------------------------------------------

/** Options of a bot that runs as one child of a sharding manager. */
export interface ShardingChildOptions {
  /** Under a manager, send this child's metrics to the manager (needs @argus/sharding). Env: ARGUS_REPORT_TO_MANAGER. Default true. */
  reportToManager?: boolean;
  /** Milliseconds between two reports to the manager. Env: ARGUS_REPORT_INTERVAL_MS. Default 5000. */
  reportIntervalMs?: number;
  /**
   * Under a manager, also serve this child's own HTTP server, on `port + 1 + child index`, so the
   * manager keeps `port` and one variable places the whole fleet (the plan the manager's
   * service-discovery list follows). Env: ARGUS_CHILD_SERVER. Default false.
   */
  childServer?: boolean;
}

/** Which manager started this process, and which child of it this is. */
export interface ManagedChild {
  readonly manager: 'discordjs' | 'hybrid';
  readonly mode: 'process' | 'worker';
  /** The child's number: the shard id (ShardingManager) or the cluster id (hybrid-sharding). */
  readonly index: number;
  /** How many children the manager runs, when it says. */
  readonly count: number | undefined;
}

export interface ShardingChildConfig {
  readonly reportToManager: boolean;
  readonly reportIntervalMs: number;
  readonly childServer: boolean;
  /** Set when this process runs under a sharding manager. */
  readonly managedChild: ManagedChild | undefined;
}

const SHARDING_SPECS: Record<keyof ShardingChildOptions, Spec> = {
  reportToManager: { env: ['ARGUS_REPORT_TO_MANAGER'], kind: 'bool' },
  reportIntervalMs: { env: ['ARGUS_REPORT_INTERVAL_MS'], kind: 'int', min: 100, max: 60_000 },
  childServer: { env: ['ARGUS_CHILD_SERVER'], kind: 'bool' },
};

const SHARDING_DEFAULTS = {
  reportToManager: true,
  reportIntervalMs: 5_000,
  childServer: false,
} as const;

// ---------------------------------------------------------------------------------------------
// Alerts in the bot (issue 13): @argus/alerts' rules evaluated in-process, notifications to a
// Discord webhook. The webhook URL holds its token, so it is a secret (redacted, `_FILE`).
// ---------------------------------------------------------------------------------------------

export interface AlertingOptions {
  /** Evaluate Argus' alert rules inside the bot (dashboard, webhook). Env: ARGUS_ALERTS. Default true. */
  alerts?: boolean;
  /** Seconds between two evaluations. Env: ARGUS_ALERT_INTERVAL. Default 15, like Prometheus. */
  alertInterval?: number;
  /**
   * A Discord webhook URL (`https://discord.com/api/webhooks/<id>/<token>`) that receives alerts
   * firing and resolving, and the command error digest. Env: ARGUS_ALERT_WEBHOOK_URL or
   * ARGUS_ALERT_WEBHOOK_URL_FILE. Default none.
   */
  alertWebhookUrl?: string;
  /** Seconds before an alert still firing is announced again. Env: ARGUS_ALERT_REPEAT_INTERVAL. Default 14400 (4 h). */
  alertRepeatInterval?: number;
  /** Seconds between two command error digests (at most one per interval). Env: ARGUS_ERROR_DIGEST_INTERVAL. Default 300. */
  errorDigestInterval?: number;
  /** Where alert messages link to: the dashboard as the operator reaches it. Env: ARGUS_ALERT_DASHBOARD_URL. Default none. */
  alertDashboardUrl?: string;
  /**
   * Any URL that takes Alertmanager's webhook payload (JSON), for other tools. Env:
   * ARGUS_ALERT_JSON_WEBHOOK_URL or ARGUS_ALERT_JSON_WEBHOOK_URL_FILE. Default none.
   */
  alertJsonWebhookUrl?: string;
}

export interface AlertingConfig {
  readonly alerts: boolean;
  readonly alertInterval: number;
  readonly alertWebhookUrl: string | undefined;
  readonly alertRepeatInterval: number;
  readonly errorDigestInterval: number;
  readonly alertDashboardUrl: string | undefined;
  readonly alertJsonWebhookUrl: string | undefined;
}

const ALERTING_SPECS: Record<keyof AlertingOptions, Spec> = {
  alerts: { env: ['ARGUS_ALERTS'], kind: 'bool' },
  alertInterval: { env: ['ARGUS_ALERT_INTERVAL'], kind: 'int', min: 1, max: 3_600 },
  alertWebhookUrl: { env: ['ARGUS_ALERT_WEBHOOK_URL'], kind: 'secret', file: true },
  alertRepeatInterval: { env: ['ARGUS_ALERT_REPEAT_INTERVAL'], kind: 'int', min: 60, max: 604_800 },
  errorDigestInterval: { env: ['ARGUS_ERROR_DIGEST_INTERVAL'], kind: 'int', min: 10, max: 86_400 },
  alertDashboardUrl: { env: ['ARGUS_ALERT_DASHBOARD_URL'], kind: 'url' },
  alertJsonWebhookUrl: { env: ['ARGUS_ALERT_JSON_WEBHOOK_URL'], kind: 'secret', file: true },
};

const ALERTING_DEFAULTS = {
  alerts: true,
  alertInterval: 15,
  alertWebhookUrl: undefined,
  alertRepeatInterval: 14_400,
  errorDigestInterval: 300,
  alertDashboardUrl: undefined,
  alertJsonWebhookUrl: undefined,
} as const;

/**
 * Reads what a sharding manager gives its children. In worker mode discord.js shares the
 * manager's own environment with every worker, so workerData wins over the environment.
 */
export function detectManagedChild(env: Env, workerData: unknown): ManagedChild | undefined {
  const data =
    workerData !== null && typeof workerData === 'object' ? (workerData as Record<string, unknown>) : {};
  const read = (name: string): string | undefined => {
    const value = name in data ? data[name] : env[name];
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value.join(',') : String(value);
  };
  const count = (name: string) => {
    const n = Number(read(name));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const inWorker = Object.keys(data).length > 0;
  const cluster = read('CLUSTER');
  if (cluster !== undefined && read('CLUSTER_MANAGER') === 'true' && /^\d+$/.test(cluster)) {
    const mode = read('CLUSTER_MANAGER_MODE');
    return {
      manager: 'hybrid',
      mode: mode === 'worker' || mode === 'process' ? mode : inWorker ? 'worker' : 'process',
      index: Number(cluster),
      count: count('CLUSTER_COUNT'),
    };
  }
  const shards = read('SHARDS');
  if (shards !== undefined && read('SHARDING_MANAGER') === 'true' && /^\d+$/.test(shards)) {
    return {
      manager: 'discordjs',
      mode: inWorker ? 'worker' : 'process',
      index: Number(shards),
      count: count('SHARD_COUNT'),
    };
  }
  return undefined;
}

/**
 * Under a manager: the cluster label is the child's index unless the `clusterId` option names
 * one (an inherited ARGUS_CLUSTER_ID would give every child the same label, so the detected index
 * wins over it), and a child that serves its own port takes `port + 1 + index`.
 */
function applyManagedChild(
  out: Record<string, unknown>,
  options: ArgusOptions,
  env: Env,
  workerData: unknown,
  problems: ConfigProblem[],
): void {
  const child = detectManagedChild(env, workerData);
  out.managedChild = child;
  if (child === undefined) return;
  if (options.clusterId === undefined) out.clusterId = String(child.index);
  // The embedded engine is a directory one process owns: children forward their events to the
  // manager, which owns it. Without reports to the manager there is no way there.
  const dsn = out.clickhouseDsn;
  if (
    out.enablePerGuild === true &&
    out.reportToManager === false &&
    typeof dsn === 'string' &&
    !/^https?:\/\//i.test(dsn)
  ) {
    problems.push({
      option: 'clickhouseDsn',
      envVar: 'ARGUS_CLICKHOUSE_DSN',
      value: JSON.stringify(dsn),
      reason: `this process is child ${child.index} of a sharding manager with reportToManager off, and the embedded engine can be opened by one process only: give every child the http(s):// URL of a ClickHouse server, or let children report so their events go to the manager's store`,
    });
  }
  if (out.childServer === true && out.port !== 0) {
    const port = (out.port as number) + 1 + child.index;
    if (port > 65_535) {
      problems.push({
        option: 'port',
        envVar: 'ARGUS_PORT',
        value: String(out.port),
        reason: `child ${child.index} would serve on port ${port} (port + 1 + index), past 65535: pick a lower port`,
      });
    }
    out.port = port;
  }
}

const SPECS: Record<keyof ArgusOptions, Spec> = {
  ...SHARDING_SPECS,
  ...ALERTING_SPECS,
  port: { env: ['ARGUS_PORT', 'SERVER_PORT', 'PORT'], kind: 'port' },
  host: { env: ['ARGUS_HOST', 'SERVER_IP'], kind: 'string' },
  metricsPath: { env: ['ARGUS_METRICS_PATH'], kind: 'path' },
  clusterId: { env: ['ARGUS_CLUSTER_ID'], kind: 'string' },
  namespace: { env: ['ARGUS_NAMESPACE'], kind: 'namespace' },
  enablePerGuild: { env: ['ARGUS_ENABLE_PER_GUILD'], kind: 'bool' },
  timerCap: { env: ['ARGUS_TIMER_CAP'], kind: 'int', min: 1, max: 10_000_000 },
  labelValueCap: { env: ['ARGUS_LABEL_VALUE_CAP'], kind: 'int', min: 1, max: 100_000 },
  processMetrics: { env: ['ARGUS_PROCESS_METRICS'], kind: 'bool' },
  otlpEndpoint: { env: ['ARGUS_OTLP_ENDPOINT'], kind: 'url' },
  enableTracing: { env: ['ARGUS_ENABLE_TRACING'], kind: 'bool' },
  tracingEndpoint: {
    env: ['ARGUS_TRACING_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    kind: 'url',
  },
  tracingHeaders: {
    env: ['ARGUS_TRACING_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'],
    kind: 'headers',
  },
  tracingSampleRatio: { env: ['ARGUS_TRACING_SAMPLE_RATIO'], kind: 'ratio' },
  tracingGuildIds: { env: ['ARGUS_TRACING_GUILD_IDS'], kind: 'bool' },
  tracingChannelIds: { env: ['ARGUS_TRACING_CHANNEL_IDS'], kind: 'bool' },
  tracingUserIds: { env: ['ARGUS_TRACING_USER_IDS'], kind: 'bool' },
  tracingServiceName: { env: ['ARGUS_TRACING_SERVICE_NAME', 'OTEL_SERVICE_NAME'], kind: 'string' },
  tracingUiUrl: { env: ['ARGUS_TRACING_UI_URL'], kind: 'url' },
  pushgatewayUrl: { env: ['ARGUS_PUSHGATEWAY_URL'], kind: 'url' },
  pushgatewayJob: { env: ['ARGUS_PUSHGATEWAY_JOB'], kind: 'string' },
  pushgatewayInterval: { env: ['ARGUS_PUSHGATEWAY_INTERVAL'], kind: 'int', min: 1, max: 86_400 },
  pushgatewayUsername: { env: ['ARGUS_PUSHGATEWAY_USERNAME'], kind: 'string' },
  pushgatewayPassword: { env: ['ARGUS_PUSHGATEWAY_PASSWORD'], kind: 'secret', file: true },
  dashboard: { env: ['ARGUS_DASHBOARD'], kind: 'bool' },
  dashboardPath: { env: ['ARGUS_DASHBOARD_PATH'], kind: 'path' },
  dashboardInterval: { env: ['ARGUS_DASHBOARD_INTERVAL'], kind: 'int', min: 1, max: 3_600 },
  dashboardMaxStreams: { env: ['ARGUS_DASHBOARD_MAX_STREAMS'], kind: 'int', min: 1, max: 100_000 },
  dashboardAuthToken: { env: ['ARGUS_DASHBOARD_AUTH_TOKEN'], kind: 'secret', file: true },
  metricsAuthToken: { env: ['ARGUS_METRICS_AUTH_TOKEN'], kind: 'secret', file: true },
  grafanaUrl: { env: ['ARGUS_GRAFANA_URL'], kind: 'url' },
  logFormat: { env: ['ARGUS_LOG_FORMAT'], kind: 'enum', values: ['text', 'json'] },
  clickhouseDsn: { env: ['ARGUS_CLICKHOUSE_DSN'], kind: 'dsn', file: true },
  clickhouseTable: { env: ['ARGUS_CLICKHOUSE_TABLE'], kind: 'identifier' },
  clickhouseTtlDays: { env: ['ARGUS_CLICKHOUSE_TTL_DAYS'], kind: 'int', min: 1, max: 3_650 },
  clickhouseCreateTable: { env: ['ARGUS_CLICKHOUSE_CREATE_TABLE'], kind: 'bool' },
  historyQueueCapacity: { env: ['ARGUS_HISTORY_QUEUE_CAPACITY'], kind: 'int', min: 1, max: 10_000_000 },
  historyBatchSize: { env: ['ARGUS_HISTORY_BATCH_SIZE'], kind: 'int', min: 1, max: 1_000_000 },
  historyFlushInterval: { env: ['ARGUS_HISTORY_FLUSH_INTERVAL'], kind: 'int', min: 1, max: 3_600 },
  serverStart: { env: ['ARGUS_SERVER_START'], kind: 'enum', values: ['ready', 'immediate'] },
  ...otlpSpecs(),
  ...pushgatewaySpecs(),
};

const DEFAULTS = {
  port: 9191,
  host: '0.0.0.0',
  metricsPath: '/metrics',
  clusterId: 'default',
  namespace: 'discord',
  enablePerGuild: false,
  timerCap: 10_000,
  labelValueCap: 300,
  processMetrics: true,
  otlpEndpoint: undefined,
  enableTracing: false,
  tracingEndpoint: undefined,
  tracingHeaders: undefined,
  tracingSampleRatio: 1,
  tracingGuildIds: true,
  tracingChannelIds: true,
  tracingUserIds: false,
  tracingServiceName: 'discord-bot',
  tracingUiUrl: undefined,
  pushgatewayUrl: undefined,
  pushgatewayJob: 'argus',
  pushgatewayInterval: 15,
  pushgatewayUsername: undefined,
  pushgatewayPassword: undefined,
  dashboard: true,
  dashboardPath: '/',
  dashboardInterval: 5,
  dashboardMaxStreams: 100,
  dashboardAuthToken: undefined,
  metricsAuthToken: undefined,
  grafanaUrl: undefined,
  logFormat: 'text',
  clickhouseDsn: undefined,
  clickhouseTable: 'argus_events',
  clickhouseTtlDays: undefined,
  clickhouseCreateTable: true,
  historyQueueCapacity: 20_000,
  historyBatchSize: 1_000,
  historyFlushInterval: 2,
  serverStart: 'ready',
  ...otlpDefaults(),
  pushgatewayBearerToken: undefined,
  pushgatewayInstance: undefined,
  ...SHARDING_DEFAULTS,
  ...ALERTING_DEFAULTS,
} as const satisfies Omit<ArgusConfig, 'managedChild'>;

/** Paths the server owns; neither configurable path may take them. */
const RESERVED_PATHS = ['/healthz', '/readyz', '/api'];
const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/**
 * The single place that reads the environment (invariant 6): options > ARGUS_* variables >
 * defaults, every value validated, all problems reported in one error.
 */
export function resolveConfig(
  options: ArgusOptions = {},
  env: Env = process.env,
  workerData: unknown = env === process.env ? threadWorkerData : undefined,
): ArgusConfig {
  const problems: ConfigProblem[] = [];
  const out: Record<string, unknown> = {};
  /** The variable each value came from (absent for options and defaults). */
  const sources: Partial<Record<keyof ArgusOptions, string>> = {};

  for (const key of Object.keys(options)) {
    if (!(key in SPECS)) {
      problems.push({
        option: key,
        envVar: '-',
        value: '-',
        reason: `unknown option; known options are ${Object.keys(SPECS).join(', ')}`,
      });
    }
  }

  for (const [key, spec] of Object.entries(SPECS) as [keyof ArgusOptions, Spec][]) {
    const primaryEnv = spec.env[0]!;
    const given = (options as Record<string, unknown>)[key];
    let raw: unknown;
    let source: 'option' | 'env' | 'file' | 'default' = 'default';
    let envVar = primaryEnv;
    if (given !== undefined) {
      raw = given;
      source = 'option';
    } else {
      for (const name of spec.env) {
        const value = env[name];
        // An empty variable counts as unset, so `ARGUS_DASHBOARD_AUTH_TOKEN=` cannot enable auth with "".
        if (value !== undefined && value.trim() !== '') {
          raw = value;
          envVar = name;
          source = 'env';
          break;
        }
      }
      if (source === 'default' && spec.file) {
        const fileVar = `${primaryEnv}_FILE`;
        const path = env[fileVar];
        if (path !== undefined && path.trim() !== '') {
          envVar = fileVar;
          try {
            raw = readFileSync(path.trim(), 'utf8').trim();
            source = 'file';
          } catch (error) {
            problems.push({
              option: key,
              envVar: fileVar,
              value: JSON.stringify(path),
              reason: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
            });
            continue;
          }
        }
      }
    }
    if (source === 'default') {
      out[key] = DEFAULTS[key];
      continue;
    }
    const problem = (reason: string) =>
      problems.push({
        option: key,
        envVar: source === 'option' ? spec.env.join(' / ') : envVar,
        value: displayValue(spec.kind, raw),
        reason,
      });
    const parsed = parseValue(spec, raw, source === 'option', problem);
    if (parsed !== INVALID) out[key] = parsed;
    if (source !== 'option') sources[key] = envVar;
  }

  resolveOtlpExtras(options, env, out, problems);
  checkPushgatewayAuth(out, problems);
  if (problems.length === 0) applyManagedChild(out, options, env, workerData, problems);
  if (problems.length === 0) crossCheck(out as unknown as ArgusConfig, problems);
  if (problems.length > 0) throw new ArgusConfigError(problems);
  const config = out as unknown as Record<keyof ArgusConfig, unknown>;
  config.tracingEndpoint = tracesUrl(
    (config.tracingEndpoint ?? config.otlpEndpoint) as string | undefined,
    sources.tracingEndpoint === 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  );
  return Object.freeze(config) as unknown as ArgusConfig;
}

const INVALID = Symbol('invalid');

/** OTLP/HTTP's signal path on a base URL; a per-signal variable is a full URL already. */
function tracesUrl(url: string | undefined, verbatim: boolean): string | undefined {
  if (url === undefined || verbatim) return url;
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

/** A bad value as an error may show it: secrets hidden, credentials cut out of a DSN. */
function displayValue(kind: Kind, raw: unknown): string {
  if (kind === 'secret' || kind === 'headers') return '<redacted>';
  if (kind === 'dsn' && typeof raw === 'string')
    return JSON.stringify(raw.replace(/\/\/[^@/?#]*@/, '//***@'));
  return JSON.stringify(raw);
}

function parseValue(
  spec: Spec,
  raw: unknown,
  fromOption: boolean,
  problem: (reason: string) => void,
): unknown {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.kind) {
    case 'ratio': {
      const value =
        typeof text === 'number'
          ? text
          : typeof text === 'string' && /^\d*\.?\d+$/.test(text)
            ? Number(text)
            : Number.NaN;
      if (!(value >= 0 && value <= 1)) {
        problem('expected a number between 0 and 1');
        return INVALID;
      }
      return value;
    }
    case 'headers':
      return parseHeaders(text, problem);
    case 'bool': {
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string') {
        const word = text.toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      problem('expected a boolean (true/false, yes/no, on/off, 1/0)');
      return INVALID;
    }
    case 'port':
    case 'int': {
      const min = spec.kind === 'port' ? 0 : (spec.min ?? Number.MIN_SAFE_INTEGER);
      const max = spec.kind === 'port' ? 65_535 : (spec.max ?? Number.MAX_SAFE_INTEGER);
      let value: number;
      if (typeof text === 'number') value = text;
      else if (typeof text === 'string' && /^-?\d+$/.test(text)) value = Number(text);
      else {
        problem('expected an integer');
        return INVALID;
      }
      if (!Number.isInteger(value)) {
        problem('expected an integer');
        return INVALID;
      }
      if (value < min || value > max) {
        problem(`must be between ${min} and ${max}`);
        return INVALID;
      }
      return value;
    }
    case 'string':
    case 'secret':
    case 'enum':
    case 'namespace':
    case 'path':
    case 'url':
    case 'dsn':
    case 'identifier': {
      if (typeof text !== 'string') {
        problem('expected a string');
        return INVALID;
      }
      if (text === '') {
        problem(fromOption ? 'must not be empty (leave the option out instead)' : 'must not be empty');
        return INVALID;
      }
      if (spec.kind === 'enum' && !spec.values!.includes(text)) {
        problem(`expected one of ${spec.values!.join(', ')}`);
        return INVALID;
      }
      if (spec.kind === 'namespace' && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(text)) {
        problem(
          'must be a Prometheus name prefix: letters, digits and underscores, not starting with a digit',
        );
        return INVALID;
      }
      if (spec.kind === 'path') {
        const path = text.startsWith('/') ? text : `/${text}`;
        if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path.includes('//') || path.includes('/../')) {
          problem('must be a plain URL path such as /metrics');
          return INVALID;
        }
        return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
      }
      if (spec.kind === 'url' || (spec.kind === 'dsn' && text.includes('://'))) {
        let url: URL;
        try {
          url = new URL(text);
        } catch {
          problem('is not a valid URL');
          return INVALID;
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          problem(`must be an http:// or https:// URL, not ${url.protocol}//`);
          return INVALID;
        }
        return text;
      }
      if (spec.kind === 'identifier' && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(text)) {
        problem(
          'must be a table name: letters, digits and underscores, not starting with a digit, 64 at most',
        );
        return INVALID;
      }
      if (spec.kind === 'secret' && /[\r\n]/.test(text)) {
        problem('must be a single line');
        return INVALID;
      }
      return text;
    }
  }
}

/** `key=value,key2=value2` (the OTEL_EXPORTER_OTLP_HEADERS format) or an object of strings. */
function parseHeaders(raw: unknown, problem: (reason: string) => void): unknown {
  const headers: Record<string, string> = {};
  const bad = () => {
    problem('expected key=value pairs separated by commas (or an object of strings)');
    return INVALID;
  };
  const validName = (name: string) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      if (!validName(name) || typeof value !== 'string' || /[\r\n]/.test(value)) return bad();
      headers[name] = value;
    }
    return Object.freeze(headers);
  }
  if (typeof raw !== 'string') return bad();
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) return bad();
    const name = pair.slice(0, eq).trim();
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return bad();
    }
    if (!validName(name) || /[\r\n]/.test(value)) return bad();
    headers[name] = value;
  }
  return Object.freeze(headers);
}

function crossCheck(config: ArgusConfig, problems: ConfigProblem[]): void {
  if (config.tracingUiUrl !== undefined && !config.tracingUiUrl.includes('{traceId}')) {
    problems.push({
      option: 'tracingUiUrl',
      envVar: 'ARGUS_TRACING_UI_URL',
      value: JSON.stringify(config.tracingUiUrl),
      reason: 'must contain {traceId}, where the trace id goes',
    });
  }
  if (config.enablePerGuild && config.clickhouseDsn === undefined) {
    problems.push({
      option: 'enablePerGuild',
      envVar: 'ARGUS_ENABLE_PER_GUILD',
      value: 'true',
      reason:
        'per-guild analytics needs clickhouseDsn (ARGUS_CLICKHOUSE_DSN): an http(s):// ClickHouse URL, "embedded" or a directory',
    });
  }
  if (config.historyBatchSize > config.historyQueueCapacity) {
    problems.push({
      option: 'historyBatchSize',
      envVar: 'ARGUS_HISTORY_BATCH_SIZE',
      value: String(config.historyBatchSize),
      reason: `must not exceed historyQueueCapacity (${config.historyQueueCapacity})`,
    });
  }
  const check = (option: 'metricsPath' | 'dashboardPath', envVar: string, path: string) => {
    for (const reserved of RESERVED_PATHS) {
      if (path === reserved || path.startsWith(`${reserved}/`)) {
        problems.push({
          option,
          envVar,
          value: JSON.stringify(path),
          reason: `${reserved} is reserved by Argus`,
        });
      }
    }
  };
  check('metricsPath', 'ARGUS_METRICS_PATH', config.metricsPath);
  if (config.dashboard) {
    check('dashboardPath', 'ARGUS_DASHBOARD_PATH', config.dashboardPath);
    const metrics = config.metricsPath;
    const dash = config.dashboardPath;
    if (metrics === dash || (dash !== '/' && metrics.startsWith(`${dash}/`))) {
      problems.push({
        option: 'dashboardPath',
        envVar: 'ARGUS_DASHBOARD_PATH',
        value: JSON.stringify(dash),
        reason: `collides with metricsPath ${JSON.stringify(metrics)}; give them different paths`,
      });
    }
  }
}

/** Whether a bind address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

// ---------------------------------------------------------------------------------------------
// OTLP metric push (@argus/otlp). Only ARGUS_OTLP_* variables are in the table above: the
// standard OTEL_* variables are read only once otlpEndpoint turns the push on, because a bot
// may set them for its own OpenTelemetry SDK and must not fail to start over them.

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';
export type OtlpTemporality = 'cumulative' | 'delta';

export interface ArgusOptions {
  /** Env: ARGUS_OTLP_PROTOCOL, then OTEL_EXPORTER_OTLP_METRICS_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL. Default http/protobuf. */
  otlpProtocol?: OtlpProtocol;
  /**
   * Headers sent with every export, e.g. vendor auth: `key=value,key2=value2` (values
   * percent-encoded). Env: ARGUS_OTLP_HEADERS (or ARGUS_OTLP_HEADERS_FILE), then
   * OTEL_EXPORTER_OTLP_METRICS_HEADERS / OTEL_EXPORTER_OTLP_HEADERS.
   */
  otlpHeaders?: string;
  /** Env: ARGUS_OTLP_COMPRESSION, then OTEL_EXPORTER_OTLP_METRICS_COMPRESSION / OTEL_EXPORTER_OTLP_COMPRESSION. Default none. */
  otlpCompression?: OtlpCompression;
  /**
   * Env: ARGUS_OTLP_TEMPORALITY, then OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE
   * (lowmemory counts as delta). Default cumulative.
   */
  otlpTemporality?: OtlpTemporality;
  /** Seconds between exports. Env: ARGUS_OTLP_INTERVAL, then OTEL_METRIC_EXPORT_INTERVAL (milliseconds). Default 60. */
  otlpInterval?: number;
  /**
   * Seconds one export may take. Env: ARGUS_OTLP_TIMEOUT, then OTEL_EXPORTER_OTLP_METRICS_TIMEOUT /
   * OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds). Default 10.
   */
  otlpTimeout?: number;
  /** Resource `service.name`. Env: ARGUS_OTLP_SERVICE_NAME, then OTEL_SERVICE_NAME. Default discord-bot. */
  otlpServiceName?: string;
  /** Resource `service.version`. Env: ARGUS_OTLP_SERVICE_VERSION, then npm_package_version. */
  otlpServiceVersion?: string;
  /** More resource attributes, `key=value,...`. Env: ARGUS_OTLP_RESOURCE_ATTRIBUTES, then OTEL_RESOURCE_ATTRIBUTES. */
  otlpResourceAttributes?: string;
}

export interface ArgusConfig {
  readonly otlpProtocol: OtlpProtocol;
  readonly otlpHeaders: Readonly<Record<string, string>>;
  readonly otlpCompression: OtlpCompression;
  readonly otlpTemporality: OtlpTemporality;
  /** Seconds; fractional when it came from a millisecond OTEL_* variable. */
  readonly otlpInterval: number;
  readonly otlpTimeout: number;
  readonly otlpServiceName: string | undefined;
  readonly otlpServiceVersion: string | undefined;
  readonly otlpResourceAttributes: Readonly<Record<string, string>>;
}

type OtlpKey =
  | 'otlpProtocol'
  | 'otlpHeaders'
  | 'otlpCompression'
  | 'otlpTemporality'
  | 'otlpInterval'
  | 'otlpTimeout'
  | 'otlpServiceName'
  | 'otlpServiceVersion'
  | 'otlpResourceAttributes';

/** A function, so the table above can spread it before this part of the module has run. */
function otlpSpecs(): Record<OtlpKey, Spec> {
  return {
    otlpProtocol: { env: ['ARGUS_OTLP_PROTOCOL'], kind: 'enum', values: ['http/protobuf', 'http/json'] },
    otlpHeaders: { env: ['ARGUS_OTLP_HEADERS'], kind: 'secret', file: true },
    otlpCompression: { env: ['ARGUS_OTLP_COMPRESSION'], kind: 'enum', values: ['gzip', 'none'] },
    otlpTemporality: { env: ['ARGUS_OTLP_TEMPORALITY'], kind: 'enum', values: ['cumulative', 'delta'] },
    otlpInterval: { env: ['ARGUS_OTLP_INTERVAL'], kind: 'int', min: 1, max: 86_400 },
    otlpTimeout: { env: ['ARGUS_OTLP_TIMEOUT'], kind: 'int', min: 1, max: 600 },
    otlpServiceName: { env: ['ARGUS_OTLP_SERVICE_NAME'], kind: 'string' },
    otlpServiceVersion: { env: ['ARGUS_OTLP_SERVICE_VERSION'], kind: 'string' },
    otlpResourceAttributes: { env: ['ARGUS_OTLP_RESOURCE_ATTRIBUTES'], kind: 'string' },
  };
}

function otlpDefaults() {
  return {
    otlpProtocol: 'http/protobuf',
    otlpHeaders: {},
    otlpCompression: 'none',
    otlpTemporality: 'cumulative',
    otlpInterval: 60,
    otlpTimeout: 10,
    otlpServiceName: undefined,
    otlpServiceVersion: undefined,
    otlpResourceAttributes: {},
  } as const satisfies Pick<ArgusConfig, OtlpKey>;
}

/**
 * With the push on, fills what options and ARGUS_OTLP_* left unset from the standard OTEL_*
 * variables (converting their milliseconds), and turns the `key=value` lists into records.
 */
function resolveOtlpExtras(
  options: ArgusOptions,
  env: Env,
  out: Record<string, unknown>,
  problems: ConfigProblem[],
): void {
  const specs = otlpSpecs();
  const setByUser = (key: OtlpKey) => {
    const spec = specs[key];
    if (options[key] !== undefined) return true;
    const names = spec.file ? [spec.env[0]!, `${spec.env[0]}_FILE`] : spec.env;
    return names.some((name) => (env[name] ?? '').trim() !== '');
  };
  const fromEnv = (names: readonly string[]) => {
    for (const name of names) {
      const value = env[name]?.trim();
      if (value) return { name, value };
    }
    return undefined;
  };
  const fallback = (key: OtlpKey, names: readonly string[], convert?: (value: string) => string | number) => {
    if (setByUser(key)) return;
    const found = fromEnv(names);
    if (!found) return;
    const spec = { ...specs[key], env: [found.name] };
    const raw = convert ? convert(found.value) : found.value;
    const parsed = parseValue(spec, raw, false, (reason) =>
      problems.push({ option: key, envVar: found.name, value: displayValue(spec.kind, found.value), reason }),
    );
    if (parsed !== INVALID) out[key] = parsed;
  };
  const millis = (value: string) =>
    /^\d+$/.test(value) ? Math.max(1, Math.ceil(Number(value) / 1000)) : value;

  if (out.otlpEndpoint !== undefined) {
    fallback('otlpProtocol', ['OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']);
    fallback('otlpHeaders', ['OTEL_EXPORTER_OTLP_METRICS_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS']);
    fallback('otlpCompression', ['OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION']);
    fallback('otlpTemporality', ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'], (value) => {
      const word = value.toLowerCase();
      return word === 'lowmemory' ? 'delta' : word;
    });
    fallback('otlpInterval', ['OTEL_METRIC_EXPORT_INTERVAL'], millis);
    fallback('otlpTimeout', ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], millis);
    fallback('otlpServiceName', ['OTEL_SERVICE_NAME']);
    fallback('otlpServiceVersion', ['npm_package_version']);
    fallback('otlpResourceAttributes', ['OTEL_RESOURCE_ATTRIBUTES']);
  }

  for (const key of ['otlpHeaders', 'otlpResourceAttributes'] as const) {
    const text = out[key];
    if (typeof text !== 'string') continue;
    const parsed = parseKeyValueList(text);
    if (typeof parsed === 'string') {
      const secret = key === 'otlpHeaders';
      problems.push({
        option: key,
        envVar: specs[key].env[0]!,
        value: secret ? '<redacted>' : JSON.stringify(text),
        reason: parsed,
      });
    } else out[key] = parsed;
  }
}

/** `k=v,k2=v2` with percent-encoded values (the W3C baggage-like form OTEL_* variables use). */
function parseKeyValueList(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const key = eq === -1 ? '' : item.slice(0, eq).trim();
    if (key === '') return 'expected key=value pairs separated by commas';
    try {
      out[key] = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      return `the value of ${key} is not valid percent-encoding`;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pushgateway push (@argus/prometheus). url, job, interval and basic auth are in the table above.

export interface ArgusOptions {
  /** Bearer token for the Pushgateway (instead of basic auth). Env: ARGUS_PUSHGATEWAY_BEARER_TOKEN (or _FILE). */
  pushgatewayBearerToken?: string;
  /** Adds `instance` to the grouping key (job and cluster are always in it). Env: ARGUS_PUSHGATEWAY_INSTANCE. */
  pushgatewayInstance?: string;
}

export interface ArgusConfig {
  readonly pushgatewayBearerToken: string | undefined;
  readonly pushgatewayInstance: string | undefined;
}

function pushgatewaySpecs(): Record<'pushgatewayBearerToken' | 'pushgatewayInstance', Spec> {
  return {
    pushgatewayBearerToken: { env: ['ARGUS_PUSHGATEWAY_BEARER_TOKEN'], kind: 'secret', file: true },
    pushgatewayInstance: { env: ['ARGUS_PUSHGATEWAY_INSTANCE'], kind: 'string' },
  };
}

/** Basic auth needs both halves, and is not combined with a bearer token. */
function checkPushgatewayAuth(out: Record<string, unknown>, problems: ConfigProblem[]): void {
  const user = out.pushgatewayUsername !== undefined;
  const password = out.pushgatewayPassword !== undefined;
  if (user !== password)
    problems.push({
      option: user ? 'pushgatewayPassword' : 'pushgatewayUsername',
      envVar: user ? 'ARGUS_PUSHGATEWAY_PASSWORD' : 'ARGUS_PUSHGATEWAY_USERNAME',
      value: '(unset)',
      reason: 'Pushgateway basic auth needs both pushgatewayUsername and pushgatewayPassword',
    });
  if (user && out.pushgatewayBearerToken !== undefined)
    problems.push({
      option: 'pushgatewayBearerToken',
      envVar: 'ARGUS_PUSHGATEWAY_BEARER_TOKEN',
      value: '<redacted>',
      reason: 'use either basic auth (pushgatewayUsername/Password) or a bearer token, not both',
    });
}
