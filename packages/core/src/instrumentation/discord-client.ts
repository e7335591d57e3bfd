import diagnostics from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import type { Client, Interaction, Message } from 'discord.js';
import type { Catalogue } from '../catalogue';
import type { FailOpenGuard } from '../guard';
import { callbackInteractionId, routeTemplate } from '../internal/route-template';
import {
  type CommandKind,
  type CommandRecord,
  type InteractionRecord,
  Lifecycle,
  type LifecycleSubscriber,
  type RestRequestRecord,
} from '../lifecycle';
import { observeApply } from '../observe-call';
import type { CounterHandle } from '../registry';
import { InteractionTracker } from './interactions';
import { observeRestResponses, restPathOf } from './rest-responses';

const SWEEP_INTERVAL_MS = 500;
/** The gateway event label for a dispatch whose type is not a string. */
const UNKNOWN_EVENT = 'unknown';

export interface InstrumentationOptions {
  /** Who hears the lifecycle events: the metrics recorder, per-guild rows, traces… */
  subscribers: readonly LifecycleSubscriber[];
  guard: FailOpenGuard;
  /** The counters fed directly, outside the lifecycle: the gateway dispatch is the hot path. */
  catalogue: Pick<Catalogue, 'gatewayEvents' | 'logRecords' | 'timersEvicted'>;
  /** Distinct gateway event types cached as pre-bound handles (the registry's label cap). */
  labelValueCap: number;
  /** Interactions tracked at once before the oldest is given up on. */
  timerCap: number;
  /** How long after receipt an unanswered interaction is given up on (finished). Default 60 s. */
  lateMemoryMs?: number;
  now?: () => number;
}

export interface WrapCommandOptions {
  /**
   * The command label. Default for an interaction: its command name ("name group sub"). Required
   * for prefix commands: a message's text is what users type, so it never becomes a label;
   * without a name a prefix command is labelled `unknown`.
   */
  name?: string;
}

/**
 * Listens to a discord.js Client and publishes what happens as lifecycle events; it records
 * nothing itself except the gateway dispatch and log counters. Every listener is additive,
 * synchronous, O(1) and fail-open; `close()` removes everything it added.
 */
export class DiscordInstrumentation {
  readonly lifecycle: Lifecycle;
  private readonly client: Client;
  private readonly guard: FailOpenGuard;
  private readonly now: () => number;
  private readonly tracker: InteractionTracker;
  private readonly listeners: [EventEmitter, string, (a?: unknown, b?: unknown) => void][] = [];
  private readonly channels: [string, (message: unknown) => void][] = [];
  private readonly requests = new WeakMap<object, RestRequestRecord>();
  private readonly gatewayHandles = new Map<string, CounterHandle>();
  private readonly readyShards = new Set<number>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  private unwrapEmit: (() => void) | undefined;
  private stopObservingRest: (() => void) | undefined;

  constructor(client: Client, options: InstrumentationOptions) {
    this.client = client;
    this.guard = options.guard;
    this.now = options.now ?? (() => performance.now());
    this.lifecycle = new Lifecycle(options.subscribers, options.guard);
    const evicted = options.catalogue.timersEvicted.labels();
    this.tracker = new InteractionTracker(
      options.timerCap,
      this.lifecycle,
      () => evicted.inc(),
      options.lateMemoryMs,
    );

    this.attachInteractions();
    this.attachGateway(options);
    this.attachCommandFrameworks();
    this.attachRest();
    this.attachDiagnostics();
    const guard = this.guard;
    this.sweeper = setInterval(
      () => guard.run('interactions:sweep', () => this.tracker.sweep(this.now())),
      SWEEP_INTERVAL_MS,
    );
    this.sweeper.unref();
    if (client.isReady())
      for (const shard of client.ws.shards.values()) if (shard.status === 0) this.readyShards.add(shard.id);
  }

  /**
   * Wraps a command handler: its run is published (started, finished with its error), inside
   * every subscriber's scope, and its result or error passes through unchanged. The first
   * argument decides the kind: an interaction is an application command, a message a prefix one.
   */
  wrapCommand<A extends [Interaction | Message, ...unknown[]], R>(
    handler: (...args: A) => R,
    options: WrapCommandOptions = {},
  ): (...args: A) => R {
    const self = this;
    let warned = false;
    const unnamed = () => {
      if (warned) return;
      warned = true;
      self.guard.report(
        'wrapCommand:name',
        new Error('wrapCommand needs { name } for a prefix command; it is labelled "unknown"'),
      );
    };
    const lifecycle = self.lifecycle;
    const finished = lifecycle.commandFinished;
    const settled =
      finished === undefined
        ? undefined
        : (record: CommandRecord, error: unknown, failed: boolean) =>
            finished(record, self.now(), failed ? (error ?? new Error('non-error thrown')) : undefined);
    return function argusCommand(this: unknown, ...args: A): R {
      let record: CommandRecord;
      try {
        record = self.commandRecord(args[0], options, unnamed);
      } catch (error) {
        self.guard.report('wrapCommand:start', error);
        return handler.apply(this, args);
      }
      lifecycle.commandStarted?.(record);
      // Usually no scope to enter (none, or the interaction's is entered already): no closure.
      if (!lifecycle.entersCommandScope(record))
        return settled === undefined
          ? handler.apply(this, args)
          : observeApply(handler, this, args, record, settled);
      return lifecycle.runCommand(
        record,
        settled === undefined
          ? () => handler.apply(this, args)
          : () => observeApply(handler, this, args, record, settled),
      );
    };
  }

  /** Removes every listener, channel subscription and timer this instrumentation added. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    this.unwrapEmit?.();
    this.stopObservingRest?.();
    for (const [emitter, event, listener] of this.listeners) emitter.off(event, listener);
    this.listeners.length = 0;
    for (const [name, fn] of this.channels) diagnostics.unsubscribe(name, fn);
    this.channels.length = 0;
    this.tracker.clear();
  }

  private on(
    emitter: EventEmitter,
    event: string,
    hook: string,
    fn: (...args: never[]) => void,
    first = false,
  ): void {
    const guard = this.guard;
    const call = fn as (a: unknown, b: unknown) => void;
    // Every hook reads at most two arguments; fixed ones spare each event a rest array.
    const listener = (a?: unknown, b?: unknown) => {
      try {
        call(a, b);
      } catch (error) {
        guard.report(hook, error);
      }
    };
    if (first) emitter.prependListener(event, listener);
    else emitter.on(event, listener);
    this.listeners.push([emitter, event, listener]);
  }

  private attachInteractions(): void {
    if (this.lifecycle.interactionScoped) {
      this.wrapInteractionDelivery();
      return;
    }
    const client = this.client as unknown as EventEmitter;
    // First in line: the receipt time is the earliest.
    this.on(
      client,
      'interactionCreate',
      'interactionCreate',
      (interaction: Interaction) => this.tracker.receive(this.interactionRecord(interaction)),
      true,
    );
  }

  /**
   * With a subscriber that scopes interactions (a trace made active), the client's `emit` of
   * `interactionCreate` runs inside that scope, so every listener of the bot (and what it starts
   * asynchronously) runs in it: a listener cannot open a scope for the listeners after it. Other
   * events pass straight through with their own arguments; the original comes back on close()
   * unless something wrapped it after us, in which case ours stays a pass-through.
   */
  private wrapInteractionDelivery(): void {
    const client = this.client as unknown as {
      emit: (event: string | symbol, ...args: unknown[]) => boolean;
    };
    const original = client.emit;
    const self = this;
    const wrapper = function argusEmit(
      this: unknown,
      event: string | symbol,
      a?: unknown,
      b?: unknown,
    ): boolean {
      // Only the count is read here, so no arguments object is made on the hot path; the rare
      // other arities read them where they are forwarded.
      // biome-ignore lint/complexity/noArguments: a rest parameter would allocate on every event.
      const count = arguments.length;
      if (event !== 'interactionCreate' || self.closed) {
        // The hot path (every gateway dispatch): the common arities without materialising a copy.
        if (count === 2) return original.call(this, event, a);
        if (count === 3) return original.call(this, event, a, b);
        // biome-ignore lint/complexity/noArguments: forwards exactly the arguments given.
        return Reflect.apply(original, this, arguments);
      }
      let record: InteractionRecord;
      try {
        record = self.interactionRecord(a as Interaction);
        self.tracker.receive(record);
      } catch (error) {
        self.guard.report('interactionCreate', error);
        // biome-ignore lint/complexity/noArguments: forwards exactly the arguments given.
        return Reflect.apply(original, this, arguments);
      }
      return self.lifecycle.runInteraction(
        record,
        // biome-ignore lint/complexity/noArguments: forwards exactly the arguments given.
        count === 2 ? () => original.call(this, event, a) : delivery(original, this, arguments),
      );
    };
    client.emit = wrapper;
    this.unwrapEmit = () => {
      if (client.emit === wrapper) client.emit = original;
    };
  }

  private interactionRecord(interaction: Interaction): InteractionRecord {
    const receivedAt = this.now();
    // discord.js hands a well-formed object: read it in one go. Anything else (a getter that
    // throws, a wrong type) takes the careful path, which still counts it once, as `unknown`.
    try {
      return readInteraction(interaction, receivedAt);
    } catch {
      return this.readInteractionCarefully(interaction, receivedAt);
    }
  }

  private readInteractionCarefully(interaction: Interaction, receivedAt: number): InteractionRecord {
    const raw = interaction as unknown as Record<string, unknown> | null | undefined;
    const read = (field: string): unknown => {
      try {
        return raw?.[field];
      } catch {
        return undefined;
      }
    };
    const guild = read('guild') as { shardId?: unknown } | null | undefined;
    const user = read('user') as { id?: unknown } | null | undefined;
    return interactionRecordOf(
      {
        id: read('id'),
        type: read('type'),
        guildId: read('guildId'),
        channelId: read('channelId'),
        userId: this.guard.run('interactionCreate:user', () => user?.id),
        shardId: this.guard.run('interactionCreate:shard', () => guild?.shardId),
      },
      this.guard.run('interactionCreate:command', () => commandLabel(interaction)) ?? 'none',
      receivedAt,
    );
  }

  private attachGateway(options: InstrumentationOptions): void {
    const client = this.client as unknown as EventEmitter;
    const gateway = options.catalogue.gatewayEvents;
    const cap = options.labelValueCap;
    this.on(client, 'raw', 'raw', (packet: { t?: unknown } | null | undefined) => {
      const t = packet?.t;
      if (t === null || t === undefined) return;
      const name = typeof t === 'string' ? t : UNKNOWN_EVENT;
      let handle = this.gatewayHandles.get(name);
      if (handle === undefined) {
        handle = gateway.labels(name);
        // Cache only admitted values, so a flood of unknown types cannot grow this map.
        if (handle.labelValues[0] === name && this.gatewayHandles.size < cap)
          this.gatewayHandles.set(name, handle);
      }
      handle.inc();
    });

    const lifecycle = this.lifecycle;
    // client.destroy() closes every shard with a reconnect event; that is not an outage.
    const destroying = () => (this.client.ws as unknown as { destroyed?: boolean }).destroyed === true;
    this.on(client, 'shardDisconnect', 'shardDisconnect', (_event: unknown, shardId: number) => {
      if (!destroying()) lifecycle.shardStateChanged?.(shardId, 'disconnected');
    });
    this.on(client, 'shardReconnecting', 'shardReconnecting', (shardId: number) => {
      if (!destroying()) lifecycle.shardStateChanged?.(shardId, 'reconnecting');
    });
    this.on(client, 'shardResume', 'shardResume', (shardId: number) =>
      lifecycle.shardStateChanged?.(shardId, 'resumed'),
    );
    this.on(client, 'shardReady', 'shardReady', (shardId: number) => {
      // A second READY on a shard is a fresh session after a lost one.
      const again = this.readyShards.has(shardId);
      this.readyShards.add(shardId);
      lifecycle.shardStateChanged?.(shardId, again ? 'reidentified' : 'ready');
    });

    const logs = options.catalogue.logRecords;
    for (const level of ['debug', 'warn', 'error'] as const) {
      const handle = logs.labels('client', level);
      this.on(client, level, `log:${level}`, () => handle.inc());
    }
    const restLogs = logs.labels('rest', 'debug');
    this.on(this.client.rest as unknown as EventEmitter, 'restDebug', 'log:rest', () => restLogs.inc());
  }

  /** Sapphire emits command lifecycle events on the client; listening costs nothing without it. */
  private attachCommandFrameworks(): void {
    const client = this.client as unknown as EventEmitter;
    type Payload = {
      command?: { name?: unknown };
      duration?: unknown;
      interaction?: { id?: unknown; guildId?: unknown; guild?: { shardId?: unknown } | null };
      message?: { guildId?: unknown; guild?: { shardId?: unknown } | null };
    };
    const sapphire = (kind: CommandKind, failed: boolean) => (first: unknown, second?: unknown) => {
      const finished = this.lifecycle.commandFinished;
      if (!finished) return;
      // Success events pass the payload; error events pass (error, payload), with duration -1.
      const payload = (failed ? second : first) as Payload | undefined;
      const at = this.now();
      const ms = typeof payload?.duration === 'number' && payload.duration >= 0 ? payload.duration : 0;
      const subject = payload?.interaction ?? payload?.message;
      const interactionId = payload?.interaction?.id;
      const interaction = typeof interactionId === 'string' ? this.tracker.get(interactionId) : undefined;
      const record: CommandRecord = {
        kind,
        command: sapphireLabel(kind, payload, interaction, this.guard),
        // As wrapCommand: an application command runs from its interaction's receipt.
        startedAt: interaction?.receivedAt ?? at - ms,
        interaction,
        guildId: typeof subject?.guildId === 'string' ? subject.guildId : null,
        shard: shardOf(subject?.guild?.shardId),
      };
      finished(record, at, failed ? (first ?? new Error('unknown')) : undefined);
    };
    this.on(client, 'chatInputCommandSuccess', 'sapphire', sapphire('app', false));
    this.on(client, 'chatInputCommandError', 'sapphire', sapphire('app', true));
    this.on(client, 'contextMenuCommandSuccess', 'sapphire', sapphire('app', false));
    this.on(client, 'contextMenuCommandError', 'sapphire', sapphire('app', true));
    this.on(client, 'messageCommandSuccess', 'sapphire', sapphire('prefix', false));
    this.on(client, 'messageCommandError', 'sapphire', sapphire('prefix', true));
  }

  private attachRest(): void {
    const rest = this.client.rest as unknown as EventEmitter;
    const lifecycle = this.lifecycle;
    const tracker = this.tracker;
    const guard = this.guard;
    const api = () => (this.client.rest as unknown as { options?: { api?: unknown } }).options?.api;
    this.stopObservingRest = observeRestResponses(
      this.client,
      (method, url, status) => {
        const callback = status >= 200 && status < 300 ? callbackInteractionId(url) : undefined;
        // The callback route is most of an interaction's REST traffic: no parse for its label.
        if (lifecycle.restResponse)
          lifecycle.restResponse(
            methodOf(method),
            callback !== undefined ? CALLBACK_ROUTE : routeTemplate(restPathOf(url, api())),
            status,
          );
        if (callback !== undefined) tracker.answered(callback, this.now());
      },
      (error) => guard.report('rest:response', error),
    );

    this.on(
      rest,
      'rateLimited',
      'rest:rateLimited',
      (info: {
        global?: unknown;
        scope?: unknown;
        method?: unknown;
        route?: unknown;
        retryAfter?: unknown;
      }) => {
        const published = lifecycle.rateLimited;
        if (!published) return;
        published({
          scope: info?.global === true ? 'global' : typeof info?.scope === 'string' ? info.scope : 'user',
          method: methodOf(info?.method),
          route: routeTemplate(typeof info?.route === 'string' ? info.route : ''),
          retryAfterMs: typeof info?.retryAfter === 'number' ? info.retryAfter : 0,
        });
      },
    );
  }

  /**
   * REST request timing from undici's diagnostics channels: no wrapping or patching of the HTTP
   * client. Only requests to this client's API base are followed.
   */
  private attachDiagnostics(): void {
    const lifecycle = this.lifecycle;
    if (!lifecycle.restRequestStarted && !lifecycle.restRequestFinished) return;
    let api: URL;
    try {
      api = new URL(String(this.client.options.rest?.api ?? 'https://discord.com/api'));
    } catch {
      return;
    }
    const origin = api.origin;
    const base = api.pathname.replace(/\/$/, '');
    const guard = this.guard;
    type UndiciRequest = { origin?: string | URL; path?: string; method?: string };
    type Message = { request: UndiciRequest; response?: { statusCode?: number } };
    const subscribe = (name: string, fn: (message: Message) => void) => {
      const listener = (message: unknown) => {
        try {
          fn(message as Message);
        } catch (error) {
          guard.report(`diagnostics:${name}`, error);
        }
      };
      diagnostics.subscribe(name, listener);
      this.channels.push([name, listener]);
    };
    const finish = (request: UndiciRequest, status: number) => {
      const record = this.requests.get(request);
      if (record === undefined) return;
      this.requests.delete(request);
      lifecycle.restRequestFinished?.(record, this.now(), status);
    };
    subscribe('undici:request:create', ({ request }) => {
      if (String(request.origin) !== origin || !request.path?.startsWith(base)) return;
      const record: RestRequestRecord = {
        method: methodOf(request.method),
        route: routeTemplate(request.path),
        startedAt: this.now(),
      };
      this.requests.set(request, record);
      lifecycle.restRequestStarted?.(record);
    });
    subscribe('undici:request:headers', ({ request, response }) =>
      finish(request, typeof response?.statusCode === 'number' ? response.statusCode : 0),
    );
    subscribe('undici:request:error', ({ request }) => finish(request, 0));
  }

  private commandRecord(subject: unknown, options: WrapCommandOptions, unnamed: () => void): CommandRecord {
    const s = subject as
      | { id?: unknown; token?: unknown; guildId?: unknown; guild?: { shardId?: unknown } | null }
      | null
      | undefined;
    const guildId = typeof s?.guildId === 'string' ? s.guildId : null;
    const shard = shardOf(s?.guild?.shardId);
    // Messages have an id and a numeric type too; only interactions carry a token.
    if (typeof s?.id === 'string' && typeof s.token === 'string') {
      const interaction = this.tracker.get(s.id);
      const command =
        options.name ??
        (interaction && interaction.command !== 'none'
          ? interaction.command
          : (this.guard.run('wrapCommand:name', () => commandLabel(subject as Interaction)) ?? 'unknown'));
      return {
        kind: 'app',
        command: command === 'none' ? 'unknown' : command,
        startedAt: interaction?.receivedAt ?? this.now(),
        interaction,
        guildId,
        shard,
      };
    }
    if (options.name === undefined) unnamed();
    return {
      kind: 'prefix',
      command: options.name ?? 'unknown',
      startedAt: this.now(),
      interaction: undefined,
      guildId,
      shard,
    };
  }
}

/** The delivery of an `emit` with other arguments than the event and the interaction. */
function delivery(
  emit: (event: string | symbol, ...args: unknown[]) => boolean,
  thisArg: unknown,
  args: IArguments,
): () => boolean {
  const copy = Array.from(args);
  return () => Reflect.apply(emit, thisArg, copy);
}

const CALLBACK_ROUTE = '/interactions/:id/:token/callback';

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

function methodOf(method: unknown): string {
  if (typeof method !== 'string') return 'GET';
  // Every REST response passes here: @discordjs/rest's own method names need no new string.
  for (const known of METHODS) if (method === known) return known;
  return method.toUpperCase();
}

function shardOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * A Sapphire command's label: for application commands the name Discord gives the interaction
 * ("User Info", "config set"), as wrapCommand and the interaction metrics have it, not the piece's
 * name; for prefix commands the piece's (alias-resolved, so bounded by the bot's own commands).
 */
function sapphireLabel(
  kind: CommandKind,
  payload: { command?: { name?: unknown }; interaction?: unknown } | undefined,
  interaction: InteractionRecord | undefined,
  guard: FailOpenGuard,
): string {
  if (kind === 'app') {
    if (interaction && interaction.command !== 'none') return interaction.command;
    const label = payload?.interaction
      ? guard.run('sapphire:name', () => commandLabel(payload.interaction as Interaction))
      : undefined;
    if (label && label !== 'none') return label;
  }
  const name = payload?.command?.name;
  return typeof name === 'string' ? name : 'unknown';
}

/** The record of a well-formed interaction; throws on anything odd (the caller falls back). */
function readInteraction(interaction: Interaction, receivedAt: number): InteractionRecord {
  const raw = interaction as unknown as {
    id?: unknown;
    type?: unknown;
    guildId?: unknown;
    channelId?: unknown;
    guild?: { shardId?: unknown } | null;
    user?: { id?: unknown } | null;
  };
  return interactionRecordOf(
    {
      id: raw.id,
      type: raw.type,
      guildId: raw.guildId,
      channelId: raw.channelId,
      userId: raw.user?.id,
      shardId: raw.guild?.shardId,
    },
    commandLabel(interaction),
    receivedAt,
  );
}

/** An interaction's fields as read, unchecked. */
interface RawInteractionFields {
  id: unknown;
  type: unknown;
  guildId: unknown;
  channelId: unknown;
  userId: unknown;
  shardId: unknown;
}

/** The record from fields of any type: what is not as discord.js makes it becomes empty or 0. */
function interactionRecordOf(
  raw: RawInteractionFields,
  command: string,
  receivedAt: number,
): InteractionRecord {
  return {
    id: typeof raw.id === 'string' ? raw.id : '',
    receivedAt,
    typeIndex: typeIndexOf(raw.type),
    command,
    guildId: typeof raw.guildId === 'string' ? raw.guildId : null,
    channelId: typeof raw.channelId === 'string' ? raw.channelId : null,
    userId: typeof raw.userId === 'string' ? raw.userId : null,
    shard: shardOf(raw.shardId),
  };
}

function typeIndexOf(type: unknown): number {
  return typeof type === 'number' && Number.isInteger(type) && type >= 1 && type <= 5 ? type : 0;
}

/** The label for an interaction's command: "parent group sub" for chat input, else the name. */
function commandLabel(interaction: Interaction): string {
  if (!interaction || !('commandName' in interaction) || typeof interaction.commandName !== 'string')
    return 'none';
  let name = interaction.commandName;
  if (typeof interaction.isChatInputCommand === 'function' && interaction.isChatInputCommand()) {
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand(false);
    if (group) name += ` ${group}`;
    if (sub) name += ` ${sub}`;
  }
  return name;
}

/** Attaches Argus' discord.js instrumentation to a client. */
export function instrumentDiscordClient(
  client: Client,
  options: InstrumentationOptions,
): DiscordInstrumentation {
  return new DiscordInstrumentation(client, options);
}
