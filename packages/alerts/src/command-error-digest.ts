import type { CommandRecord, LifecycleSubscriber } from '@argus/core';
import type { WebhookMessage } from './discord-webhook';
import { truncate } from './internal/alert-embed';
import { scrubMessage } from './internal/scrub-message';

/** Distinct (command, error type) pairs kept per interval; the rest are counted together. */
const MAX_GROUPS = 50;

export interface CommandErrorDigestOptions {
  /** Where the digest goes: the notifier's `enqueue`. */
  send: (message: WebhookMessage) => void;
  /** At most one digest per interval, in ms. Default 5 minutes. */
  intervalMs?: number;
  dashboardUrl?: string;
}

interface Group {
  command: string;
  errorType: string;
  count: number;
  /** The first error's message, scrubbed when the digest is built (off the hot path). */
  sample: string;
}

function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor?.name || error.name || 'Error';
  return error === null ? 'null' : typeof error;
}

/**
 * Commands that threw, grouped by command and error type with a count and one scrubbed sample
 * message, posted at most once per interval. `subscriber` goes on the lifecycle seam: its
 * `commandFinished` is O(1) and never throws.
 */
export class CommandErrorDigest {
  readonly subscriber: LifecycleSubscriber;
  private groups = new Map<string, Group>();
  private overflow = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: CommandErrorDigestOptions) {
    const intervalMs = options.intervalMs ?? 300_000;
    if (!Number.isInteger(intervalMs) || intervalMs < 1000) {
      throw new RangeError(
        `@argus/alerts: the error digest interval must be at least 1000 ms, got ${String(intervalMs)}`,
      );
    }
    this.subscriber = {
      name: 'alerts:error-digest',
      commandFinished: (command: CommandRecord, _at: number, error: unknown) => {
        if (error === undefined) return;
        this.record(command.command, error);
      },
    };
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  record(command: string, error: unknown): void {
    const type = errorType(error);
    const key = `${command}\u0000${type}`;
    const group = this.groups.get(key);
    if (group) {
      group.count++;
      return;
    }
    if (this.groups.size >= MAX_GROUPS) {
      this.overflow++;
      return;
    }
    const sample = error instanceof Error ? error.message : '';
    this.groups.set(key, { command, errorType: type, count: 1, sample: String(sample).slice(0, 2000) });
  }

  /** Sends what was collected since the last digest, if anything. */
  flush(): void {
    if (this.groups.size === 0 && this.overflow === 0) return;
    const groups = [...this.groups.values()].sort((a, b) => b.count - a.count);
    const overflow = this.overflow;
    this.groups = new Map();
    this.overflow = 0;
    const total = groups.reduce((n, g) => n + g.count, overflow);
    let description = '';
    for (const g of groups) {
      const sample = scrubMessage(g.sample, 160);
      const line = `**/${g.command}** · \`${g.errorType}\` × ${g.count}${sample ? `\n> ${sample}` : ''}\n`;
      if (description.length + line.length > 3800) break;
      description += line;
    }
    if (overflow > 0) description += `…and ${overflow} more errors in other commands.`;
    this.options.send({
      username: 'Argus',
      embeds: [
        {
          title: truncate(`${total} command error${total === 1 ? '' : 's'}`, 256),
          description: description.trimEnd(),
          color: 0xe67e22,
          footer: { text: 'Argus error digest' },
          ...(this.options.dashboardUrl ? { url: this.options.dashboardUrl } : {}),
        },
      ],
      allowed_mentions: { parse: [] },
    });
  }

  close(): void {
    clearInterval(this.timer);
  }
}
