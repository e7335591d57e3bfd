// A real Prometheus 2.42 (Debian) scrapes the adapter over HTTP, once negotiating OpenMetrics
// (Prometheus asks for it first) and once on a text-only path, so both formats go through
// Prometheus' own parsers; then the values are read back through its query API.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROMETHEUS, requireBinary } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExpositionFormat, negotiateFormat } from '../src/index';
import { type Realistic, realisticRegistry } from './fixtures';

const TRICKY = 'quote " backslash \\ newline \n unicode ✓ émoji 🚀';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

interface Target {
  labels: { job: string };
  health: string;
  lastError: string;
}

describe('a real Prometheus scrape', () => {
  let fixture: Realistic;
  let server: Server;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let api = '';
  let dir = '';
  const served: { path: string; accept: string | undefined; format: ExpositionFormat }[] = [];

  beforeAll(async () => {
    const binary = requireBinary(PROMETHEUS);
    fixture = realisticRegistry({ processMetrics: true });
    fixture.registry.define({
      kind: 'counter',
      name: 'test_tricky_labels_total',
      help: 'Label values that need escaping.',
      labelNames: ['value'],
    });
    fixture.registry.counter('test_tricky_labels_total').labels(TRICKY).inc(3);

    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const format = path === '/text' ? 'text' : negotiateFormat(req.headers.accept);
      served.push({ path, accept: req.headers.accept, format });
      void fixture.adapter.render(format).then((body) => {
        res.writeHead(200, { 'Content-Type': fixture.adapter.contentType(format) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const target = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    dir = mkdtempSync(join(tmpdir(), 'argus-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        `  - { job_name: om, metrics_path: /metrics, static_configs: [{ targets: ['${target}'] }] }`,
        `  - { job_name: text, metrics_path: /text, static_configs: [{ targets: ['${target}'] }] }`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      binary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk) => {
      prometheusLog += chunk;
    });
    prometheus.stderr?.on('data', (chunk) => {
      prometheusLog += chunk;
    });
    await poll('Prometheus to be ready', 20_000, async () =>
      (await fetch(`${api}/-/ready`)).ok ? true : undefined,
    );
    await poll('both targets to be scraped', 30_000, async () => {
      const body = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
        data: { activeTargets: Target[] };
      };
      const targets = body.data.activeTargets;
      const failed = targets.find((t) => t.lastError !== '');
      if (failed) throw new Error(`${failed.labels.job}: ${failed.lastError}`);
      return targets.length === 2 && targets.every((t) => t.health === 'up') ? true : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}\nPrometheus log:\n${prometheusLog.slice(-3000)}`);
    });
  }, 90_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => server?.close(resolve));
    fixture?.adapter.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; data: { result: never[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  }

  it('negotiated OpenMetrics for Prometheus and text on the text-only path', () => {
    const om = served.find((s) => s.path === '/metrics');
    expect(om?.accept).toContain('application/openmetrics-text');
    expect(om?.format).toBe('openmetrics');
    expect(served.find((s) => s.path === '/text')?.format).toBe('text');
  });

  it.each(['om', 'text'])('ingests every kind from the %s exposition', async (job) => {
    const ok = await query(`discord_app_commands_total{job="${job}",command="command_1",status="ok"}`);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.metric.cluster).toBe('c1');
    expect(ok[0]!.value[1]).toBe('11');

    const info = await query(`discord_bot_info{job="${job}"}`);
    expect(info).toHaveLength(1);
    expect(info[0]!.metric).toMatchObject({
      discordjs_version: '14.28.1',
      argus_version: '0.1.0',
      cluster: 'c1',
    });
    expect(info[0]!.value[1]).toBe('1');

    const latency = await query(`discord_shard_latency_seconds{job="${job}"}`);
    expect(latency.map((r) => r.metric.shard).sort()).toEqual(['0', '1', '2', '3']);

    // 5 observations per command: 0.03, 0.2, 0.7, 1.5, 12 (scaled by 1.0 for command_0).
    const count = await query(`discord_app_command_duration_seconds_count{job="${job}",command="command_0"}`);
    expect(count[0]!.value[1]).toBe('5');
    const median = await query(
      `histogram_quantile(0.5, discord_app_command_duration_seconds_bucket{job="${job}",command="command_0"})`,
    );
    expect(Number(median[0]!.value[1])).toBeGreaterThan(0.5);
    expect(Number(median[0]!.value[1])).toBeLessThanOrEqual(1);

    const process = await query(`process_cpu_user_seconds_total{job="${job}"}`);
    expect(process).toHaveLength(1);
  });

  it.each(['om', 'text'])('round-trips escaped label values through the %s parser', async (job) => {
    const result = await query(`test_tricky_labels_total{job="${job}"}`);
    expect(result).toHaveLength(1);
    expect(result[0]!.metric.value).toBe(TRICKY);
    expect(result[0]!.value[1]).toBe('3');
  });

  it('reports no scrape error for either target', async () => {
    const body = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
      data: { activeTargets: Target[] };
    };
    expect(body.data.activeTargets.map((t) => [t.labels.job, t.health, t.lastError]).sort()).toEqual([
      ['om', 'up', ''],
      ['text', 'up', ''],
    ]);
  });
});
