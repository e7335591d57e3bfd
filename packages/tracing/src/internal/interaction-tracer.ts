// The tracing subscriber on core's lifecycle seam: one root span per interaction from its
// receipt, commands and REST requests as children, the initial response and a missed deadline
// as events. Every hook is synchronous and O(1); the SDK's work (batching, export) happens in
// the span processor, off the bot's path.

import {
  BoundedTimerMap,
  type CommandRecord,
  INTERACTION_TYPES,
  type InteractionRecord,
  type LifecycleSubscriber,
  NOTABLE_TRACES_KEPT,
  type NotableTrace,
  type RateLimitInfo,
  type RestRequestRecord,
} from '@argus/core';
import {
  type Attributes,
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { hrTimeOf } from './clock';
import { NewestRing } from './newest-ring';
import { redactSecrets } from './redact';
import { DEADLINE_MET } from './tracer-name';

export interface InteractionTracerOptions {
  tracer: Tracer;
  clusterId: string;
  guildIds: boolean;
  channelIds: boolean;
  userIds: boolean;
  /** Interactions traced at once; past it the oldest span is ended. */
  maxOpen: number;
  now?: () => number;
}

interface OpenInteraction {
  readonly span: Span;
  /** Made on first use: most interactions never run a wrapped handler. */
  context: Context | undefined;
  /** A span the sampler declined records nothing: skip the work of filling it. */
  readonly recording: boolean;
  /** Wrapped handlers of this interaction still running: the first (most run one), then others. */
  command: CommandRecord | undefined;
  moreCommands: Set<CommandRecord> | undefined;
  respondedAt: number | null;
  handlerEndedAt: number;
  ended: boolean;
  /** What makes it worth listing on the dashboard, if anything. */
  failed: boolean;
  late: boolean;
}

interface RetryState {
  attempts: number;
  retryable: boolean;
}

export class InteractionTracer implements LifecycleSubscriber {
  readonly name = 'tracing';
  private readonly tracer: Tracer;
  private readonly options: InteractionTracerOptions;
  private readonly now: () => number;
  private readonly open: BoundedTimerMap<InteractionRecord, OpenInteraction>;
  /** Commands with a span of their own (prefix commands, untracked interactions). */
  private readonly commandSpans = new WeakMap<CommandRecord, { span: Span; context: Context }>();
  /** Commands still running when their interaction's span was closed (given up on, evicted). */
  private readonly orphans = new WeakSet<CommandRecord>();
  private readonly restSpans = new WeakMap<RestRequestRecord, { span: Span; retry: RetryState }>();
  private readonly retries = new WeakMap<Span, Map<string, RetryState>>();
  private readonly notable = new NewestRing<NotableTrace>(NOTABLE_TRACES_KEPT);

  constructor(options: InteractionTracerOptions) {
    this.options = options;
    this.tracer = options.tracer;
    this.now = options.now ?? (() => performance.now());
    this.open = new BoundedTimerMap(options.maxOpen, (interaction, state) =>
      this.end(interaction, state, this.now()),
    );
  }

  interactionReceived(interaction: InteractionRecord): void {
    const type = INTERACTION_TYPES[interaction.typeIndex] ?? 'unknown';
    const attributes: Attributes = {
      'discord.interaction.type': type,
      'discord.interaction.id': interaction.id,
      'discord.shard.id': interaction.shard,
      'discord.cluster': this.options.clusterId,
    };
    if (interaction.command !== 'none') {
      const space = interaction.command.indexOf(' ');
      attributes['discord.command.name'] =
        space === -1 ? interaction.command : interaction.command.slice(0, space);
      if (space !== -1) attributes['discord.command.subcommand'] = interaction.command.slice(space + 1);
    }
    this.ids(attributes, interaction.guildId, interaction.channelId, interaction.userId);
    const span = this.tracer.startSpan(
      `discord.interaction ${interaction.command !== 'none' ? interaction.command : type}`,
      { kind: SpanKind.SERVER, startTime: hrTimeOf(interaction.receivedAt), attributes },
      ROOT_CONTEXT,
    );
    // Past maxOpen the oldest is ended (the map's eviction).
    this.open.start(interaction, {
      span,
      context: undefined,
      recording: span.isRecording(),
      command: undefined,
      moreCommands: undefined,
      respondedAt: null,
      handlerEndedAt: interaction.receivedAt,
      ended: false,
      failed: false,
      late: false,
    });
  }

  interactionResponded(interaction: InteractionRecord, at: number): void {
    const state = this.open.peek(interaction);
    if (state === undefined || state.respondedAt !== null) return;
    state.respondedAt = at;
    if (!state.recording) {
      this.endIfDone(interaction, state);
      return;
    }
    const latencyMs = at - interaction.receivedAt;
    state.span.setAttribute('discord.response.latency_ms', latencyMs);
    if (latencyMs <= 3_000) state.span.setAttribute(DEADLINE_MET, true);
    state.span.addEvent(
      'discord.initial_response',
      { 'discord.response.latency_ms': latencyMs },
      hrTimeOf(at),
    );
    this.endIfDone(interaction, state);
  }

  interactionDeadlineMissed(interaction: InteractionRecord, at: number): void {
    const state = this.open.peek(interaction);
    if (state === undefined || !state.recording) return;
    state.late = true;
    state.span.setAttribute(DEADLINE_MET, false);
    state.span.addEvent('deadline missed', { 'discord.deadline_ms': 3_000 }, hrTimeOf(at));
  }

  interactionFinished(interaction: InteractionRecord, respondedAt: number | null): void {
    const state = this.open.peek(interaction);
    if (state === undefined) return;
    // Given up on: no response will be seen any more, so the span closes now, handler or not.
    if (respondedAt === null) {
      state.span.setAttribute('discord.interaction.answered', false);
      this.end(interaction, state, this.now());
    }
  }

  commandStarted(command: CommandRecord): void {
    const state = command.interaction ? this.open.peek(command.interaction) : undefined;
    if (state !== undefined && !state.ended) {
      if (state.command === undefined) state.command = command;
      else {
        state.moreCommands ??= new Set();
        state.moreCommands.add(command);
      }
      return;
    }
    const attributes: Attributes = {
      'discord.command.name': command.command,
      'discord.command.kind': command.kind,
      'discord.shard.id': command.shard,
      'discord.cluster': this.options.clusterId,
    };
    this.ids(attributes, command.guildId, null, null);
    const span = this.tracer.startSpan(
      `discord.command ${command.command}`,
      { kind: SpanKind.SERVER, startTime: hrTimeOf(command.startedAt), attributes },
      ROOT_CONTEXT,
    );
    this.commandSpans.set(command, { span, context: trace.setSpan(ROOT_CONTEXT, span) });
  }

  runInteraction<R>(interaction: InteractionRecord, run: () => R): R {
    const state = this.open.peek(interaction);
    if (state === undefined) return run();
    return context.with(contextOf(state), run);
  }

  runCommand<R>(command: CommandRecord, run: () => R): R {
    const state = command.interaction ? this.open.peek(command.interaction) : undefined;
    if (state !== undefined && !state.ended) {
      const scope = contextOf(state);
      // Usually already in it: the listener that calls the handler ran inside runInteraction.
      if (context.active() === scope) return run();
      return context.with(scope, run);
    }
    const own = this.commandSpans.get(command);
    if (own !== undefined) return context.with(own.context, run);
    return run();
  }

  commandFinished(command: CommandRecord, at: number, error: unknown): void {
    const interaction = command.interaction;
    const tracked = interaction ? this.open.peek(interaction) : undefined;
    if (tracked !== undefined && detach(tracked, command)) {
      tracked.handlerEndedAt = Math.max(tracked.handlerEndedAt, at);
      if (error !== undefined) {
        tracked.failed = true;
        fail(tracked.span, error, at);
      }
      this.endIfDone(interaction!, tracked);
      return;
    }
    if (this.orphans.delete(command)) return;
    const own = this.commandSpans.get(command);
    if (own !== undefined) {
      this.commandSpans.delete(command);
      if (error !== undefined) fail(own.span, error, at);
      own.span.end(hrTimeOf(at));
      return;
    }
    // A framework's event after the fact (Sapphire): no start was seen.
    if (tracked !== undefined && !tracked.ended) {
      tracked.handlerEndedAt = Math.max(tracked.handlerEndedAt, at);
      if (error !== undefined) {
        tracked.failed = true;
        fail(tracked.span, error, at);
      }
      return;
    }
    const span = this.tracer.startSpan(
      `discord.command ${command.command}`,
      {
        kind: tracked ? SpanKind.INTERNAL : SpanKind.SERVER,
        startTime: hrTimeOf(command.startedAt),
        attributes: {
          'discord.command.name': command.command,
          'discord.command.kind': command.kind,
          'discord.shard.id': command.shard,
          'discord.cluster': this.options.clusterId,
        },
      },
      tracked ? trace.setSpan(ROOT_CONTEXT, tracked.span) : ROOT_CONTEXT,
    );
    if (error !== undefined) fail(span, error, at);
    span.end(hrTimeOf(at));
  }

  restRequestStarted(request: RestRequestRecord): void {
    // REST spans only inside a trace: the caller's async context carries it through
    // @discordjs/rest's queue (proved by the tests), so no path or token is ever needed.
    const active = context.active();
    const parent = trace.getSpan(active);
    if (parent === undefined || !parent.isRecording()) return;
    const attributes: Attributes = {
      'http.request.method': request.method,
      'discord.rest.route': request.route,
    };
    const key = `${request.method} ${request.route}`;
    let byRoute = this.retries.get(parent);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.retries.set(parent, byRoute);
    }
    let retry = byRoute.get(key);
    if (retry?.retryable) {
      retry.attempts++;
      retry.retryable = false;
      attributes['http.request.resend_count'] = retry.attempts;
    } else {
      retry = { attempts: 0, retryable: false };
      byRoute.set(key, retry);
    }
    const span = this.tracer.startSpan(
      key,
      { kind: SpanKind.CLIENT, startTime: hrTimeOf(request.startedAt), attributes },
      active,
    );
    this.restSpans.set(request, { span, retry });
  }

  restRequestFinished(request: RestRequestRecord, at: number, status: number): void {
    const started = this.restSpans.get(request);
    if (started === undefined) return;
    this.restSpans.delete(request);
    const { span, retry } = started;
    // The next attempt at the same route within this trace is a resend of this one.
    retry.retryable = status === 0 || status === 429 || status >= 500;
    if (status > 0) span.setAttribute('http.response.status_code', status);
    if (status === 429) span.setAttribute('discord.rest.rate_limited', true);
    else if (status === 0 || status >= 400) {
      span.setAttribute('error.type', status === 0 ? 'network' : String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(hrTimeOf(at));
  }

  rateLimited(info: RateLimitInfo): void {
    const span = trace.getSpan(context.active());
    if (span === undefined || !span.isRecording()) return;
    span.addEvent('discord.rate_limited', {
      'discord.rate_limit.scope': info.scope,
      'discord.rest.route': info.route,
      'http.request.method': info.method,
      'discord.rate_limit.retry_after_ms': info.retryAfterMs,
    });
  }

  /**
   * The trace an interaction or a command run is part of, while its span records: what a
   * histogram observation links to as its exemplar. Never throws.
   */
  traceIdOf(subject: InteractionRecord | CommandRecord): string | undefined {
    let span: Span | undefined;
    if ('kind' in subject) {
      span = this.commandSpans.get(subject)?.span;
      if (span === undefined && subject.interaction) span = this.open.peek(subject.interaction)?.span;
    } else span = this.open.peek(subject)?.span;
    return span?.isRecording() ? span.spanContext().traceId : undefined;
  }

  /** Ends every span still open (at close). */
  endAll(): void {
    const at = this.now();
    for (const [interaction, state] of [...this.open.drainWhile(() => true)])
      this.end(interaction, state, at);
  }

  private endIfDone(interaction: InteractionRecord, state: OpenInteraction): void {
    if (state.ended || running(state) || state.respondedAt === null) return;
    this.end(interaction, state, Math.max(state.respondedAt, state.handlerEndedAt));
  }

  private end(interaction: InteractionRecord, state: OpenInteraction, at: number): void {
    // Forget it first: a throwing span processor must not leave it open here.
    this.open.take(interaction);
    if (state.ended) return;
    state.ended = true;
    // Handlers still running finish later, with nothing left to attach their end to.
    if (running(state)) {
      if (state.command !== undefined) this.orphans.add(state.command);
      if (state.moreCommands !== undefined) for (const c of state.moreCommands) this.orphans.add(c);
    }
    if (state.recording) state.span.end(hrTimeOf(at));
    else state.span.end();
    if (state.recording && (state.failed || state.late || state.respondedAt === null))
      this.notable.add({
        traceId: state.span.spanContext().traceId,
        time: performance.timeOrigin + interaction.receivedAt,
        command:
          interaction.command !== 'none'
            ? interaction.command
            : (INTERACTION_TYPES[interaction.typeIndex] ?? 'unknown'),
        type: INTERACTION_TYPES[interaction.typeIndex] ?? 'unknown',
        outcome: state.failed ? 'error' : state.respondedAt === null ? 'unanswered' : 'late',
        durationMs: at - interaction.receivedAt,
      });
  }

  /** The newest notable interactions (failed, late, unanswered), newest first. */
  recentNotable(): NotableTrace[] {
    return this.notable.newestFirst();
  }

  private ids(
    attributes: Attributes,
    guild: string | null,
    channel: string | null,
    user: string | null,
  ): void {
    if (this.options.guildIds && guild !== null) attributes['discord.guild.id'] = guild;
    if (this.options.channelIds && channel !== null) attributes['discord.channel.id'] = channel;
    if (this.options.userIds && user !== null) attributes['discord.user.id'] = user;
  }
}

function running(state: OpenInteraction): boolean {
  return state.command !== undefined || (state.moreCommands?.size ?? 0) > 0;
}

/** The context that makes the interaction's span active, made on first use. */
function contextOf(state: OpenInteraction): Context {
  state.context ??= trace.setSpan(ROOT_CONTEXT, state.span);
  return state.context;
}

/** Whether `command` ran attached to this interaction's span; it is no longer, after. */
function detach(state: OpenInteraction, command: CommandRecord): boolean {
  if (state.command === command) {
    state.command = undefined;
    return true;
  }
  return state.moreCommands?.delete(command) === true;
}

function fail(span: Span, error: unknown, at: number): void {
  const type = errorName(error);
  span.setAttribute('error.type', type);
  const message = error instanceof Error ? redactSecrets(error.message) : undefined;
  span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
  span.addEvent(
    'exception',
    {
      'exception.type': type,
      ...(message ? { 'exception.message': message } : {}),
      ...(error instanceof Error && typeof error.stack === 'string'
        ? { 'exception.stacktrace': redactSecrets(error.stack) }
        : {}),
    },
    hrTimeOf(at),
  );
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name || 'Error';
  return typeof error;
}
