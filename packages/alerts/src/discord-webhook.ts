import { DiscordAPIError, REST } from '@discordjs/rest';
import type { AlertState, AlertTransition } from './evaluator';
import {
  alertEmbed,
  digestEmbed,
  type Embed,
  embedChars,
  MAX_EMBED_CHARS_PER_MESSAGE,
  MAX_EMBEDS_PER_MESSAGE,
  type NotificationKind,
} from './internal/alert-embed';
import { nodeHttpRequest } from './internal/node-http-request';
import { parseWebhookUrl, type WebhookTarget } from './internal/webhook-url';

/**
 * What became of one message: `sent`; `failed` (network error, 5xx, a 4xx other than 404);
 * `gone` (404: the webhook was deleted, so nothing more is sent); `dropped` (the queue was full
 * or the notifier closed); `rate_limited` (Discord answered 429; the REST client waits and retries).
 */
export type NotificationResult = 'sent' | 'failed' | 'gone' | 'dropped' | 'rate_limited';

export interface DiscordWebhookNotifierOptions {
  /** `https://discord.com/api/webhooks/<id>/<token>`. */
  webhookUrl: string;
  /** Linked from every embed: where the operator sees the alerts. */
  dashboardUrl?: string;
  /** How often an alert that stays firing is announced again, in ms. Default 4 h. */
  repeatIntervalMs?: number;
  /** More alerts than this changing in one evaluation become one digest embed. Default 10. */
  digestAbove?: number;
  /**
   * The least time between two messages, in ms. Default 2 000: Discord allows a channel 30
   * webhook messages a minute, and a webhook 5 requests per 2 s.
   */
  minGapMs?: number;
  /** Messages waiting beyond this many are dropped (and counted). Default 20. */
  maxQueued?: number;
  /** Per-request timeout of the REST client, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Counts every outcome: wire it to `argus_alert_notifications_total{result}`. */
  onResult?: (result: NotificationResult) => void;
  /** Told once per kind of failure, with a message that never holds the webhook token. */
  onError?: (message: string) => void;
}

export interface WebhookMessage {
  username: string;
  content?: string;
  embeds: Embed[];
  allowed_mentions: { parse: never[] };
}

/**
 * Sends alert notifications to a Discord webhook through discord.js' REST client, on an instance
 * and queue of its own: it never shares the bot's rate-limit budget, and neither its events nor
 * its transport (node:https, not undici) reach Argus' REST metrics. Sending never throws and never blocks the
 * caller; its own failures are counted, not alerted on.
 */
export class DiscordWebhookNotifier {
  private readonly target: WebhookTarget;
  private readonly rest: REST;
  private readonly repeatIntervalMs: number;
  private readonly digestAbove: number;
  private readonly minGapMs: number;
  private readonly maxQueued: number;
  /** The last notification per alert fingerprint: dedupes firing, schedules repeats. */
  private readonly notified = new Map<string, { kind: NotificationKind; at: number }>();
  private readonly queue: WebhookMessage[] = [];
  private readonly reported = new Set<string>();
  private draining: Promise<void> | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private gone = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private gapTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DiscordWebhookNotifierOptions) {
    this.target = parseWebhookUrl(options.webhookUrl, 'alertWebhookUrl');
    this.repeatIntervalMs = options.repeatIntervalMs ?? 4 * 3600_000;
    this.digestAbove = options.digestAbove ?? 10;
    this.minGapMs = options.minGapMs ?? 2000;
    this.maxQueued = options.maxQueued ?? 20;
    this.rest = new REST({
      api: this.target.api,
      version: '10',
      timeout: options.timeoutMs ?? 10_000,
      retries: 1,
      makeRequest: nodeHttpRequest,
    });
    this.rest.on('rateLimited', () => this.options.onResult?.('rate_limited'));
  }

  /** Messages waiting to be sent. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * One evaluation's news: new firing alerts (once each), resolutions of alerts that were
   * announced, and a repeat for every alert still firing after the repeat interval.
   */
  notify(transitions: readonly AlertTransition[], active: readonly AlertState[], now = Date.now()): void {
    if (this.closed || this.gone) return;
    const items: { alert: AlertState; kind: NotificationKind }[] = [];
    for (const { kind, alert } of transitions) {
      const key = fingerprint(alert);
      const last = this.notified.get(key);
      if (kind === 'firing') {
        if (last && last.kind !== 'resolved') continue;
        this.notified.set(key, { kind: 'firing', at: now });
        items.push({ alert, kind: 'firing' });
      } else {
        if (!last) continue;
        this.notified.delete(key);
        items.push({ alert, kind: 'resolved' });
      }
    }
    for (const alert of active) {
      if (alert.status !== 'firing') continue;
      const key = fingerprint(alert);
      const last = this.notified.get(key);
      if (!last || now - last.at < this.repeatIntervalMs) continue;
      this.notified.set(key, { kind: 'repeat', at: now });
      items.push({ alert, kind: 'repeat' });
    }
    if (items.length === 0) return;
    const embeds =
      items.length > this.digestAbove
        ? [digestEmbed(items, this.options.dashboardUrl)]
        : items.map((i) => alertEmbed(i.alert, i.kind, this.options.dashboardUrl));
    for (const message of chunk(embeds)) this.enqueue(message);
  }

  /** Queues one message of embeds (the error digest uses this); never throws. */
  enqueue(message: WebhookMessage): void {
    if (this.closed || this.gone) {
      this.options.onResult?.('dropped');
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.options.onResult?.('dropped');
      return;
    }
    this.queue.push(message);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** Resolves when every queued message is sent or has failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops sending; queued messages are dropped and counted. */
  close(): void {
    this.closed = true;
    this.rest.clearHashSweeper();
    this.rest.clearHandlerSweeper();
    for (const _ of this.queue.splice(0)) this.options.onResult?.('dropped');
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.wake?.();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.closed && !this.gone) {
      const wait = this.lastSentAt + this.minGapMs - Date.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.gapTimer = setTimeout(resolve, wait);
          this.gapTimer.unref();
        });
        this.wake = undefined;
        continue;
      }
      const message = this.queue.shift() as WebhookMessage;
      this.lastSentAt = Date.now();
      await this.send(message);
    }
  }

  private async send(message: WebhookMessage): Promise<void> {
    try {
      await this.rest.post(`/webhooks/${this.target.id}/${this.target.token}`, {
        body: message,
        auth: false,
        query: new URLSearchParams({ wait: 'true' }),
      });
      this.options.onResult?.('sent');
    } catch (error) {
      const status = error instanceof DiscordAPIError ? error.status : undefined;
      if (status === 404) {
        this.gone = true;
        this.options.onResult?.('gone');
        for (const _ of this.queue.splice(0)) this.options.onResult?.('dropped');
        this.reportOnce(
          'gone',
          'the alert webhook returned 404 (deleted?): alert notifications stop until restart',
        );
        return;
      }
      this.options.onResult?.('failed');
      // Only the status or the error's class: a REST error's URL would carry the webhook token.
      const what =
        status !== undefined ? `HTTP ${status}` : error instanceof Error ? error.name : 'unknown error';
      this.reportOnce(what, `an alert notification failed (${what}); later failures are only counted`);
    }
  }

  private reportOnce(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.options.onError?.(message);
  }
}

function fingerprint(alert: AlertState): string {
  return JSON.stringify(Object.entries(alert.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Splits embeds into messages within Discord's 10-embed and 6 000-character limits. */
function chunk(embeds: readonly Embed[]): WebhookMessage[] {
  const out: WebhookMessage[] = [];
  let current: Embed[] = [];
  let chars = 0;
  for (const embed of embeds) {
    const size = embedChars(embed);
    if (
      current.length > 0 &&
      (current.length === MAX_EMBEDS_PER_MESSAGE || chars + size > MAX_EMBED_CHARS_PER_MESSAGE)
    ) {
      out.push(message(current));
      current = [];
      chars = 0;
    }
    current.push(embed);
    chars += size;
  }
  if (current.length > 0) out.push(message(current));
  return out;
}

function message(embeds: Embed[]): WebhookMessage {
  return { username: 'Argus', embeds, allowed_mentions: { parse: [] } };
}
