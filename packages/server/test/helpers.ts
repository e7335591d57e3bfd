import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, MetricsSnapshot } from '@argus/core';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps every record, and the whole text of them for "never logged" checks. */
export function captureLogger(): Logger & { records: LogRecord[]; text(): string } {
  const records: LogRecord[] = [];
  const at =
    (level: LogRecord['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      records.push({ level, message, ...(fields ? { fields } : {}) });
    };
  return {
    records,
    text: () => JSON.stringify(records),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

export const EXPECTED_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-src 'self'";

/** The hardening every response must carry. Returns the problems, empty when all is well. */
export function hardeningProblems(headers: Headers, csp = EXPECTED_CSP): string[] {
  const expected: Record<string, string> = {
    server: 'argus',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': csp,
  };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    if (headers.get(name) !== value) problems.push(`${name}: ${headers.get(name)}`);
  }
  if (headers.has('x-powered-by')) problems.push('x-powered-by present');
  if (headers.has('strict-transport-security')) problems.push('hsts present');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Dashboard fixtures

export const SPA_INDEX =
  '<!doctype html><html><head><script type="module" src="./assets/index-Ab12Cd.js"></script></head><body><div id="app"></div></body></html>\n';

/**
 * A built SPA as Vite lays it out, in a fresh temp directory, plus things that must never be
 * served: a secret next to it, a symlink pointing at that secret, a dot file, a directory.
 */
export function spaFixture(): { root: string; dir: string; secret: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'argus-spa-'));
  const dir = join(root, 'dist');
  mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
  mkdirSync(join(dir, 'fonts'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), SPA_INDEX);
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd.js'), 'console.log("argus");\n');
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd.js.map'), '{"version":3}');
  writeFileSync(join(dir, 'assets', 'index-Ef34Gh.css'), 'body{margin:0}\n');
  writeFileSync(join(dir, 'assets', 'logo-Ij56.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'assets', 'logo-Kl78.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(dir, 'assets', 'nested', 'deep-Mn90.js'), 'export {};\n');
  writeFileSync(join(dir, 'fonts', 'geist.woff2'), Buffer.from('wOF2'));
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'manifest.json'), '{"name":"argus"}');
  writeFileSync(join(dir, 'weird.bin'), Buffer.from([0, 1, 2]));
  writeFileSync(join(dir, '.env'), 'SECRET=dotfile\n');
  const secret = join(root, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-OUTSIDE\n');
  symlinkSync(secret, join(dir, 'assets', 'link-out.js'));
  symlinkSync(root, join(dir, 'up'));
  symlinkSync(join(dir, 'favicon.svg'), join(dir, 'assets', 'link-in.svg'));
  return { root, dir, secret, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A snapshot with one family per kind (gauge, counter, histogram), for routes that only pass it through. */
export function sampleSnapshot(time = 1_700_000_000_000): MetricsSnapshot {
  return {
    time,
    metrics: {
      discord_guilds: {
        type: 'gauge',
        help: 'Guilds',
        labelNames: ['cluster'],
        series: [[['default'], 3]],
      },
      discord_interactions_total: {
        type: 'counter',
        help: 'Interactions',
        labelNames: ['cluster', 'type'],
        series: [[['default', 'command'], 7]],
      },
      discord_interaction_response_seconds: {
        type: 'histogram',
        help: 'Interaction response time',
        labelNames: ['cluster', 'command'],
        le: ['0.1', '1', '+Inf'],
        series: [[['default', 'ping'], [2, 5, 6], 3.25, 6]],
      },
    },
  };
}

export type SseItem =
  | { kind: 'retry'; ms: number; at: number }
  | { kind: 'comment'; text: string; at: number }
  | { kind: 'event'; id: string | undefined; data: string; at: number };

/** An EventSource-like reader over a real socket that keeps every field it saw, in order. */
export class SseClient {
  readonly items: SseItem[] = [];
  raw = '';
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly res: IncomingMessage,
    readonly destroy: () => void,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.raw += chunk;
      this.buffer += chunk;
      this.parse();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    res.on('end', end);
    res.on('close', end);
    res.on('error', end);
  }

  /** Connects; resolves once the response headers arrived (any status). */
  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } });
      req.on('response', (res) => resolve(new SseClient(res, () => req.destroy())));
      req.on('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  events(): Extract<SseItem, { kind: 'event' }>[] {
    return this.items.filter((i): i is Extract<SseItem, { kind: 'event' }> => i.kind === 'event');
  }

  comments(): string[] {
    return this.items.flatMap((i) => (i.kind === 'comment' ? [i.text] : []));
  }

  /** Waits until `done()` holds, or fails after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.raw)}`);
      if (this.ended && !done())
        throw new Error(`stream ended before ${what}; saw ${JSON.stringify(this.raw)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.destroy();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private parse(): void {
    // The server only ever ends lines with \n.
    for (let blank = this.buffer.indexOf('\n\n'); blank !== -1; blank = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, blank);
      this.buffer = this.buffer.slice(blank + 2);
      const at = Date.now();
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.items.push({ kind: 'comment', text: line.slice(1).trim(), at });
        else if (line.startsWith('retry: '))
          this.items.push({ kind: 'retry', ms: Number(line.slice(7)), at });
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else throw new Error(`unexpected SSE line ${JSON.stringify(line)}`);
      }
      if (data.length > 0) this.items.push({ kind: 'event', id, data: data.join('\n'), at });
    }
    this.notify();
  }
}
