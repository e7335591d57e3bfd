import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUSHGATEWAY, requireBinary } from './binaries';
import { freePort } from './prometheus-server';

export interface PushgatewayServer {
  /** e.g. http://127.0.0.1:9091 */
  url: string;
  port: number;
  /** The Pushgateway's own /metrics (every pushed group, with push_time_seconds). */
  metrics(): Promise<string>;
  /** The Authorization header its own reads need (basic auth), if any. */
  authorization: string | undefined;
  stop(): Promise<void>;
}

/**
 * A real Pushgateway (Debian's prometheus-pushgateway) on a loopback port, in memory only (no
 * persistence file), so a stop and a start on the same `port` is a restart that lost every group.
 */
export interface StartPushgatewayOptions {
  /** Default: a free port. */
  port?: number;
  /** Basic auth on every route (the Pushgateway's web config): the password and its bcrypt hash. */
  basicAuth?: { username: string; password: string; bcryptHash: string };
}

export async function startPushgateway({
  port,
  basicAuth,
}: StartPushgatewayOptions = {}): Promise<PushgatewayServer> {
  const bin = requireBinary(PUSHGATEWAY);
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  const args = [`--web.listen-address=127.0.0.1:${listen}`];
  let dir: string | undefined;
  if (basicAuth) {
    dir = mkdtempSync(join(tmpdir(), 'argus-pushgateway-'));
    writeFileSync(
      join(dir, 'web.yml'),
      `basic_auth_users:\n  ${JSON.stringify(basicAuth.username)}: ${JSON.stringify(basicAuth.bcryptHash)}\n`,
    );
    args.push(`--web.config.file=${join(dir, 'web.yml')}`);
  }
  const authorization = basicAuth
    ? `Basic ${Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64')}`
    : undefined;
  const headers: Record<string, string> = authorization ? { authorization } : {};
  let output = '';
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (c: Buffer) => {
    output = (output + c).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (exited) return;
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
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`pushgateway exited during start:\n${output}`);
    try {
      const res = await fetch(`${url}/-/ready`, { headers });
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pushgateway was not ready within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port: listen,
    authorization,
    async metrics() {
      const res = await fetch(`${url}/metrics`, { headers });
      if (!res.ok) throw new Error(`pushgateway /metrics answered ${res.status}`);
      return res.text();
    },
    stop,
  };
}
