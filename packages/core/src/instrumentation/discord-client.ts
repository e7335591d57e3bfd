import diagnostics from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import type { Client, Guild, Interaction, Message } from 'discord.js';
import { type CatalogueSources, defineCatalogue, type MetricNames, metricNames } from '../catalogue';
import { errorType } from '../ergonomics';
import type { ArgusEvent } from '../events';
import type { HealthState } from '../health';
import { callbackInteractionId, routeTemplate, statusClass } from '../internal/route-template';
import type { CounterHandle, MetricRegistry } from '../registry';
import type { EventSink } from '../sink';
import { version as argusVersion } from '../version';
import { type CommandKind, CommandMetrics } from './commands';
import { EventLoopMonitor } from './event-loop';
import { GuildAssetCounts } from './guild-assets';
import { INTERACTION_TYPES, type InteractionOutcome, InteractionTracker } from './interactions';

const ATTACHED = Symbol.for('argus.discordjs.attached');
const READY = 0; // discord.js Status.Ready
const SWEEP_INTERVAL_MS = 500;

export interface InstrumentationOptions {
  registry: MetricRegistry;
  namespace: string;
  health: HealthState;
  clusterId: string;
  timerCap: number;
  /** Per-guild events go to `sink` only when this is on (invariant 7). */
  enablePerGuild?: boolean;
  sink?: EventSink<ArgusEvent>;
  /** The discord.js version, for `<ns>_bot_info` (core cannot import discord.js at run time). */
  discordjsVersion?: string;
  /** Extra gauge sources, e.g. voice connections when @discordjs/voice is present. */
  sources?: Partial<CatalogueSources>;
  now?: () => number;
}

export interface WrapCommandOptions {
  /** The command label. Default: the interaction's command name; required for prefix commands. */
  name?: string;
}

type Listener = (...args: unknown[]) => void;

/**
 * Feeds the catalogue from a discord.js Client: every listener is additive, synchronous, O(1)
 * and runs inside the registry's fail-open guard; `close()` removes everything it added.
 */
export class DiscordInstrumentation {
  readonly names: MetricNames;
  private readonly client: Client;
  private readonly registry: MetricRegistry;
  private readonly now: () => number;
  private readonly perGuild: boolean;
  private readonly sink: EventSink<ArgusEvent> | undefined;
  private readonly clusterId: string;
  private readonly tracker: InteractionTracker;
  private readonly commands: CommandMetrics;
  private readonly assets = new GuildAssetCounts();
  private readonly loop = new EventLoopMonitor();
  private readonly listeners: [EventEmitter, string, Listener][] = [];
  private readonly channels: [string, (message: unknown) => void][] = [];
  private readonly requestStarts = new WeakMap<object, number>();
  private readonly gatewayHandles = new Map<string, CounterHandle>();
  private readonly readyShards = new Set<number>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(client: Client, options: InstrumentationOptions) {
    const marked = client as unknown as Record<symbol, unknown>;
    if (marked[ATTACHED]) {
      throw new Error(
        'Argus is already attached to this discord.js Client; remove the second argus(client) call',
      );
    }
    this.client = client;
    this.registry = options.registry;
    this.now = options.now ?? (() => performance.now());
    this.perGuild = options.enablePerGuild === true && options.sink !== undefined;
    this.sink = options.sink;
    this.clusterId = options.clusterId;
    this.names = metricNames(options.namespace);

    defineCatalogue(this.registry, {
      namespace: options.namespace,
      health: options.health,
      sources: { ...this.clientSources(), ...options.sources },
    });
    this.registry.setInfo(this.names.botInfo, {
      discordjs_version: options.discordjsVersion ?? 'unknown',
      argus_version: argusVersion,
      node_version: process.versions.node,
    });

    const evicted = this.registry.counter(this.names.timersEvicted).labels();
    this.tracker = new InteractionTracker(
      options.timerCap,
      () => evicted.inc(),
      this.registry.counter(this.names.interactions),
      this.registry.histogram(this.names.interactionResponse),
      this.registry.counter(this.names.interactionsUnanswered),
      (outcome) => this.emitInteractionEvent(outcome),
    );
    this.commands = new CommandMetrics(this.registry, this.names);

    this.attachClientListeners();
    this.attachRestListeners();
    this.attachDiagnostics();
    const guard = this.registry.guard;
    this.sweeper = setInterval(
      () => guard.run('interactions:sweep', () => this.tracker.sweep(this.now())),
      SWEEP_INTERVAL_MS,
    );
    this.sweeper.unref();
    if (client.isReady()) this.backfill();
    marked[ATTACHED] = true;
  }

  /**
   * Wraps a command handler: its duration, outcome and error type are recorded, and its result
   * or error passes through unchanged. The first argument decides the kind: an interaction is an
   * application command, a message a prefix command.
   */
  wrapCommand<A extends [Interaction | Message, ...unknown[]], R>(
    handler: (...args: A) => R,
    options: WrapCommandOptions = {},
  ): (...args: A) => R {
    const self = this;
    return function argusCommand(this: unknown, ...args: A): R {
      const subject = args[0];
      const started = self.now();
      const meta = self.guard('wrapCommand:start', () => self.commandMeta(subject, options, started));
      const finish = (error?: unknown) =>
        self.guard('wrapCommand:finish', () => {
          if (!meta) return;
          const seconds = (self.now() - meta.startedAt) / 1000;
          self.commands.record({ kind: meta.kind, command: meta.command, seconds, error });
          self.emitCommandEvent(subject, meta.kind, meta.command, seconds, error);
        });
      let result: R;
      try {
        result = handler.apply(this, args);
      } catch (error) {
        finish(error ?? new Error('non-error thrown'));
        throw error;
      }
      if (result instanceof Promise) {
        return result.then(
          (value) => {
            finish();
            return value;
          },
          (error: unknown) => {
            finish(error ?? new Error('non-error rejection'));
            throw error;
          },
        ) as R;
      }
      finish();
      return result;
    };
  }

  /** Removes every listener, channel subscription and timer this instrumentation added. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    for (const [emitter, event, listener] of this.listeners) emitter.off(event, listener);
    this.listeners.length = 0;
    for (const [name, fn] of this.channels) diagnostics.unsubscribe(name, fn);
    this.channels.length = 0;
    this.loop.close();
    this.tracker.clear();
    this.assets.clear();
    delete (this.client as unknown as Record<symbol, unknown>)[ATTACHED];
  }

  private guard<T>(hook: string, fn: () => T): T | undefined {
    return this.registry.guard.run(hook, fn);
  }

  private on(emitter: EventEmitter, event: string, hook: string, fn: (...args: never[]) => void): void {
    const guard = this.registry.guard;
    const listener = (...args: unknown[]) => {
      try {
        fn(...(args as never[]));
      } catch (error) {
        guard.report(hook, error);
      }
    };
    emitter.on(event, listener);
    this.listeners.push([emitter, event, listener]);
  }

  private clientSources(): CatalogueSources {
    const client = this.client;
    return {
      shards: function* () {
        for (const shard of client.ws.shards.values()) {
          yield {
            id: shard.id,
            latencySeconds: shard.ping >= 0 ? shard.ping / 1000 : Number.NaN,
            up: shard.status === READY,
          };
        }
      },
      shardsConfigured: () => client.options.shardCount ?? client.ws.shards.size,
      guilds: () => client.guilds.cache.size,
      cachedUsers: () => client.users.cache.size,
      channels: () => client.channels.cache.size,
      emojis: () => this.assets.emojis,
      stickers: () => this.assets.stickers,
      appCommandsRegistered: () => client.application?.commands.cache.size ?? 0,
      eventLoopLagSeconds: () => this.loop.p99Seconds(),
    };
  }

  private backfill(): void {
    this.assets.backfill(this.client);
    for (const shard of this.client.ws.shards.values())
      if (shard.status === READY) this.readyShards.add(shard.id);
  }

  private attachClientListeners(): void {
    const client = this.client as unknown as EventEmitter;
    const r = this.registry;
    const n = this.names;

    this.on(client, 'interactionCreate', 'interactionCreate', (interaction: Interaction) => {
      const typeIndex = interaction.type >= 1 && interaction.type <= 5 ? interaction.type : 0;
      this.tracker.receive(interaction.id, {
        at: this.now(),
        typeIndex,
        command: commandLabel(interaction),
        guildId: interaction.guildId,
        shard: interaction.guild?.shardId ?? 0,
      });
    });

    const gateway = r.counter(n.gatewayEvents);
    const cap = r.labelValueCap;
    this.on(client, 'raw', 'raw', (packet: { t?: string | null }) => {
      const t = packet.t;
      if (!t) return;
      let handle = this.gatewayHandles.get(t);
      if (handle === undefined) {
        handle = gateway.labels(t);
        // Cache only admitted values, so a flood of unknown types cannot grow this map.
        if (handle.labelValues[0] === t && this.gatewayHandles.size < cap) this.gatewayHandles.set(t, handle);
      }
      handle.inc();
    });

    const disconnects = r.counter(n.shardDisconnects);
    const reconnects = r.counter(n.shardReconnects);
    // client.destroy() closes every shard with a reconnect event; that is not an outage.
    const destroying = () => (this.client.ws as unknown as { destroyed?: boolean }).destroyed === true;
    const lost = (shardId: number) => {
      if (!destroying()) disconnects.labels(String(shardId)).inc();
    };
    this.on(client, 'shardDisconnect', 'shardDisconnect', (_event: unknown, shardId: number) =>
      lost(shardId),
    );
    this.on(client, 'shardReconnecting', 'shardReconnecting', (shardId: number) => lost(shardId));
    this.on(client, 'shardResume', 'shardResume', (shardId: number) =>
      reconnects.labels(String(shardId)).inc(),
    );
    this.on(client, 'shardReady', 'shardReady', (shardId: number) => {
      // A second READY on a shard is a fresh session after a lost one.
      if (this.readyShards.has(shardId)) reconnects.labels(String(shardId)).inc();
      else this.readyShards.add(shardId);
    });

    this.on(client, 'clientReady', 'clientReady', () => this.assets.backfill(this.client));
    const count = (guild: Guild) => this.assets.count(guild);
    this.on(client, 'guildCreate', 'guildCreate', count);
    this.on(client, 'guildAvailable', 'guildAvailable', count);
    this.on(client, 'guildDelete', 'guildDelete', (guild: Guild) => this.assets.forget(guild.id));
    for (const event of ['emojiCreate', 'emojiDelete', 'stickerCreate', 'stickerDelete']) {
      this.on(client, event, event, (item: { guild?: Guild | null }) => {
        if (item.guild) this.assets.count(item.guild);
      });
    }

    const logs = r.counter(n.logRecords);
    for (const level of ['debug', 'warn', 'error'] as const) {
      const handle = logs.labels('client', level);
      this.on(client, level, `log:${level}`, () => handle.inc());
    }

    // Sapphire emits command lifecycle events on the client; listening costs nothing without it.
    const sapphire = (kind: CommandKind, failed: boolean) => (first: unknown, second?: unknown) => {
      const payload = (failed ? second : first) as
        | { command?: { name?: string }; duration?: number }
        | undefined;
      const command = payload?.command?.name ?? 'unknown';
      const seconds = typeof payload?.duration === 'number' ? payload.duration / 1000 : 0;
      this.commands.record({
        kind,
        command,
        seconds,
        error: failed ? (first ?? new Error('unknown')) : undefined,
      });
    };
    this.on(client, 'chatInputCommandSuccess', 'sapphire', sapphire('app', false));
    this.on(client, 'chatInputCommandError', 'sapphire', sapphire('app', true));
    this.on(client, 'contextMenuCommandSuccess', 'sapphire', sapphire('app', false));
    this.on(client, 'contextMenuCommandError', 'sapphire', sapphire('app', true));
    this.on(client, 'messageCommandSuccess', 'sapphire', sapphire('prefix', false));
    this.on(client, 'messageCommandError', 'sapphire', sapphire('prefix', true));
  }

  private attachRestListeners(): void {
    const rest = this.client.rest as unknown as EventEmitter;
    const r = this.registry;
    const n = this.names;
    const responses = r.counter(n.restResponses);
    const invalid = r.counter(n.restInvalidRequests);
    const invalidByStatus = new Map([401, 403, 429].map((s) => [s, invalid.labels(String(s))]));
    this.on(
      rest,
      'response',
      'rest:response',
      (request: { method?: string; path?: string }, response: { status?: number }) => {
        const status = response.status ?? 0;
        const path = request.path ?? '';
        const method = (request.method ?? 'get').toUpperCase();
        responses.labels(method, routeTemplate(path), statusClass(status)).inc();
        invalidByStatus.get(status)?.inc();
        if (status >= 200 && status < 300) {
          const id = callbackInteractionId(path);
          if (id !== undefined) this.tracker.answered(id, this.now());
        }
      },
    );

    const rateLimits = r.counter(n.rateLimits);
    this.on(
      rest,
      'rateLimited',
      'rest:rateLimited',
      (info: { global?: boolean; scope?: string; method?: string; route?: string }) => {
        const scope = info.global ? 'global' : (info.scope ?? 'user');
        rateLimits.labels(scope, (info.method ?? 'get').toUpperCase(), routeTemplate(info.route ?? '')).inc();
      },
    );

    const restLogs = r.counter(n.logRecords).labels('rest', 'debug');
    this.on(rest, 'restDebug', 'log:rest', () => restLogs.inc());
  }

  /**
   * REST request duration from undici's diagnostics channels: no wrapping or patching of the
   * HTTP client. Only requests to this client's API base are timed.
   */
  private attachDiagnostics(): void {
    let api: URL;
    try {
      api = new URL(String(this.client.options.rest?.api ?? 'https://discord.com/api'));
    } catch {
      return;
    }
    const origin = api.origin;
    const base = api.pathname.replace(/\/$/, '');
    const duration = this.registry.histogram(this.names.restDuration);
    const guard = this.registry.guard;
    type UndiciRequest = { origin?: string | URL; path?: string; method?: string };
    const subscribe = (name: string, fn: (message: { request: UndiciRequest }) => void) => {
      const listener = (message: unknown) => {
        try {
          fn(message as { request: UndiciRequest });
        } catch (error) {
          guard.report(`diagnostics:${name}`, error);
        }
      };
      diagnostics.subscribe(name, listener);
      this.channels.push([name, listener]);
    };
    subscribe('undici:request:create', ({ request }) => {
      if (String(request.origin) === origin && request.path?.startsWith(base)) {
        this.requestStarts.set(request, this.now());
      }
    });
    subscribe('undici:request:headers', ({ request }) => {
      const started = this.requestStarts.get(request);
      if (started === undefined) return;
      this.requestStarts.delete(request);
      const method = (request.method ?? 'GET').toUpperCase();
      duration.labels(method, routeTemplate(request.path ?? '')).observe((this.now() - started) / 1000);
    });
    subscribe('undici:request:error', ({ request }) => {
      this.requestStarts.delete(request);
    });
  }

  private commandMeta(subject: unknown, options: WrapCommandOptions, started: number) {
    const interaction = subject as Partial<Interaction> & { commandName?: string };
    // Messages have an id and a numeric type too; only interactions carry a token.
    if (subject && typeof interaction.id === 'string' && typeof interaction.token === 'string') {
      const command =
        options.name ?? (interaction.commandName ? commandLabel(interaction as Interaction) : 'unknown');
      const receivedAt = this.tracker.receivedAt(interaction.id);
      return { kind: 'app' as const, command, startedAt: receivedAt ?? started };
    }
    const message = subject as Partial<Message>;
    const command = options.name ?? firstWord(message?.content) ?? 'unknown';
    return { kind: 'prefix' as const, command, startedAt: started };
  }

  private emitInteractionEvent(outcome: InteractionOutcome): void {
    if (!this.perGuild) return;
    const entry = outcome.inFlight;
    this.sink!.record({
      time: Date.now(),
      cluster: this.clusterId,
      shard: entry.shard,
      guildId: entry.guildId,
      event: 'interaction',
      type: INTERACTION_TYPES[entry.typeIndex]!,
      command: entry.command,
      status: outcome.responseMs === null ? 'unanswered' : 'answered',
      errorType: '',
      durationMs: null,
      responseMs: outcome.responseMs,
    });
  }

  private emitCommandEvent(
    subject: unknown,
    kind: CommandKind,
    command: string,
    seconds: number,
    error: unknown,
  ): void {
    if (!this.perGuild) return;
    const s = subject as { guildId?: string | null; guild?: { shardId?: number } | null };
    this.sink!.record({
      time: Date.now(),
      cluster: this.clusterId,
      shard: s?.guild?.shardId ?? 0,
      guildId: s?.guildId ?? null,
      event: 'command',
      type: kind === 'app' ? 'application_command' : 'prefix',
      command,
      status: error === undefined ? 'success' : 'error',
      errorType: error === undefined ? '' : errorType(error),
      durationMs: seconds * 1000,
      responseMs: null,
    });
  }
}

/** The label for an interaction's command: "parent group sub" for chat input, else the name. */
function commandLabel(interaction: Interaction): string {
  if (!('commandName' in interaction) || typeof interaction.commandName !== 'string') return 'none';
  let name = interaction.commandName;
  if (interaction.isChatInputCommand()) {
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand(false);
    if (group) name += ` ${group}`;
    if (sub) name += ` ${sub}`;
  }
  return name;
}

function firstWord(content: string | undefined): string | undefined {
  if (typeof content !== 'string') return undefined;
  const word = content.trim().split(/\s+/, 1)[0];
  return word ? word.replace(/^[^a-zA-Z0-9]+/, '') || undefined : undefined;
}

/** Attaches Argus' discord.js instrumentation to a client and defines the catalogue. */
export function instrumentDiscordClient(
  client: Client,
  options: InstrumentationOptions,
): DiscordInstrumentation {
  return new DiscordInstrumentation(client, options);
}
