import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS, requireBinary } from './binaries';

export interface ScrapeTarget {
  /** e.g. http://127.0.0.1:9191/metrics */
  url: string;
  bearerToken?: string;
  /** Keep the scraped series' own job/instance labels (what a Pushgateway target needs). */
  honorLabels?: boolean;
}

export interface PrometheusServer {
  url: string;
  /** Instant query; returns the `data.result` vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Polls `promql` until `accept` holds for its result, or fails with the last result seen. */
  waitFor(
    promql: string,
    accept: (result: { metric: Record<string, string>; value: [number, string] }[]) => boolean,
    timeoutMs?: number,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A real Prometheus (Debian's package) on a random loopback port with a temp data dir, scraping
 * the given targets every `scrapeIntervalSeconds`.
 */
export async function startPrometheus(
  targets: ScrapeTarget[],
  {
    scrapeIntervalSeconds = 1,
    flags = [],
    config,
  }: {
    scrapeIntervalSeconds?: number;
    /** More command-line flags, e.g. `--enable-feature=exemplar-storage`. */
    flags?: string[];
    /**
     * A whole prometheus.yml to run instead of the generated one (`targets` and the interval are
     * then unused); paths in it must be absolute.
     */
    config?: string;
  } = {},
): Promise<PrometheusServer> {
  const bin = requireBinary(PROMETHEUS);
  const dir = mkdtempSync(join(tmpdir(), 'argus-prometheus-'));
  const jobs = targets.map((t, i) => {
    const u = new URL(t.url);
    return [
      `  - job_name: target${i}`,
      `    metrics_path: ${u.pathname}`,
      `    scheme: ${u.protocol.replace(':', '')}`,
      ...(t.honorLabels ? ['    honor_labels: true'] : []),
      ...(t.bearerToken ? ['    authorization:', `      credentials: ${JSON.stringify(t.bearerToken)}`] : []),
      `    static_configs: [{ targets: ['${u.host}'] }]`,
    ].join('\n');
  });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    config ??
      `global: { scrape_interval: ${scrapeIntervalSeconds}s, evaluation_interval: ${scrapeIntervalSeconds}s }\nscrape_configs:\n${jobs.join('\n')}\n`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...flags,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (c: Buffer) => {
    output = (output + c).slice(-4000);
  });
  child.stderr?.on('data', (c: Buffer) => {
    output = (output + c).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`prometheus exited during start:\n${output}`);
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown } };
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
    return body.data!.result as { metric: Record<string, string>; value: [number, string] }[];
  };

  return {
    url,
    query,
    async waitFor(promql, accept, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      let last: Awaited<ReturnType<typeof query>> = [];
      for (;;) {
        last = await query(promql);
        if (accept(last)) return last;
        if (Date.now() > until) {
          throw new Error(`timed out waiting for ${promql}; last result: ${JSON.stringify(last)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop,
  };
}
