import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import type { Client } from 'discord.js';
import { build } from 'tsdown';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError, runCli } from '../src/internal/cli-main.js';
import { destroyAll } from './helpers.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
// Built inside the package's node_modules so `ws` resolves exactly as it does for the published bin.
const outDir = `${pkgDir}node_modules/.cache/cli-test`;
const clients: Client[] = [];
const children: ChildProcess[] = [];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

interface Printed {
  apiUrl: string;
  token: string;
  shardCount: number;
  guildCount: number;
  controlUrl: string;
}

afterEach(async () => {
  await destroyAll(clients);
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('runCli (in-process)', () => {
  it('starts the sim with the given options and prints its addresses as JSON', async () => {
    const { out, io } = capture();
    const handle = await runCli(
      [
        '--port',
        '0',
        '--shards',
        '2',
        '--guilds',
        '4',
        '--token',
        'cli-token',
        '--ack-delay',
        '5,10',
        '--json',
      ],
      io,
    );
    if (!handle) throw new Error('no handle');
    try {
      const printed = JSON.parse(out[0] ?? '{}') as Printed;
      expect(printed).toMatchObject({ token: 'cli-token', shardCount: 2, guildCount: 4 });
      expect(printed.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
      expect(handle.sim.stats().shards.map((s) => s.ackDelayMs)).toEqual([5, 10]);
      const client = makeClient(handle.sim, { shards: 'auto' });
      clients.push(client);
      await loginReady(client, 'cli-token');
      expect(client.guilds.cache.size).toBe(4);
    } finally {
      await destroyAll(clients);
      expect(await handle.stop()).toBeNull();
    }
  });

  it('plays a scenario once a bot identifies, and reports it on stop', async () => {
    const { out, io } = capture();
    const handle = await runCli(['--scenario', 'steady', '--rate', '50', '--duration', '30'], io);
    if (!handle) throw new Error('no handle');
    expect(out.join('\n')).toContain('api      http://127.0.0.1:');
    expect(handle.driver()).toBeNull();
    const client = makeClient(handle.sim);
    clients.push(client);
    await loginReady(client, handle.sim.token);
    await until(() => (handle.driver()?.report().sent.total ?? 0) > 5, 10_000, 'scenario traffic');
    expect(handle.driver()?.scenario.durationMs).toBe(30_000);
    await destroyAll(clients);
    const report = await handle.stop();
    expect(report?.scenario).toBe('steady');
    expect(report?.running).toBe(false);
    expect(out.some((l) => l.includes("scenario 'steady' started at 50 events/s"))).toBe(true);
  });

  it('prints help, and rejects bad arguments with a usage error', async () => {
    const { out, io } = capture();
    expect(await runCli(['--help'], io)).toBeNull();
    expect(out.join('\n')).toContain('Usage: argus-discord-sim');
    await expect(runCli(['--shards', 'two'], io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(runCli(['--scenario', 'nope'], io)).rejects.toThrow(
      /--scenario must be one of steady, busy, chaos/,
    );
    await expect(runCli(['--bogus'], io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(runCli(['--ack-delay', '5,x'], io)).rejects.toBeInstanceOf(CliUsageError);
  });
});

describe('argus-discord-sim bin (built, spawned with node)', () => {
  beforeAll(async () => {
    await build({
      config: false,
      cwd: pkgDir,
      entry: ['src/cli.ts'],
      format: ['esm'],
      outDir,
      dts: false,
      clean: true,
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
    });
  }, 60_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  async function start(args: string[]) {
    const child = spawn(process.execPath, [`${outDir}/cli.mjs`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const firstLine = await until(
      () => (stdout.includes('\n') ? stdout.split('\n')[0] : undefined),
      15_000,
      'CLI output',
    );
    return { child, firstLine, output: () => stdout, errors: () => stderr };
  }

  it('prints the API URL, serves a real client, and exits 0 on SIGINT', async () => {
    const { child, firstLine, output } = await start(['--json', '--shards', '2', '--guilds', '3']);
    const printed = JSON.parse(firstLine) as Printed;
    const client = makeClient({ apiUrl: printed.apiUrl }, { shards: 'auto' });
    clients.push(client);
    await loginReady(client, printed.token);
    expect(client.ws.shards.size).toBe(2);
    expect(client.guilds.cache.size).toBe(3);
    const state = (await (await fetch(`${printed.controlUrl}/state`)).json()) as {
      stats: { connections: number };
    };
    expect(state.stats.connections).toBe(2);
    await destroyAll(clients);
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output()).toContain('received SIGINT, shutting down');
  });

  it('exits 0 on SIGTERM while a scenario runs', async () => {
    const { child, firstLine, output } = await start(['--scenario', 'busy', '--rate', '20']);
    expect(firstLine).toMatch(/^argus-discord-sim listening on http:\/\/127\.0\.0\.1:\d+$/);
    // The api line may arrive in a later chunk than the first line: wait for it.
    const apiUrl = await until(() => /api {6}(\S+)\s/.exec(output())?.[1], 10_000, 'the api line');
    const client = makeClient({ apiUrl });
    clients.push(client);
    await loginReady(client, 'argus-sim-token');
    await until(() => output().includes("scenario 'busy' started"), 10_000);
    await destroyAll(clients);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }, output()).toEqual({ code: 0, signal: null });
  });

  it('exits 2 with usage on bad arguments', async () => {
    const child = spawn(process.execPath, [`${outDir}/cli.mjs`, '--port', 'abc'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a number');
    expect(stderr).toContain('Usage: argus-discord-sim');
  });
});
