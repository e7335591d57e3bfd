import type { NotificationResult } from './discord-webhook';
import type { AlertState, AlertTransition } from './evaluator';
import { nodeHttpRequest } from './internal/node-http-request';

export interface JsonWebhookNotifierOptions {
  /** Receives one POST per evaluation that changed something, in Alertmanager's webhook shape. */
  url: string;
  /** `externalURL` of the payload and each alert's `generatorURL`: the dashboard. */
  externalUrl?: string;
  /** Bodies waiting beyond this many are dropped (and counted). Default 20. */
  maxQueued?: number;
  timeoutMs?: number;
  onResult?: (result: NotificationResult) => void;
  onError?: (message: string) => void;
}

/** Alertmanager's webhook payload (version 4), for tools that already take it. */
export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
}

/** Alertmanager's "no end yet". */
const ZERO_TIME = '0001-01-01T00:00:00Z';

function fingerprint(labels: Readonly<Record<string, string>>): string {
  // FNV-1a over the sorted pairs: stable, short, and not a secret.
  let h = 0xcbf29ce484222325n;
  for (const [k, v] of Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const ch of `${k}\u0000${v}\u0000`) {
      h ^= BigInt(ch.codePointAt(0) ?? 0);
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
  }
  return h.toString(16).padStart(16, '0');
}

function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const [first, ...rest] = maps;
  const out: Record<string, string> = { ...(first ?? {}) };
  for (const m of rest) for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  return out;
}

export function alertmanagerPayload(
  transitions: readonly { kind: 'firing' | 'resolved'; alert: AlertState }[],
  externalUrl = '',
): AlertmanagerPayload {
  const alerts = transitions.map(({ kind, alert }) => ({
    status: kind,
    labels: { ...alert.labels },
    annotations: { summary: alert.summary, description: alert.description, runbook: alert.runbook },
    startsAt: new Date(alert.activeAt).toISOString(),
    endsAt:
      kind === 'resolved' && alert.resolvedAt !== undefined
        ? new Date(alert.resolvedAt).toISOString()
        : ZERO_TIME,
    generatorURL: externalUrl,
    fingerprint: fingerprint(alert.labels),
  }));
  return {
    version: '4',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'argus',
    groupLabels: {},
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: externalUrl,
    alerts,
  };
}

/**
 * Posts alert changes as Alertmanager's webhook payload to any URL (ntfy, a chat bridge, your own
 * service), one request at a time from a bounded queue, over node:http(s). Never throws into the
 * caller; every outcome is counted.
 */
export class JsonWebhookNotifier {
  private readonly queue: string[] = [];
  private readonly maxQueued: number;
  private readonly reported = new Set<string>();
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: JsonWebhookNotifierOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError('alertJsonWebhookUrl is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError(`alertJsonWebhookUrl must be http(s), got ${url.protocol}`);
    }
    this.maxQueued = options.maxQueued ?? 20;
  }

  notify(transitions: readonly AlertTransition[]): void {
    if (transitions.length === 0) return;
    if (this.closed || this.queue.length >= this.maxQueued) {
      this.options.onResult?.('dropped');
      return;
    }
    this.queue.push(JSON.stringify(alertmanagerPayload(transitions, this.options.externalUrl)));
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  close(): void {
    this.closed = true;
    for (const _ of this.queue.splice(0)) this.options.onResult?.('dropped');
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const body = this.queue.shift() as string;
      try {
        const res = await nodeHttpRequest(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        if (res.ok) {
          this.options.onResult?.('sent');
          continue;
        }
        this.options.onResult?.(res.status === 429 ? 'rate_limited' : 'failed');
        this.reportOnce(`HTTP ${res.status}`);
      } catch (error) {
        this.options.onResult?.('failed');
        this.reportOnce(error instanceof Error ? error.name : 'unknown error');
      }
    }
  }

  private reportOnce(what: string): void {
    if (this.reported.has(what)) return;
    this.reported.add(what);
    this.options.onError?.(`the JSON alert webhook failed (${what}); later failures are only counted`);
  }
}
