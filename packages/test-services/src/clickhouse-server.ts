import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLICKHOUSE_SERVER, requireBinary } from './binaries';
import { freePort } from './prometheus-server';
import { sleep } from './until';

export interface ClickHouseServer {
  /** `http://127.0.0.1:<httpPort>`, for `@clickhouse/client` or `fetch`. */
  url: string;
  httpPort: number;
  /** The native protocol port (`clickhouse-client --host 127.0.0.1 --port <tcpPort>`). */
  tcpPort: number;
  /** The temp dir holding config.xml, users.xml, data/ and log/; removed by `stop()`. */
  dir: string;
  /** The server's process id (changes on `restart()`); e.g. for SIGSTOP / SIGCONT. */
  readonly pid: number;
  /** SIGTERM, waits for the exit (SIGKILL after 10 s), removes the temp dir. */
  stop(): Promise<void>;
  /**
   * SIGKILL, waits for the exit: a crash. The signal goes out synchronously, before `kill()`
   * returns its promise. The data dir stays for `restart()`.
   */
  kill(): Promise<void>;
  /**
   * Starts the server again on the same ports and data dir (stopping it first with SIGTERM if it
   * still runs) and waits until `/ping` answers.
   */
  restart(): Promise<void>;
  /** Runs one statement over HTTP (POST body, no parameters); returns the response text. */
  query(sql: string): Promise<string>;
}

export interface StartClickHouseOptions {
  /** How long to wait for `/ping` after each start. Default 30 s. */
  readyTimeoutMs?: number;
  /** More settings for the `default` profile of users.xml (name → value). */
  profileSettings?: Record<string, string | number>;
  /** Server log level. Default `information`. */
  logLevel?: 'error' | 'warning' | 'information' | 'debug' | 'trace';
  /**
   * Where the temp dir is made. Default `os.tmpdir()`. Every insert writes a MergeTree part (a
   * dozen files), so on a slow disk each one costs the disk's latency; `/dev/shm` (tmpfs) takes the
   * disk out of a measurement.
   */
  baseDir?: string;
}

/**
 * Settings every test server gets in its `default` profile, so clients need none: 18.16 keeps
 * LowCardinality behind a flag, and parses ISO 8601 datetimes (`...T...Z`) only in best-effort mode.
 */
const PROFILE_SETTINGS: Record<string, string | number> = {
  allow_experimental_low_cardinality_type: 1,
  date_time_input_format: 'best_effort',
};

function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function configXml(dir: string, httpPort: number, tcpPort: number, logLevel: string): string {
  // No env vars are expanded in ClickHouse configs: every path is written out. No interserver port,
  // so a test server opens exactly the two ports it reports.
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>${logLevel}</level>
    <log>${xmlEscape(join(dir, 'log', 'server.log'))}</log>
    <errorlog>${xmlEscape(join(dir, 'log', 'server.err.log'))}</errorlog>
    <size>100M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${xmlEscape(join(dir, 'data'))}/</path>
  <tmp_path>${xmlEscape(join(dir, 'tmp'))}/</tmp_path>
  <user_files_path>${xmlEscape(join(dir, 'user_files'))}/</user_files_path>
  <users_config>${xmlEscape(join(dir, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <query_log>
    <database>system</database>
    <table>query_log</table>
    <flush_interval_milliseconds>500</flush_interval_milliseconds>
  </query_log>
</yandex>
`;
}

function usersXml(settings: Record<string, string | number>): string {
  const profile = Object.entries(settings)
    .map(([name, value]) => {
      if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new TypeError(`bad ClickHouse setting name ${name}`);
      return `      <${name}>${xmlEscape(String(value))}</${name}>`;
    })
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
${profile}
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default></default>
  </quotas>
</yandex>
`;
}

function tail(path: string, chars = 3000): string {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8').slice(-chars) : '(no file)';
  } catch (error) {
    return `(unreadable: ${String(error)})`;
  }
}

/** Two distinct free loopback ports. */
async function twoPorts(): Promise<[number, number]> {
  const a = await freePort();
  for (;;) {
    const b = await freePort();
    if (b !== a) return [a, b];
  }
}

/**
 * A real ClickHouse server (Debian's clickhouse-server 18.16, installed with apt when missing and
 * running as root) on random loopback ports, with its config, users and data in a fresh temp dir.
 * It runs as the current user (root is fine). Resolves once `GET /ping` answers `Ok.`.
 *
 * 18.16 is old: no server-side query parameters, no DateTime64/Map/TTL; LowCardinality and
 * best-effort datetime parsing are switched on in the users.xml profile.
 */
export async function startClickHouse(options: StartClickHouseOptions = {}): Promise<ClickHouseServer> {
  const bin = requireBinary(CLICKHOUSE_SERVER);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const dir = mkdtempSync(join(options.baseDir ?? tmpdir(), 'argus-clickhouse-'));
  for (const sub of ['data', 'tmp', 'user_files', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'users.xml'), usersXml({ ...PROFILE_SETTINGS, ...options.profileSettings }));
  const errLog = join(dir, 'log', 'server.err.log');

  let httpPort = 0;
  let tcpPort = 0;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let running = false;
  let output = '';

  // A test runner that dies must not leave a server behind.
  const onExit = () => {
    if (running) child?.kill('SIGKILL');
  };
  process.on('exit', onExit);

  const url = () => `http://127.0.0.1:${httpPort}`;

  const launch = () => {
    output = '';
    const proc = spawn(bin, [`--config-file=${join(dir, 'config.xml')}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (c: Buffer) => {
      output = (output + c).slice(-4000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    running = true;
    exited = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        running = false;
        resolve();
      });
      proc.once('error', (error) => {
        output += `\nspawn error: ${String(error)}`;
        running = false;
        resolve();
      });
    });
    child = proc;
  };

  const waitReady = async (): Promise<'ready' | 'exited' | 'timeout'> => {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (!running) return 'exited';
      try {
        const res = await fetch(`${url()}/ping`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok && (await res.text()).trim() === 'Ok.') return 'ready';
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) return 'timeout';
      await sleep(25);
    }
  };

  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!running || !child) return;
    // A stopped (SIGSTOP) process would not act on SIGTERM until continued.
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child?.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const describe = (what: string) =>
    `clickhouse-server ${what} (http ${httpPort}, tcp ${tcpPort}, dir ${dir}).\n` +
    `stdout/stderr: ${output.trim() || '(empty)'}\nserver.err.log tail:\n${tail(errLog)}`;

  const start = async (): Promise<void> => {
    launch();
    const state = await waitReady();
    if (state === 'ready') return;
    const message = describe(
      state === 'exited' ? 'exited during start' : `did not answer /ping within ${readyTimeoutMs} ms`,
    );
    await signalAndWait('SIGKILL', 0);
    throw new Error(message);
  };

  // Ports are free when picked but could be taken before the server binds them: try fresh ones.
  for (let attempt = 1; ; attempt++) {
    [httpPort, tcpPort] = await twoPorts();
    writeFileSync(
      join(dir, 'config.xml'),
      configXml(dir, httpPort, tcpPort, options.logLevel ?? 'information'),
    );
    try {
      await start();
      break;
    } catch (error) {
      const portTaken = /Address already in use/i.test(String((error as Error).message));
      if (portTaken && attempt < 3) continue;
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  return {
    get url() {
      return url();
    },
    httpPort,
    tcpPort,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    async stop() {
      await signalAndWait('SIGTERM', 10_000);
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await signalAndWait('SIGKILL', 0);
    },
    async restart() {
      await signalAndWait('SIGTERM', 10_000);
      await start();
    },
    async query(sql: string) {
      const res = await fetch(`${url()}/`, {
        method: 'POST',
        body: sql,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`ClickHouse ${res.status} for ${sql.slice(0, 200)}: ${text.trim()}`);
      return text;
    },
  };
}

/**
 * Argus' events table in the dialect of clickhouse-server 18.16: the production columns and sort
 * key, with `DateTime` for `DateTime64(3)` and no TTL (18.16 has neither; LowCardinality is on in
 * the test server's profile). Sinks writing to it run with `createTable: false`.
 */
export const EVENTS_COLUMNS_1816: Readonly<Record<string, string>> = Object.freeze({
  time: 'DateTime',
  cluster: 'LowCardinality(String)',
  shard: 'UInt16',
  guild_id: 'String',
  event: 'LowCardinality(String)',
  type: 'LowCardinality(String)',
  command: 'LowCardinality(String)',
  status: 'LowCardinality(String)',
  error_type: 'LowCardinality(String)',
  duration_ms: 'Nullable(Float64)',
  response_ms: 'Nullable(Float64)',
});

/** `CREATE TABLE IF NOT EXISTS <table> (...)` for {@link EVENTS_COLUMNS_1816}. */
export function eventsTableSql1816(table: string): string {
  const columns = Object.entries(EVENTS_COLUMNS_1816)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');
  return `CREATE TABLE IF NOT EXISTS ${table} (${columns}) ENGINE = MergeTree PARTITION BY toYYYYMM(time) ORDER BY (guild_id, time)`;
}
