import { type ChildProcess, spawn } from 'node:child_process';
import { PUSHGATEWAY, requireBinary } from './binaries';
import { freePort } from './prometheus-server';

export interface PushgatewayServer {
  /** e.g. http://127.0.0.1:9091 */
  url: string;
  port: number;
  /** The Pushgateway's own /metrics (every pushed group, with push_time_seconds). */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real Pushgateway (Debian's prometheus-pushgateway) on a loopback port, in memory only (no
 * persistence file), so a stop and a start on the same `port` is a restart that lost every group.
 */
export async function startPushgateway({ port }: { port?: number } = {}): Promise<PushgatewayServer> {
  const bin = requireBinary(PUSHGATEWAY);
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  let output = '';
  const child: ChildProcess = spawn(bin, [`--web.listen-address=127.0.0.1:${listen}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      const res = await fetch(`${url}/-/ready`);
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
    async metrics() {
      const res = await fetch(`${url}/metrics`);
      return res.text();
    },
    stop,
  };
}
