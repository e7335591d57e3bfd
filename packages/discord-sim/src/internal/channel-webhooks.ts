// Discord's incoming (channel) webhooks: created by a test, executed by anything that holds the
// URL (POST /webhooks/:id/:token, no bot auth), with the per-webhook rate-limit headers Discord
// sends (5 requests per 2 s window) and a real 429 once the window is spent.
import type { Payload } from '../types.js';

/** Requests a webhook may make per window, and the window, as Discord documents for webhooks. */
export const WEBHOOK_LIMIT = 5;
export const WEBHOOK_WINDOW_MS = 2000;

export interface ChannelWebhook {
  id: string;
  token: string;
  channelId: string;
}

/** One executed message, as the webhook received it. */
export interface ExecutedWebhookMessage {
  webhookId: string;
  messageId: string;
  body: Payload | null;
  receivedAt: number;
}

export interface WebhookReply {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
}

interface Window {
  startedAt: number;
  used: number;
}

export class ChannelWebhooks {
  private readonly hooks = new Map<string, ChannelWebhook>();
  private readonly windows = new Map<string, Window>();
  /** Deleted ids keep answering 404 here rather than falling through to interaction follow-ups. */
  private readonly deleted = new Set<string>();
  readonly executed: ExecutedWebhookMessage[] = [];
  /** Requests answered with 429 because the window was spent (injected faults are not counted here). */
  rateLimited = 0;

  add(hook: ChannelWebhook): void {
    this.hooks.set(hook.id, hook);
  }

  /** Deletes a webhook: later executions get Discord's 404 Unknown Webhook. */
  delete(id: string): boolean {
    if (!this.hooks.delete(id)) return false;
    this.deleted.add(id);
    return true;
  }

  /** Whether an execution of this id is a channel webhook's (live or deleted). */
  has(id: string): boolean {
    return this.hooks.has(id) || this.deleted.has(id);
  }

  execute(
    id: string,
    token: string,
    body: Payload | null,
    messageId: string,
    now = Date.now(),
  ): WebhookReply {
    const hook = this.hooks.get(id);
    if (!hook || hook.token !== token) {
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 }, headers: {} };
    }
    let window = this.windows.get(id);
    if (!window || now - window.startedAt >= WEBHOOK_WINDOW_MS) {
      window = { startedAt: now, used: 0 };
      this.windows.set(id, window);
    }
    const resetAfter = Math.max(0, WEBHOOK_WINDOW_MS - (now - window.startedAt)) / 1000;
    const headers = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(WEBHOOK_LIMIT),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String((now + resetAfter * 1000) / 1000),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': `webhook-${id}`,
    });
    if (window.used >= WEBHOOK_LIMIT) {
      this.rateLimited++;
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: resetAfter, global: false },
        headers: { ...headers(0), 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' },
      };
    }
    window.used++;
    this.executed.push({ webhookId: id, messageId, body, receivedAt: now });
    return {
      status: 200,
      body: {
        id: messageId,
        type: 0,
        channel_id: hook.channelId,
        webhook_id: id,
        content: typeof body?.content === 'string' ? body.content : '',
        embeds: Array.isArray(body?.embeds) ? body.embeds : [],
        timestamp: new Date(now).toISOString(),
      },
      headers: headers(WEBHOOK_LIMIT - window.used),
    };
  }
}
