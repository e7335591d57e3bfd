import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgusConfigError, isLoopbackHost, resolveConfig } from './config';

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArgusConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an ArgusConfigError');
};

describe('resolveConfig', () => {
  it('has sane defaults with an empty environment', () => {
    const c = resolveConfig({}, {});
    expect(c).toMatchObject({
      port: 9191,
      host: '0.0.0.0',
      metricsPath: '/metrics',
      clusterId: 'default',
      namespace: 'discord',
      enablePerGuild: false,
      timerCap: 10_000,
      processMetrics: true,
      dashboard: true,
      dashboardPath: '/',
      dashboardInterval: 5,
      logFormat: 'text',
      pushgatewayJob: 'argus',
      pushgatewayInterval: 15,
      serverStart: 'ready',
    });
    expect(c.dashboardAuthToken).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('options beat ARGUS_* variables, which beat defaults', () => {
    const env = { ARGUS_PORT: '9000', ARGUS_NAMESPACE: 'bot', ARGUS_CLUSTER_ID: 'eu' };
    expect(resolveConfig({}, env)).toMatchObject({ port: 9000, namespace: 'bot', clusterId: 'eu' });
    expect(resolveConfig({ port: 9500, namespace: 'mine' }, env)).toMatchObject({
      port: 9500,
      namespace: 'mine',
      clusterId: 'eu',
    });
  });

  it('falls back from ARGUS_PORT to SERVER_PORT to PORT, and ARGUS_HOST to SERVER_IP', () => {
    expect(resolveConfig({}, { PORT: '3000' }).port).toBe(3000);
    expect(resolveConfig({}, { PORT: '3000', SERVER_PORT: '25565' }).port).toBe(25565);
    expect(resolveConfig({}, { PORT: '3000', SERVER_PORT: '25565', ARGUS_PORT: '1' }).port).toBe(1);
    expect(resolveConfig({}, { SERVER_IP: '10.0.0.2' }).host).toBe('10.0.0.2');
    expect(resolveConfig({}, { SERVER_IP: '10.0.0.2', ARGUS_HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('treats an empty variable as unset instead of an empty secret', () => {
    const c = resolveConfig({}, { ARGUS_DASHBOARD_AUTH_TOKEN: '', ARGUS_NAMESPACE: '  ', ARGUS_PORT: '' });
    expect(c.dashboardAuthToken).toBeUndefined();
    expect(c.namespace).toBe('discord');
    expect(c.port).toBe(9191);
  });

  it.each([
    ['yes', true],
    ['ON', true],
    ['1', true],
    ['true', true],
    ['no', false],
    ['Off', false],
    ['0', false],
    ['false', false],
  ])('parses boolean word %s', (word, value) => {
    expect(resolveConfig({}, { ARGUS_ENABLE_TRACING: word }).enableTracing).toBe(value);
  });

  it.each([
    [{ ARGUS_PORT: 'abc' }, 'port', 'ARGUS_PORT', '"abc"', /integer/],
    [{ SERVER_PORT: '70000' }, 'port', 'SERVER_PORT', '"70000"', /between 0 and 65535/],
    [{ ARGUS_TIMER_CAP: '1.5' }, 'timerCap', 'ARGUS_TIMER_CAP', '"1.5"', /integer/],
    [{ ARGUS_TIMER_CAP: '0' }, 'timerCap', 'ARGUS_TIMER_CAP', '"0"', /between 1/],
    [{ ARGUS_ENABLE_TRACING: 'maybe' }, 'enableTracing', 'ARGUS_ENABLE_TRACING', '"maybe"', /boolean/],
    [{ ARGUS_NAMESPACE: 'my-bot' }, 'namespace', 'ARGUS_NAMESPACE', '"my-bot"', /Prometheus name/],
    [{ ARGUS_NAMESPACE: '9bot' }, 'namespace', 'ARGUS_NAMESPACE', '"9bot"', /Prometheus name/],
    [
      { ARGUS_OTLP_ENDPOINT: 'grpc://x:4317' },
      'otlpEndpoint',
      'ARGUS_OTLP_ENDPOINT',
      '"grpc://x:4317"',
      /http/,
    ],
    [{ ARGUS_GRAFANA_URL: 'not a url' }, 'grafanaUrl', 'ARGUS_GRAFANA_URL', '"not a url"', /valid URL/],
    [
      { ARGUS_GRAFANA_URL: 'javascript:alert(1)' },
      'grafanaUrl',
      'ARGUS_GRAFANA_URL',
      '"javascript:alert(1)"',
      /http/,
    ],
    [{ ARGUS_CLICKHOUSE_DSN: 'ftp://db' }, 'clickhouseDsn', 'ARGUS_CLICKHOUSE_DSN', '"ftp://db"', /http/],
    [{ ARGUS_LOG_FORMAT: 'xml' }, 'logFormat', 'ARGUS_LOG_FORMAT', '"xml"', /text, json/],
    [
      { ARGUS_METRICS_PATH: '/met rics' },
      'metricsPath',
      'ARGUS_METRICS_PATH',
      '"/met rics"',
      /plain URL path/,
    ],
    [{ ARGUS_METRICS_PATH: '/healthz' }, 'metricsPath', 'ARGUS_METRICS_PATH', '"/healthz"', /reserved/],
    [{ ARGUS_DASHBOARD_PATH: '/metrics' }, 'dashboardPath', 'ARGUS_DASHBOARD_PATH', '"/metrics"', /collides/],
    [{ ARGUS_DASHBOARD_PATH: '/api/ui' }, 'dashboardPath', 'ARGUS_DASHBOARD_PATH', '"/api/ui"', /reserved/],
  ])('names the option, variable and value for %j', (env, option, envVar, value, reason) => {
    const [p, ...rest] = problemsOf(() => resolveConfig({}, env));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ option, envVar, value });
    expect(p!.reason).toMatch(reason);
  });

  it('reports every problem at once in one readable error', () => {
    let message = '';
    try {
      resolveConfig({ port: -1 }, { ARGUS_DASHBOARD: 'nah' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('port (env ARGUS_PORT / SERVER_PORT / PORT) = -1');
    expect(message).toContain('dashboard (env ARGUS_DASHBOARD) = "nah"');
  });

  it('refuses unknown options and wrongly typed option values', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller with a typo
    expect(problemsOf(() => resolveConfig({ prot: 1 } as any, {}))[0]).toMatchObject({ option: 'prot' });
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller passing a string
    expect(resolveConfig({ dashboard: 'no' } as any, {}).dashboard).toBe(false);
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller passing a number
    expect(problemsOf(() => resolveConfig({ dashboard: 2 } as any, {}))[0]?.reason).toMatch(/boolean/);
    expect(problemsOf(() => resolveConfig({ dashboardAuthToken: '' }, {}))[0]?.reason).toMatch(/empty/);
  });

  it('lets the dashboard path collide when the dashboard is off', () => {
    expect(resolveConfig({ dashboard: false, dashboardPath: '/metrics' }, {}).dashboard).toBe(false);
  });

  it('normalises paths', () => {
    expect(resolveConfig({ metricsPath: 'prom/', dashboardPath: '/ui/' }, {})).toMatchObject({
      metricsPath: '/prom',
      dashboardPath: '/ui',
    });
  });

  it('never shows a secret in an error', () => {
    const secret = 'super-secret\nvalue';
    let message = '';
    try {
      resolveConfig({ metricsAuthToken: secret }, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('metricsAuthToken');
    expect(message).toContain('<redacted>');
    expect(message).not.toContain('super-secret');
  });

  it('reads tokens from *_FILE variables, and names an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-config-'));
    const file = join(dir, 'token');
    writeFileSync(file, 's3cret\n');
    expect(resolveConfig({}, { ARGUS_DASHBOARD_AUTH_TOKEN_FILE: file }).dashboardAuthToken).toBe('s3cret');
    expect(resolveConfig({}, { ARGUS_METRICS_AUTH_TOKEN_FILE: file }).metricsAuthToken).toBe('s3cret');
    // The variable itself wins over the file.
    expect(
      resolveConfig({}, { ARGUS_METRICS_AUTH_TOKEN: 'direct', ARGUS_METRICS_AUTH_TOKEN_FILE: file })
        .metricsAuthToken,
    ).toBe('direct');
    const [p] = problemsOf(() =>
      resolveConfig({}, { ARGUS_DASHBOARD_AUTH_TOKEN_FILE: join(dir, 'missing') }),
    );
    expect(p).toMatchObject({ option: 'dashboardAuthToken', envVar: 'ARGUS_DASHBOARD_AUTH_TOKEN_FILE' });
    expect(p!.reason).toMatch(/ENOENT/);
  });

  it('falls back from tracingEndpoint to otlpEndpoint, and accepts a local ClickHouse path', () => {
    const c = resolveConfig({ otlpEndpoint: 'http://collector:4318' }, { ARGUS_CLICKHOUSE_DSN: './data/ch' });
    expect(c.tracingEndpoint).toBe('http://collector:4318/v1/traces');
    expect(c.clickhouseDsn).toBe('./data/ch');
  });

  it('resolves the per-guild analytics options and checks them together', () => {
    const c = resolveConfig(
      {},
      {
        ARGUS_ENABLE_PER_GUILD: 'yes',
        ARGUS_CLICKHOUSE_DSN: 'embedded',
        ARGUS_CLICKHOUSE_TABLE: 'bot_events',
        ARGUS_CLICKHOUSE_TTL_DAYS: '90',
        ARGUS_CLICKHOUSE_CREATE_TABLE: 'off',
        ARGUS_HISTORY_QUEUE_CAPACITY: '5000',
        ARGUS_HISTORY_BATCH_SIZE: '250',
        ARGUS_HISTORY_FLUSH_INTERVAL: '10',
      },
    );
    expect(c).toMatchObject({
      enablePerGuild: true,
      clickhouseDsn: 'embedded',
      clickhouseTable: 'bot_events',
      clickhouseTtlDays: 90,
      clickhouseCreateTable: false,
      historyQueueCapacity: 5000,
      historyBatchSize: 250,
      historyFlushInterval: 10,
    });
    const defaults = resolveConfig({}, {});
    expect(defaults).toMatchObject({
      clickhouseTable: 'argus_events',
      clickhouseCreateTable: true,
      historyQueueCapacity: 20_000,
      historyBatchSize: 1_000,
      historyFlushInterval: 2,
    });
    expect(defaults.clickhouseTtlDays).toBeUndefined();

    const [missingDsn] = problemsOf(() => resolveConfig({ enablePerGuild: true }, {}));
    expect(missingDsn).toMatchObject({ option: 'enablePerGuild', envVar: 'ARGUS_ENABLE_PER_GUILD' });
    expect(missingDsn!.reason).toMatch(/ARGUS_CLICKHOUSE_DSN/);
    const [batch] = problemsOf(() => resolveConfig({ historyBatchSize: 500, historyQueueCapacity: 100 }, {}));
    expect(batch).toMatchObject({ option: 'historyBatchSize', value: '500' });
    const [table] = problemsOf(() => resolveConfig({}, { ARGUS_CLICKHOUSE_TABLE: 'events; DROP TABLE x' }));
    expect(table).toMatchObject({ option: 'clickhouseTable', envVar: 'ARGUS_CLICKHOUSE_TABLE' });
    expect(table!.reason).toMatch(/table name/);
  });

  it('never shows DSN credentials in an error, and reads the DSN from a file', () => {
    const [p] = problemsOf(() => resolveConfig({}, { ARGUS_CLICKHOUSE_DSN: 'ftp://bob:hunter2@db:9000' }));
    expect(p!.value).toBe('"ftp://***@db:9000"');
    const dir = mkdtempSync(join(tmpdir(), 'argus-dsn-'));
    const file = join(dir, 'dsn');
    writeFileSync(file, 'https://bot:s3cret@ch.example.com:8443/analytics\n');
    expect(resolveConfig({}, { ARGUS_CLICKHOUSE_DSN_FILE: file }).clickhouseDsn).toBe(
      'https://bot:s3cret@ch.example.com:8443/analytics',
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', 'localhost', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::'].some(isLoopbackHost)).toBe(false);
  });
});

describe('resolveConfig: tracing', () => {
  it('defaults: no endpoint, every trace kept, guild and channel ids on, user ids off', () => {
    expect(resolveConfig({}, {})).toMatchObject({
      enableTracing: false,
      tracingEndpoint: undefined,
      tracingHeaders: undefined,
      tracingSampleRatio: 1,
      tracingGuildIds: true,
      tracingChannelIds: true,
      tracingUserIds: false,
      tracingServiceName: 'discord-bot',
      tracingUiUrl: undefined,
    });
  });

  it('makes the endpoint a traces URL, honouring the standard OTLP variables in order', () => {
    const url = (options: object, env: Record<string, string>) => resolveConfig(options, env).tracingEndpoint;
    expect(url({ tracingEndpoint: 'http://collector:4318' }, {})).toBe('http://collector:4318/v1/traces');
    expect(url({ tracingEndpoint: 'http://collector:4318/v1/traces' }, {})).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(url({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example/' })).toBe(
      'https://otlp.example/v1/traces',
    );
    // The per-signal variable is a full URL, used as is.
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/custom',
    };
    expect(url({}, env)).toBe('https://traces.example/custom');
    expect(url({}, { ...env, ARGUS_TRACING_ENDPOINT: 'http://argus:4318' })).toBe(
      'http://argus:4318/v1/traces',
    );
    expect(url({}, { ARGUS_OTLP_ENDPOINT: 'http://metrics:4318' })).toBe('http://metrics:4318/v1/traces');
  });

  it('parses exporter headers from the OTLP format or an object, and never shows them in an error', () => {
    expect(
      resolveConfig({}, { OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D1, x-team = bots' }).tracingHeaders,
    ).toEqual({ 'x-api-key': 'abc=1', 'x-team': 'bots' });
    expect(
      resolveConfig(
        {},
        {
          OTEL_EXPORTER_OTLP_HEADERS: 'a=1',
          OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=2',
          ARGUS_TRACING_HEADERS: 'c=3',
        },
      ).tracingHeaders,
    ).toEqual({ c: '3' });
    expect(resolveConfig({ tracingHeaders: { authorization: 'Basic x' } }, {}).tracingHeaders).toEqual({
      authorization: 'Basic x',
    });
    const problems = problemsOf(() =>
      resolveConfig({}, { OTEL_EXPORTER_OTLP_HEADERS: 'secret-without-name' }),
    );
    expect(problems).toEqual([
      {
        option: 'tracingHeaders',
        envVar: 'OTEL_EXPORTER_OTLP_HEADERS',
        value: '<redacted>',
        reason: 'expected key=value pairs separated by commas (or an object of strings)',
      },
    ]);
  });

  it('reads the sample ratio, id switches, service name and trace UI URL', () => {
    const c = resolveConfig(
      {},
      {
        ARGUS_TRACING_SAMPLE_RATIO: '0.25',
        ARGUS_TRACING_USER_IDS: 'yes',
        ARGUS_TRACING_GUILD_IDS: 'off',
        OTEL_SERVICE_NAME: 'my-bot',
        ARGUS_TRACING_UI_URL: 'https://grafana.example/explore?trace={traceId}',
      },
    );
    expect(c).toMatchObject({
      tracingSampleRatio: 0.25,
      tracingUserIds: true,
      tracingGuildIds: false,
      tracingChannelIds: true,
      tracingServiceName: 'my-bot',
      tracingUiUrl: 'https://grafana.example/explore?trace={traceId}',
    });
    expect(resolveConfig({ tracingSampleRatio: 0 }, {}).tracingSampleRatio).toBe(0);
  });

  it('rejects a ratio outside 0..1 and a trace UI URL without {traceId}', () => {
    expect(problemsOf(() => resolveConfig({}, { ARGUS_TRACING_SAMPLE_RATIO: '1.5' }))).toEqual([
      {
        option: 'tracingSampleRatio',
        envVar: 'ARGUS_TRACING_SAMPLE_RATIO',
        value: '"1.5"',
        reason: 'expected a number between 0 and 1',
      },
    ]);
    expect(problemsOf(() => resolveConfig({ tracingSampleRatio: -0.1 }, {}))[0]?.reason).toBe(
      'expected a number between 0 and 1',
    );
    expect(problemsOf(() => resolveConfig({ tracingUiUrl: 'https://jaeger.example/trace/' }, {}))).toEqual([
      {
        option: 'tracingUiUrl',
        envVar: 'ARGUS_TRACING_UI_URL',
        value: '"https://jaeger.example/trace/"',
        reason: 'must contain {traceId}, where the trace id goes',
      },
    ]);
  });
});

describe('OTLP push options', () => {
  const on = { ARGUS_OTLP_ENDPOINT: 'http://collector:4318' };

  it('defaults to cumulative http/protobuf every 60 s with a 10 s timeout', () => {
    expect(resolveConfig({}, on)).toMatchObject({
      otlpEndpoint: 'http://collector:4318',
      otlpProtocol: 'http/protobuf',
      otlpHeaders: {},
      otlpCompression: 'none',
      otlpTemporality: 'cumulative',
      otlpInterval: 60,
      otlpTimeout: 10,
      otlpServiceName: undefined,
      otlpResourceAttributes: {},
    });
  });

  it('honours the standard OTEL_* variables once the push is on, converting their milliseconds', () => {
    const env = {
      ...on,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D%3D,x-team=bots',
      OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'LowMemory',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_SERVICE_NAME: 'my-bot',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%20b',
      npm_package_version: '4.5.6',
    };
    expect(resolveConfig({}, env)).toMatchObject({
      otlpProtocol: 'http/json',
      otlpHeaders: { 'api-key': 'abc==', 'x-team': 'bots' },
      otlpCompression: 'gzip',
      otlpTemporality: 'delta',
      otlpInterval: 15,
      otlpTimeout: 3,
      otlpServiceName: 'my-bot',
      otlpServiceVersion: '4.5.6',
      otlpResourceAttributes: { 'deployment.environment': 'prod', team: 'a b' },
    });
  });

  it('prefers options, then ARGUS_OTLP_*, then the metrics-specific OTEL_* variable', () => {
    const env = {
      ...on,
      ARGUS_OTLP_INTERVAL: '30',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
    };
    expect(resolveConfig({}, env)).toMatchObject({ otlpInterval: 30, otlpProtocol: 'http/protobuf' });
    expect(resolveConfig({ otlpInterval: 5, otlpProtocol: 'http/json' }, env)).toMatchObject({
      otlpInterval: 5,
      otlpProtocol: 'http/json',
    });
  });

  it('ignores OTEL_* variables while the push is off: they may belong to the bot’s own SDK', () => {
    const c = resolveConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_METRIC_EXPORT_INTERVAL: 'soon' });
    expect(c.otlpEndpoint).toBeUndefined();
    expect(c.otlpProtocol).toBe('http/protobuf');
  });

  it('names the variable and value it cannot use, and never shows headers', () => {
    expect(problemsOf(() => resolveConfig({}, { ...on, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }))).toEqual([
      expect.objectContaining({
        option: 'otlpProtocol',
        envVar: 'OTEL_EXPORTER_OTLP_PROTOCOL',
        value: '"grpc"',
        reason: expect.stringMatching(/http\/protobuf, http\/json/),
      }),
    ]);
    expect(problemsOf(() => resolveConfig({}, { ...on, OTEL_METRIC_EXPORT_INTERVAL: 'soon' }))).toEqual([
      expect.objectContaining({
        option: 'otlpInterval',
        envVar: 'OTEL_METRIC_EXPORT_INTERVAL',
        value: '"soon"',
      }),
    ]);
    const headers = problemsOf(() => resolveConfig({}, { ...on, ARGUS_OTLP_HEADERS: 'token-without-key' }));
    expect(headers).toEqual([
      expect.objectContaining({
        option: 'otlpHeaders',
        value: '<redacted>',
        reason: expect.stringMatching(/key=value/),
      }),
    ]);
    expect(JSON.stringify(headers)).not.toContain('token-without-key');
    expect(problemsOf(() => resolveConfig({ otlpTemporality: 'sometimes' as never }, on))).toEqual([
      expect.objectContaining({ option: 'otlpTemporality', value: '"sometimes"' }),
    ]);
  });
});

describe('Pushgateway options', () => {
  it('reads the bearer token (also from a file) and the instance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-pgw-'));
    try {
      writeFileSync(join(dir, 'token'), 'tok3n\n');
      const c = resolveConfig(
        {},
        {
          ARGUS_PUSHGATEWAY_URL: 'http://pgw:9091',
          ARGUS_PUSHGATEWAY_BEARER_TOKEN_FILE: join(dir, 'token'),
          ARGUS_PUSHGATEWAY_INSTANCE: 'bot-1',
        },
      );
      expect(c).toMatchObject({
        pushgatewayUrl: 'http://pgw:9091',
        pushgatewayJob: 'argus',
        pushgatewayInterval: 15,
        pushgatewayBearerToken: 'tok3n',
        pushgatewayInstance: 'bot-1',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses half of basic auth, and basic auth with a bearer token', () => {
    expect(problemsOf(() => resolveConfig({}, { ARGUS_PUSHGATEWAY_USERNAME: 'bot' }))).toEqual([
      expect.objectContaining({ option: 'pushgatewayPassword', reason: expect.stringMatching(/both/) }),
    ]);
    const both = problemsOf(() =>
      resolveConfig(
        { pushgatewayUsername: 'bot', pushgatewayPassword: 'pw', pushgatewayBearerToken: 'secret-token' },
        {},
      ),
    );
    expect(both).toEqual([
      expect.objectContaining({ option: 'pushgatewayBearerToken', value: '<redacted>' }),
    ]);
    expect(JSON.stringify(both)).not.toContain('secret-token');
  });
});

describe('a child of a sharding manager', () => {
  it('is recognised under discord.js ShardingManager in process mode, labelled by its shard id', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDING_MANAGER_MODE: 'process', SHARDS: '2', SHARD_COUNT: '4' };
    const c = resolveConfig({}, env);
    expect(c.managedChild).toEqual({ manager: 'discordjs', mode: 'process', index: 2, count: 4 });
    expect(c.clusterId).toBe('2');
    expect(c).toMatchObject({
      reportToManager: true,
      reportIntervalMs: 5_000,
      childServer: false,
      port: 9191,
    });
  });

  it('reads workerData in worker mode, where the environment is the manager’s own', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDING_MANAGER_MODE: 'worker' };
    const workerData = { SHARDING_MANAGER: true, SHARDS: 3, SHARD_COUNT: 4 };
    expect(resolveConfig({}, env, workerData).managedChild).toEqual({
      manager: 'discordjs',
      mode: 'worker',
      index: 3,
      count: 4,
    });
  });

  it('is recognised under discord-hybrid-sharding (process env or workerData with a shard list)', () => {
    const env = {
      CLUSTER_MANAGER: 'true',
      CLUSTER_MANAGER_MODE: 'process',
      CLUSTER: '1',
      CLUSTER_COUNT: '2',
    };
    expect(resolveConfig({}, env).managedChild).toEqual({
      manager: 'hybrid',
      mode: 'process',
      index: 1,
      count: 2,
    });
    const workerData = { CLUSTER_MANAGER: true, CLUSTER: 0, CLUSTER_COUNT: 2, SHARD_LIST: [0, 1] };
    const c = resolveConfig({}, { CLUSTER_MANAGER_MODE: 'worker' }, workerData);
    expect(c.managedChild).toEqual({ manager: 'hybrid', mode: 'worker', index: 0, count: 2 });
    expect(c.clusterId).toBe('0');
  });

  it('keeps a clusterId option, but an inherited ARGUS_CLUSTER_ID loses to the child index', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2', ARGUS_CLUSTER_ID: 'eu' };
    expect(resolveConfig({}, env).clusterId).toBe('1');
    expect(resolveConfig({ clusterId: 'eu-1' }, env).clusterId).toBe('eu-1');
  });

  it('is not a child without a manager, nor with half-set or malformed variables', () => {
    expect(resolveConfig({}, {}).managedChild).toBeUndefined();
    expect(resolveConfig({}, { SHARDS: '1' }).managedChild).toBeUndefined();
    expect(resolveConfig({}, { SHARDING_MANAGER: 'true', SHARDS: '0,1' }).managedChild).toBeUndefined();
    expect(resolveConfig({}, { CLUSTER_MANAGER: 'true', CLUSTER: 'x' }).managedChild).toBeUndefined();
    expect(resolveConfig({}, { ARGUS_CLUSTER_ID: 'eu' }).clusterId).toBe('eu');
  });

  it('serves its own port at port + 1 + index only when asked, and refuses a plan past 65535', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDS: '3', SHARD_COUNT: '4', ARGUS_PORT: '9200' };
    expect(resolveConfig({ childServer: true }, env).port).toBe(9204);
    expect(resolveConfig({}, { ...env, ARGUS_CHILD_SERVER: 'yes' }).port).toBe(9204);
    expect(resolveConfig({ childServer: true, port: 0 }, env).port).toBe(0);
    const problems = problemsOf(() => resolveConfig({ childServer: true, port: 65_535 }, env));
    expect(problems[0]).toMatchObject({ option: 'port', value: '65535' });
    expect(problems[0]?.reason).toContain('port 65539');
  });

  it('refuses the embedded analytics engine in a child that does not report to its manager', () => {
    const env = { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2', ARGUS_ENABLE_PER_GUILD: 'true' };
    expect(resolveConfig({ clickhouseDsn: 'embedded' }, env).clickhouseDsn).toBe('embedded');
    const problems = problemsOf(() =>
      resolveConfig({ clickhouseDsn: 'embedded', reportToManager: false }, env),
    );
    expect(problems[0]).toMatchObject({ option: 'clickhouseDsn', value: '"embedded"' });
    expect(problems[0]?.reason).toContain('ClickHouse server');
    expect(resolveConfig({ clickhouseDsn: 'http://ch:8123' }, env).enablePerGuild).toBe(true);
    expect(
      resolveConfig({ clickhouseDsn: 'embedded' }, { ARGUS_ENABLE_PER_GUILD: 'true' }).clickhouseDsn,
    ).toBe('embedded');
  });

  it('validates the report interval', () => {
    const problems = problemsOf(() => resolveConfig({}, { ARGUS_REPORT_INTERVAL_MS: '10' }));
    expect(problems[0]).toMatchObject({
      option: 'reportIntervalMs',
      envVar: 'ARGUS_REPORT_INTERVAL_MS',
      value: '"10"',
    });
  });
});
