import { performance } from 'node:perf_hooks';
import type {
  CallbackTypeName,
  InteractionCallbackEvent,
  InteractionKind,
  InteractionRecord,
  Payload,
} from '../types.js';

const CALLBACK_NAMES: Record<number, CallbackTypeName> = {
  1: 'pong',
  4: 'reply',
  5: 'deferReply',
  6: 'deferUpdate',
  7: 'update',
  8: 'autocomplete',
  9: 'modal',
  10: 'premiumRequired',
  12: 'launchActivity',
};

export function callbackTypeName(type: number): CallbackTypeName {
  return CALLBACK_NAMES[type] ?? 'unknown';
}

interface Tracked {
  record: InteractionRecord;
  /** performance.now() when the dispatch was written; latency is measured on this monotonic clock. */
  sentPerf: number;
  waiters: ((event: InteractionCallbackEvent) => void)[] | null;
}

export type CallbackOutcome =
  | { ok: true; event: InteractionCallbackEvent }
  | { ok: false; reason: 'unknown' | 'expired' | 'duplicate' };

/**
 * Remembers the interactions the sim sent, so callbacks and webhook calls can be matched to them and
 * receipt-to-response latency measured. Bounded: the oldest records are dropped first.
 */
export class InteractionTracker {
  private readonly byId = new Map<string, Tracked>();
  private readonly idByToken = new Map<string, string>();
  answered = 0;
  unknown = 0;
  duplicate = 0;
  followUps = 0;
  edits = 0;
  readonly callbacksByType: Record<string, number> = {};
  readonly sentByKind: Record<string, number> = {};
  sent = 0;

  constructor(
    private readonly max: number,
    private readonly deadlineMs: number,
  ) {}

  register(
    id: string,
    token: string,
    kind: InteractionKind | 'raw',
    name: string,
    shardId: number,
    guildId: string | null,
    channelId: string | null,
  ): void {
    const record: InteractionRecord = {
      id,
      token,
      kind,
      name,
      shardId,
      guildId,
      channelId,
      sentAt: Date.now(),
      callback: null,
      followUps: 0,
      edits: 0,
    };
    this.byId.set(id, { record, sentPerf: performance.now(), waiters: null });
    this.idByToken.set(token, id);
    this.sent++;
    this.sentByKind[kind] = (this.sentByKind[kind] ?? 0) + 1;
    if (this.byId.size > this.max) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) {
        const t = this.byId.get(oldest);
        this.byId.delete(oldest);
        if (t) this.idByToken.delete(t.record.token);
      }
    }
  }

  get(id: string): InteractionRecord | undefined {
    return this.byId.get(id)?.record;
  }

  idForToken(token: string): string | undefined {
    return this.idByToken.get(token);
  }

  /** A promise for the initial callback of `id` (resolves at once if it already arrived). */
  callbackOf(id: string): Promise<InteractionCallbackEvent> {
    const t = this.byId.get(id);
    if (!t) return new Promise(() => {});
    if (t.record.callback) return Promise.resolve(t.record.callback);
    return new Promise((resolve) => {
      if (!t.waiters) t.waiters = [];
      t.waiters.push(resolve);
    });
  }

  onCallback(id: string, token: string, body: Payload | null): CallbackOutcome {
    const t = this.byId.get(id);
    if (!t || t.record.token !== token) {
      this.unknown++;
      return { ok: false, reason: 'unknown' };
    }
    if (t.record.callback) {
      this.duplicate++;
      return { ok: false, reason: 'duplicate' };
    }
    const now = performance.now();
    const latencyMs = now - t.sentPerf;
    if (this.deadlineMs > 0 && latencyMs > this.deadlineMs) {
      this.unknown++;
      return { ok: false, reason: 'expired' };
    }
    const type = typeof body?.type === 'number' ? body.type : -1;
    const event: InteractionCallbackEvent = {
      interactionId: id,
      kind: t.record.kind,
      name: t.record.name,
      shardId: t.record.shardId,
      guildId: t.record.guildId,
      callbackType: type,
      callbackTypeName: callbackTypeName(type),
      body,
      receivedAt: Date.now(),
      latencyMs,
    };
    t.record.callback = event;
    this.answered++;
    const key = event.callbackTypeName;
    this.callbacksByType[key] = (this.callbacksByType[key] ?? 0) + 1;
    const waiters = t.waiters;
    t.waiters = null;
    if (waiters) for (const w of waiters) w(event);
    return { ok: true, event };
  }

  onFollowUp(token: string): string | null {
    this.followUps++;
    const id = this.idByToken.get(token);
    const t = id ? this.byId.get(id) : undefined;
    if (t) t.record.followUps++;
    return id ?? null;
  }

  onEdit(token: string): string | null {
    this.edits++;
    const id = this.idByToken.get(token);
    const t = id ? this.byId.get(id) : undefined;
    if (t) t.record.edits++;
    return id ?? null;
  }

  /** Records of the interactions sent, oldest first (bounded by `max`). */
  *records(): IterableIterator<InteractionRecord> {
    for (const t of this.byId.values()) yield t.record;
  }
}
