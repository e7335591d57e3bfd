import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  BlastOptions,
  BlastResult,
  DiscordSimEvents,
  DiscordSimOptions,
  EventTarget,
  FaultHandle,
  GarbageKind,
  InteractionCallbackEvent,
  InteractionRecord,
  InteractionSpec,
  LatencyRule,
  MessageSpec,
  Payload,
  RateLimitRule,
  SentInteraction,
  SentMessage,
  SimGuild,
  SimStats,
  SimUser,
  StatusRule,
  StoredCommand,
} from '../types.js';
import { ChannelWebhooks, type ExecutedWebhookMessage } from './channel-webhooks.js';
import { type ControlContext, handleControl } from './control.js';
import { TypedEmitter } from './emitter.js';
import {
  buildInteraction,
  buildMessageCreate,
  buildPresenceUpdate,
  buildTypingStart,
  type ResolvedTarget,
} from './events.js';
import { FaultQueue } from './faults.js';
import { buildWorld, defaultMemberCount, type World } from './fixtures.js';
import { Gateway } from './gateway.js';
import { sendJson } from './http.js';
import { randomToken, SnowflakeGenerator } from './ids.js';
import { InteractionTracker } from './interactions.js';
import { CommandStore, RestApi, type RestCounters } from './rest.js';

const API_PATH = /^\/api\/v(\d+)(\/.*)?$/;
/** Marker replaced by a fresh snowflake in blast templates. */
const ID_MARK = '__ARGUS_SIM_ID__';
const INTERACTION_KINDS = new Set<string>(['command', 'autocomplete', 'button', 'select', 'modal']);

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(
      `@argus/discord-sim: option '${name}' must be an integer >= ${min}, got ${String(value)}`,
    );
  }
  return v;
}

/**
 * A running fake Discord: one HTTP server on 127.0.0.1 serving REST under `/api/v10`, the gateway
 * (WebSocket upgrade on any path) and the control API under `/_sim`. Create it with `startDiscordSim()`.
 */
export class DiscordSim extends TypedEmitter<DiscordSimEvents> {
  readonly token: string;
  readonly shardCount: number;
  readonly host: string;
  /** The bot user (its id is the application id). */
  readonly bot: SimUser;
  /** The pool of fake users who send commands and messages. */
  readonly users: readonly SimUser[];
  /** Every guild the sim serves, in index order. */
  readonly guilds: readonly SimGuild[];

  readonly #world: World;
  readonly #server: Server;
  readonly #gateway: Gateway;
  readonly #rest: RestApi;
  readonly #faults = new FaultQueue();
  readonly #channelWebhooks = new ChannelWebhooks();
  readonly #tracker: InteractionTracker;
  readonly #commands: CommandStore;
  readonly #ids = new SnowflakeGenerator();
  readonly #counters: RestCounters = {
    total: 0,
    byStatus: {},
    byRoute: {},
    rateLimited: 0,
    injectedStatuses: 0,
    channelMessages: 0,
  };
  readonly #dispatchCounts: Record<string, number> = {};
  readonly #startedAt = Date.now();
  readonly #closeHooks = new Set<() => void | Promise<void>>();
  #dispatchTotal = 0;
  #garbage = 0;
  #blasts = 0;
  #userCursor = 0;
  #port = 0;
  #closed: Promise<void> | null = null;

  private constructor(options: DiscordSimOptions) {
    super();
    this.host = options.host ?? '127.0.0.1';
    this.token = options.token ?? 'argus-sim-token';
    if (this.token.length === 0) throw new RangeError("@argus/discord-sim: option 'token' must not be empty");
    this.shardCount = positiveInt('shardCount', options.shardCount, 1);
    const heartbeatIntervalMs = positiveInt('heartbeatIntervalMs', options.heartbeatIntervalMs, 1000, 10);
    const maxConcurrency = positiveInt(
      'maxConcurrency',
      options.maxConcurrency,
      Math.max(16, this.shardCount),
    );
    this.#world = buildWorld({
      applicationId: options.applicationId,
      botUsername: options.botUsername ?? 'Argus Sim',
      shardCount: this.shardCount,
      guildCount: positiveInt('guildCount', options.guildCount, 10, 0),
      channelsPerGuild: positiveInt('channelsPerGuild', options.channelsPerGuild, 3),
      emojisPerGuild: positiveInt('emojisPerGuild', options.emojisPerGuild, 2, 0),
      stickersPerGuild: positiveInt('stickersPerGuild', options.stickersPerGuild, 1, 0),
      memberCount: options.memberCount ?? defaultMemberCount,
      userCount: positiveInt('userCount', options.userCount, 20),
    });
    this.bot = this.#world.bot;
    this.users = this.#world.users;
    this.guilds = this.#world.guilds;
    this.#tracker = new InteractionTracker(
      positiveInt('maxTrackedInteractions', options.maxTrackedInteractions, 100_000),
      options.interactionDeadlineMs ?? 0,
    );
    this.#commands = new CommandStore(this.#world.applicationId, this.#ids);
    this.#gateway = new Gateway(
      {
        world: this.#world,
        token: this.token,
        shardCount: this.shardCount,
        heartbeatIntervalMs,
        replayBufferSize: positiveInt('replayBufferSize', options.replayBufferSize, 1000, 0),
        wsBase: () => this.#wsBase,
        onIdentify: (e) => this.emit('identify', e),
        onResumed: (e) => this.emit('resumed', e),
        onClose: (e) => this.emit('shardClose', e),
        onDispatch: (t, n) => {
          this.#dispatchTotal += n;
          this.#dispatchCounts[t] = (this.#dispatchCounts[t] ?? 0) + n;
        },
      },
      options.ackDelayMs ?? 0,
    );
    this.#rest = new RestApi({
      world: this.#world,
      token: this.token,
      shardCount: this.shardCount,
      maxConcurrency,
      sessionStartLimit: positiveInt('sessionStartLimit', options.sessionStartLimit, 1000),
      sessionStarts: () => this.#gateway.shardStats().reduce((n, s) => n + s.identifies, 0),
      gatewayUrl: () => this.gatewayUrl,
      tracker: this.#tracker,
      faults: this.#faults,
      channelWebhooks: this.#channelWebhooks,
      commands: this.#commands,
      ids: this.#ids,
      counters: this.#counters,
      onRest: (e) => this.emit('rest', e),
      onChannelMessage: (e) => this.emit('channelMessage', e),
      onWebhookMessage: (e) => this.emit('webhookMessage', e),
      onInteractionCallback: (e) => this.emit('interactionCallback', e),
    });
    // Long keep-alive and a deep backlog: a bot under load stalls its event loop, and Node's 5 s default
    // would close pooled sockets under it ("other side closed").
    this.#server = createServer({ keepAliveTimeout: 120_000, headersTimeout: 121_000 }, (req, res) => {
      void this.#onRequest(req, res);
    });
    this.#server.on('upgrade', (req, socket, head) => this.#gateway.handleUpgrade(req, socket, head));
    this.#server.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Same as `startDiscordSim(options)`. */
  static async start(options: DiscordSimOptions = {}): Promise<DiscordSim> {
    const sim = new DiscordSim(options);
    await new Promise<void>((resolve, reject) => {
      sim.#server.once('error', reject);
      sim.#server.listen({ port: options.port ?? 0, host: sim.host, backlog: 4096 }, () => {
        sim.#server.off('error', reject);
        resolve();
      });
    });
    sim.#port = (sim.#server.address() as AddressInfo).port;
    return sim;
  }

  // -------------------------------------------------------------------------------------------
  // Addresses
  // -------------------------------------------------------------------------------------------

  get port(): number {
    return this.#port;
  }

  /** Host name clients should dial (a wildcard listen address is reached through loopback). */
  get #dialHost(): string {
    if (this.host === '0.0.0.0' || this.host === '') return '127.0.0.1';
    if (this.host === '::') return '[::1]';
    return this.host.includes(':') ? `[${this.host}]` : this.host;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return `http://${this.#dialHost}:${this.#port}`;
  }

  /** What to pass as discord.js `rest.api`: `http://127.0.0.1:PORT/api`. */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  /** The gateway URL returned by `/gateway/bot`. */
  get gatewayUrl(): string {
    return `${this.#wsBase}/gateway`;
  }

  /** Base of the control API: `http://127.0.0.1:PORT/_sim`. */
  get controlUrl(): string {
    return `${this.url}/_sim`;
  }

  get applicationId(): string {
    return this.#world.applicationId;
  }

  get #wsBase(): string {
    return `ws://${this.#dialHost}:${this.#port}`;
  }

  // -------------------------------------------------------------------------------------------
  // Fixture queries
  // -------------------------------------------------------------------------------------------

  /** Guilds delivered to a shard (as the connected bot counts shards). */
  guildsOfShard(shardId: number): SimGuild[] {
    return this.guilds.filter((g) => this.#gateway.shardForGuild(g.id) === shardId);
  }

  /** Shard that carries a guild's events. */
  shardOfGuild(guildId: string): number {
    return this.#gateway.shardForGuild(guildId);
  }

  /** Whether a bot has a live gateway socket on this shard. */
  isShardConnected(shardId: number): boolean {
    return this.#gateway.isConnected(shardId);
  }

  /** Shard ids with a live gateway socket. */
  connectedShards(): number[] {
    return this.#gateway.shardIds().filter((id) => this.#gateway.isConnected(id));
  }

  /** Shard ids with a session (identified and not ended), connected or not. Dispatches to them are kept for replay. */
  sessionShards(): number[] {
    return this.#gateway.shardIds().filter((id) => this.#gateway.sessionOf(id) !== undefined);
  }

  /** Application commands stored through `PUT /applications/:app/commands` (or a guild's). */
  commands(guildId?: string): StoredCommand[] {
    return this.#commands.list(guildId);
  }

  // -------------------------------------------------------------------------------------------
  // Driving events
  // -------------------------------------------------------------------------------------------

  /**
   * Sends a raw dispatch to a shard. While the shard is disconnected it is buffered and replayed on
   * RESUME. Returns the sequence number, or null if the shard has no session. An INTERACTION_CREATE
   * sent this way is tracked, so its callback is accepted and recorded.
   */
  dispatch(shardId: number, t: string, d: unknown): number | null {
    if (t === 'INTERACTION_CREATE' && typeof d === 'object' && d !== null) {
      const p = d as Payload;
      if (typeof p.id === 'string' && typeof p.token === 'string') {
        const name = ((p.data as Payload | undefined)?.name ??
          (p.data as Payload | undefined)?.custom_id ??
          '') as string;
        this.#tracker.register(
          p.id,
          p.token,
          'raw',
          String(name),
          shardId,
          typeof p.guild_id === 'string' ? p.guild_id : null,
          typeof p.channel_id === 'string' ? p.channel_id : null,
        );
      }
    }
    return this.#gateway.dispatch(shardId, t, d);
  }

  /** Sends an INTERACTION_CREATE (slash command, autocomplete, button, select or modal submit). */
  sendInteraction(spec: InteractionSpec): SentInteraction {
    if (!INTERACTION_KINDS.has(spec?.type)) {
      throw new RangeError(
        `@argus/discord-sim: interaction type must be one of ${[...INTERACTION_KINDS].join(', ')}, got '${String(spec?.type)}'`,
      );
    }
    validateSpec(spec);
    const target = this.#resolveTarget(spec);
    const shardId = this.#gateway.shardForGuild(target.guild.id);
    if (!this.#gateway.sessionOf(shardId)) throw this.#noSession(shardId);
    const id = this.#ids.next();
    const token = randomToken(`simtok_${id}_`);
    const { d, name } = buildInteraction(
      this.#world,
      spec,
      target,
      id,
      token,
      (n) => this.#commands.idOf(n, target.guild.id) ?? this.#stableCommandId(n),
      this.#ids.next(),
    );
    this.#tracker.register(id, token, spec.type, name, shardId, target.guild.id, target.channel.id);
    const seq = this.#gateway.dispatch(shardId, 'INTERACTION_CREATE', d) ?? -1;
    const record = this.#tracker.get(id);
    const tracker = this.#tracker;
    let callback: Promise<InteractionCallbackEvent> | undefined;
    return {
      id,
      token,
      kind: spec.type,
      name,
      shardId,
      guildId: target.guild.id,
      channelId: target.channel.id,
      userId: target.user.id,
      seq,
      sentAt: record?.sentAt ?? Date.now(),
      // Created on first access, so fire-and-forget senders (the traffic driver) pay nothing for it.
      get callback() {
        callback ??= tracker.callbackOf(id);
        return callback;
      },
    };
  }

  /** Sends a MESSAGE_CREATE from a pool user, e.g. a prefix command `!ping`. */
  sendMessage(spec: MessageSpec): SentMessage {
    const target = this.#resolveTarget(spec);
    const shardId = this.#gateway.shardForGuild(target.guild.id);
    if (!this.#gateway.sessionOf(shardId)) throw this.#noSession(shardId);
    const id = this.#ids.next();
    const seq =
      this.#gateway.dispatch(shardId, 'MESSAGE_CREATE', buildMessageCreate(target, id, spec.content)) ?? -1;
    return {
      id,
      shardId,
      guildId: target.guild.id,
      channelId: target.channel.id,
      userId: target.user.id,
      seq,
      sentAt: Date.now(),
    };
  }

  /**
   * Pushes `count` dispatches to a shard as fast as its socket takes them (for load tests).
   * Resolves once every frame has been handed to the socket.
   */
  async blast(options: BlastOptions): Promise<BlastResult> {
    const shardId = options.shardId ?? 0;
    const event = options.event ?? 'MESSAGE_CREATE';
    const count = positiveInt('count', options.count, 1, 0);
    const target = this.#resolveTarget({ shardId });
    this.#blasts++;
    let template: Payload;
    let onId: ((id: string) => void) | undefined;
    switch (event) {
      case 'MESSAGE_CREATE':
        template = buildMessageCreate(target, ID_MARK, options.content ?? 'hello');
        break;
      case 'TYPING_START':
        template = buildTypingStart(target);
        break;
      case 'PRESENCE_UPDATE':
        template = buildPresenceUpdate(target);
        break;
      case 'INTERACTION_CREATE': {
        const name = options.commandName ?? 'ping';
        template = buildInteraction(
          this.#world,
          { type: 'command', name },
          target,
          ID_MARK,
          `simtok_${ID_MARK}`,
          (n) => this.#commands.idOf(n, target.guild.id) ?? this.#stableCommandId(n),
          '0',
        ).d;
        onId = (id) =>
          this.#tracker.register(
            id,
            `simtok_${id}`,
            'command',
            name,
            shardId,
            target.guild.id,
            target.channel.id,
          );
        break;
      }
      default:
        throw new RangeError(`@argus/discord-sim: blast cannot send '${String(event)}'`);
    }
    const parts = JSON.stringify(template).split(ID_MARK);
    return this.#gateway.blast(shardId, event, count, parts, () => this.#ids.next(), onId);
  }

  /** Sends a payload discord.js must survive, for fail-open tests. Returns the seq, or null. */
  sendGarbage(shardId: number, kind: GarbageKind = 'malformed'): number | null {
    const seq = this.#garbageFrame(shardId, kind);
    if (seq !== null) this.#garbage++;
    return seq;
  }

  #garbageFrame(shardId: number, kind: GarbageKind): number | null {
    switch (kind) {
      case 'malformed':
        // Wrong types everywhere and a channel the client has not cached: discord.js drops it.
        return this.#gateway.dispatch(shardId, 'MESSAGE_CREATE', {
          id: 12345,
          channel_id: 'not-a-channel',
          content: { not: 'a string' },
          timestamp: 'yesterday',
          mentions: 'none',
        });
      case 'unknownEvent':
        return this.#gateway.dispatch(shardId, 'ARGUS_SIM_UNKNOWN_EVENT', { surprise: true, n: [1, 2, 3] });
      case 'emptyInteraction':
        return this.#gateway.dispatch(shardId, 'INTERACTION_CREATE', {});
      default:
        throw new RangeError(`@argus/discord-sim: unknown garbage kind '${String(kind)}'`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Gateway faults
  // -------------------------------------------------------------------------------------------

  /**
   * Closes a shard's socket. 4000 (default) and most 4xxx codes make discord.js RESUME; 1000 makes it
   * IDENTIFY again; 4004/4010-4014 kill the shard; 1006 drops the TCP connection without a close frame.
   */
  disconnect(shardId: number, code = 4000, reason?: string): boolean {
    return this.#gateway.disconnect(shardId, code, reason);
  }

  /** Sends op 9 INVALID_SESSION. `resumable: false` (default) forces a new IDENTIFY. */
  invalidateSession(shardId: number, resumable = false): boolean {
    return this.#gateway.invalidateSession(shardId, resumable);
  }

  /** Sends op 7 RECONNECT (the client closes and resumes). */
  requestReconnect(shardId: number): boolean {
    return this.#gateway.requestReconnect(shardId);
  }

  /** Makes the next IDENTIFY(s) fail with a close code (4004 "Authentication failed" by default). */
  failIdentify(options: { shardId?: number; code?: number; count?: number } = {}): void {
    this.#gateway.failIdentify(options.shardId ?? null, options.code ?? 4004, options.count ?? 1);
  }

  /**
   * Drops a shard and refuses its reconnects for `ms`, then lets it resume (with replay of what was
   * dispatched meanwhile). Resolves when the outage ends.
   */
  outage(shardId: number, ms: number): Promise<void> {
    return this.#gateway.outage(shardId, ms);
  }

  /** Delay before HEARTBEAT_ACK for one shard: what `client.ws.shards.get(id).ping` shows. */
  setAckDelay(shardId: number, ms: number): void {
    this.#gateway.setAckDelay(shardId, ms);
  }

  /** Zombie mode: stop acknowledging heartbeats, so the client declares the connection dead. */
  setZombie(shardId: number, zombie = true): void {
    this.#gateway.setZombie(shardId, zombie);
  }

  // -------------------------------------------------------------------------------------------
  // REST faults
  // -------------------------------------------------------------------------------------------

  /** Answers the next matching request(s) with 429 and rate-limit headers. */
  injectRateLimit(rule: RateLimitRule = {}): FaultHandle {
    return this.#faults.add('rateLimit', rule);
  }

  /** Answers the next matching request(s) with an error status (401, 403, 404, 500...). */
  injectStatus(rule: StatusRule): FaultHandle {
    if (!Number.isInteger(rule.status) || rule.status < 200 || rule.status > 599) {
      throw new RangeError(
        `@argus/discord-sim: injectStatus needs an HTTP status, got ${String(rule.status)}`,
      );
    }
    return this.#faults.add('status', rule);
  }

  /** Delays the next matching request(s), e.g. to give REST latency histograms something to show. */
  injectLatency(rule: LatencyRule): FaultHandle {
    return this.#faults.add('latency', rule);
  }

  /** Removes every queued REST fault. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /**
   * Creates an incoming webhook on a channel (the first guild's first channel by default): its
   * `url` executes like Discord's, with per-webhook rate-limit headers and a 429 past 5 per 2 s.
   */
  createWebhook(channelId?: string): { id: string; token: string; url: string } {
    const id = this.#ids.next();
    const token = randomToken('wh');
    const channel = channelId ?? this.#world.guilds[0]?.channels[0]?.id ?? '0';
    this.#channelWebhooks.add({ id, token, channelId: channel });
    return { id, token, url: `${this.apiUrl}/webhooks/${id}/${token}` };
  }

  /** Deletes an incoming webhook: executing it then gets 404 Unknown Webhook. */
  deleteWebhook(id: string): boolean {
    return this.#channelWebhooks.delete(id);
  }

  /** Every message executed through an incoming webhook, oldest first. */
  webhookMessages(id?: string): ExecutedWebhookMessage[] {
    return this.#channelWebhooks.executed.filter((m) => id === undefined || m.webhookId === id);
  }

  /** Webhook executions answered 429 because the webhook's own window was spent. */
  get webhookRateLimited(): number {
    return this.#channelWebhooks.rateLimited;
  }

  // -------------------------------------------------------------------------------------------
  // Records and stats
  // -------------------------------------------------------------------------------------------

  /** What the sim knows about an interaction it sent (callback, follow-ups, edits). */
  interaction(id: string): InteractionRecord | undefined {
    return this.#tracker.get(id);
  }

  /** Recent interactions, oldest first (bounded by `maxTrackedInteractions`). */
  interactions(): InteractionRecord[] {
    return [...this.#tracker.records()];
  }

  /** Resolves with the interaction's initial callback; rejects after `timeoutMs`. */
  waitForCallback(id: string, timeoutMs = 10_000): Promise<InteractionCallbackEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no callback for interaction ${id} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref();
      void this.#tracker.callbackOf(id).then((event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
  }

  stats(): SimStats {
    const t = this.#tracker;
    return {
      uptimeMs: Date.now() - this.#startedAt,
      connections: this.#gateway.connectionCount,
      shards: this.#gateway.shardStats(),
      dispatches: { total: this.#dispatchTotal, byType: { ...this.#dispatchCounts } },
      interactions: {
        sent: t.sent,
        answered: t.answered,
        byKind: { ...t.sentByKind },
        callbacksByType: { ...t.callbacksByType },
        followUps: t.followUps,
        edits: t.edits,
        unknown: t.unknown,
        duplicate: t.duplicate,
      },
      channelMessages: this.#counters.channelMessages,
      rest: {
        total: this.#counters.total,
        byStatus: { ...this.#counters.byStatus },
        byRoute: { ...this.#counters.byRoute },
        rateLimited: this.#counters.rateLimited,
        injectedStatuses: this.#counters.injectedStatuses,
      },
      garbage: this.#garbage,
      blasts: this.#blasts,
    };
  }

  /** Registers cleanup to run on `close()` (used by traffic drivers started through the control API). */
  onClose(hook: () => void | Promise<void>): () => void {
    this.#closeHooks.add(hook);
    return () => this.#closeHooks.delete(hook);
  }

  /** Stops everything: drivers, timers, sockets and the HTTP server. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      for (const hook of [...this.#closeHooks]) {
        try {
          await hook();
        } catch {
          // cleanup is best effort
        }
      }
      this.#closeHooks.clear();
      this.#faults.clear();
      await this.#gateway.close();
      this.#server.closeAllConnections();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.removeAllListeners();
    })();
    return this.#closed;
  }

  // -------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sim');
      let path: string;
      try {
        // discord.js encodes `@original` as `%40original`; routes are matched on the decoded path.
        path = decodeURIComponent(url.pathname);
      } catch {
        path = url.pathname;
      }
      if (path === '/_sim' || path.startsWith('/_sim/')) {
        await handleControl(this.#controlContext(), req, res, path.slice('/_sim'.length) || '/');
        return;
      }
      const m = API_PATH.exec(path);
      if (!m) {
        sendJson(res, 404, { message: '404: Not Found', code: 0 });
        return;
      }
      await this.#rest.handle(req, res, m[2] ?? '/', url.searchParams);
    } catch (error) {
      sendJson(res, 500, { message: `500: ${String(error)}`, code: 0 });
    }
  }

  #controlContext(): ControlContext {
    return { sim: this, world: this.#world };
  }

  #resolveTarget(spec: EventTarget): ResolvedTarget {
    const world = this.#world;
    let guild: SimGuild | undefined;
    if (spec.guildId) {
      guild = world.guildById.get(spec.guildId);
      if (!guild) throw new RangeError(`@argus/discord-sim: unknown guild ${spec.guildId}`);
    } else if (spec.channelId) {
      const channel = world.channelById.get(spec.channelId);
      guild = channel ? world.guildById.get(channel.guildId) : undefined;
      if (!guild) throw new RangeError(`@argus/discord-sim: unknown channel ${spec.channelId}`);
    } else {
      const shardId = spec.shardId ?? 0;
      guild = this.guildsOfShard(shardId)[0];
      if (!guild) throw new RangeError(`@argus/discord-sim: shard ${shardId} has no guilds`);
    }
    const channel = spec.channelId ? world.channelById.get(spec.channelId) : guild.channels[0];
    if (!channel || channel.guildId !== guild.id) {
      throw new RangeError(
        `@argus/discord-sim: channel ${String(spec.channelId)} is not in guild ${guild.id}`,
      );
    }
    let user: SimUser | undefined;
    if (spec.userId) {
      user = world.users.find((u) => u.id === spec.userId);
      if (!user) throw new RangeError(`@argus/discord-sim: unknown user ${spec.userId}`);
    } else {
      user = world.users[this.#userCursor++ % world.users.length];
    }
    return { guild, channel, user: user ?? world.bot, locale: spec.locale ?? 'en-US' };
  }

  readonly #commandIds = new Map<string, string>();
  /** A stable id for a command the bot never registered, so repeated sends agree. */
  #stableCommandId(name: string): string {
    let id = this.#commandIds.get(name);
    if (!id) {
      id = this.#ids.next();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  #noSession(shardId: number): Error {
    return new Error(`@argus/discord-sim: shard ${shardId} has no gateway session (is a bot logged in?)`);
  }
}

/** Specs also arrive as JSON through the control API, so their shape is checked at run time. */
function validateSpec(spec: InteractionSpec): void {
  const bad = (what: string): never => {
    throw new RangeError(`@argus/discord-sim: a '${spec.type}' interaction needs ${what}`);
  };
  switch (spec.type) {
    case 'command':
    case 'autocomplete':
      if (typeof spec.name !== 'string' || spec.name.length === 0) bad('a string name');
      break;
    case 'button':
      if (typeof spec.customId !== 'string') bad('a string customId');
      break;
    case 'select':
      if (typeof spec.customId !== 'string' || !Array.isArray(spec.values))
        bad('a customId and a values array');
      break;
    case 'modal':
      if (typeof spec.customId !== 'string' || typeof spec.fields !== 'object' || spec.fields === null) {
        bad('a customId and a fields object');
      }
      break;
  }
}

/** Starts a fake Discord and resolves once it listens. Close it with `await sim.close()`. */
export function startDiscordSim(options: DiscordSimOptions = {}): Promise<DiscordSim> {
  return DiscordSim.start(options);
}
