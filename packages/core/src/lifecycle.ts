// The lifecycle seam: the discord.js layer publishes what happened to an interaction, a command,
// a REST request or a shard; recorders (metrics, per-guild rows, traces) subscribe. Events are
// passed as positional arguments and shared records, so publishing allocates nothing beyond the
// record the publisher keeps anyway, and an event nobody subscribes to is not published at all.

import type { FailOpenGuard } from './guard';

/** Discord's deadline for the initial response to an interaction. */
export const RESPONSE_DEADLINE_MS = 3_000;

/** discord.js InteractionType values 1..5, as label values (argus-dpy's names where they exist). */
export const INTERACTION_TYPES: readonly string[] = Object.freeze([
  'unknown',
  'ping',
  'application_command',
  'component',
  'autocomplete',
  'modal_submit',
]);

/** One interaction, from receipt until Argus stops tracking it; every event about it carries it. */
export interface InteractionRecord {
  readonly id: string;
  /** `performance.now()` at receipt (add `performance.timeOrigin` for epoch milliseconds). */
  readonly receivedAt: number;
  /** Index into INTERACTION_TYPES; 0 when the type could not be read. */
  readonly typeIndex: number;
  /** The command label: "name group sub" for chat input, the name for other commands, else "none". */
  readonly command: string;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly userId: string | null;
  readonly shard: number;
}

export type CommandKind = 'app' | 'prefix';

/** One run of a command handler (through wrapCommand or a framework's command events). */
export interface CommandRecord {
  readonly kind: CommandKind;
  readonly command: string;
  /** `performance.now()` when the handler started (for app commands: the interaction's receipt). */
  readonly startedAt: number;
  /** The interaction being handled, while Argus still tracks it. */
  readonly interaction: InteractionRecord | undefined;
  readonly guildId: string | null;
  readonly shard: number;
}

/** One HTTP request of the bot's REST client to Discord's API. */
export interface RestRequestRecord {
  readonly method: string;
  /** The route template (`/channels/:id/messages`): never an id or a token. */
  readonly route: string;
  readonly startedAt: number;
}

export interface RateLimitInfo {
  /** `global`, `user`, `shared` (Discord's scope header). */
  readonly scope: string;
  readonly method: string;
  readonly route: string;
  /** How long the client waits before retrying, in ms (0 when unknown). */
  readonly retryAfterMs: number;
}

/**
 * - `ready`: a shard's first READY;
 * - `reidentified`: a later READY (a fresh session after a lost one);
 * - `resumed`: a session resumed;
 * - `disconnected` / `reconnecting`: the connection was lost (never published while the client
 *   is being destroyed, which closes every shard on purpose).
 */
export type ShardLifecycleState = 'ready' | 'reidentified' | 'resumed' | 'disconnected' | 'reconnecting';

/**
 * What a recorder can listen to. Every method is optional and called synchronously on the bot's
 * hot path: keep it O(1), never await, never throw (a throw is counted and isolated all the same).
 */
export interface LifecycleSubscriber {
  /** Names the subscriber in `argus_instrumentation_errors_total{hook="lifecycle:<name>"}`. */
  readonly name: string;
  interactionReceived?(interaction: InteractionRecord): void;
  /** The initial response (reply, defer, update, modal, autocomplete result) was accepted. */
  interactionResponded?(interaction: InteractionRecord, at: number): void;
  /** No initial response within RESPONSE_DEADLINE_MS (published once, before a late response). */
  interactionDeadlineMissed?(interaction: InteractionRecord, at: number): void;
  /** Argus stops tracking: answered (`respondedAt` set) or given up on (null). Published once. */
  interactionFinished?(interaction: InteractionRecord, respondedAt: number | null): void;
  commandStarted?(command: CommandRecord): void;
  /** `error` is undefined on success; `at` is `performance.now()` at the end. */
  commandFinished?(command: CommandRecord, at: number, error: unknown): void;
  /**
   * Runs the handler inside a scope of the subscriber's (an active span, say). Must call `run`
   * exactly once and return its result; if it throws before calling it, Argus runs the handler
   * itself. Not called for a handler that runs synchronously inside this subscriber's own
   * `runInteraction` of the same interaction (a listener calling it): it is in that scope already.
   */
  runCommand?<R>(command: CommandRecord, run: () => R): R;
  /**
   * Runs discord.js' delivery of an interaction to the bot's own `interactionCreate` listeners
   * inside a scope of the subscriber's, so plain listeners (and what they start asynchronously)
   * run in it too. Published right after `interactionReceived`; the same contract as `runCommand`.
   */
  runInteraction?<R>(interaction: InteractionRecord, run: () => R): R;
  restRequestStarted?(request: RestRequestRecord): void;
  /** `status` is 0 when the request failed without a response. */
  restRequestFinished?(request: RestRequestRecord, at: number, status: number): void;
  /** A response as the REST client saw it (one per attempt, 429s included). */
  restResponse?(method: string, route: string, status: number): void;
  rateLimited?(info: RateLimitInfo): void;
  shardStateChanged?(shard: number, state: ShardLifecycleState): void;
}

type ScopeName = 'runCommand' | 'runInteraction';
type EventName = Exclude<keyof LifecycleSubscriber, 'name' | ScopeName>;
type Publish<K extends EventName> = NonNullable<LifecycleSubscriber[K]>;

const EVENTS: readonly EventName[] = [
  'interactionReceived',
  'interactionResponded',
  'interactionDeadlineMissed',
  'interactionFinished',
  'commandStarted',
  'commandFinished',
  'restRequestStarted',
  'restRequestFinished',
  'restResponse',
  'rateLimited',
  'shardStateChanged',
];

/**
 * The publishing side of the seam. Each event is a function, or undefined when no subscriber
 * wants it, so a publisher can skip building what nobody reads: `lifecycle.restResponse?.(…)`.
 * A subscriber that throws is counted under its own hook and never stops the others.
 */
export class Lifecycle {
  readonly interactionReceived: Publish<'interactionReceived'> | undefined;
  readonly interactionResponded: Publish<'interactionResponded'> | undefined;
  readonly interactionDeadlineMissed: Publish<'interactionDeadlineMissed'> | undefined;
  readonly interactionFinished: Publish<'interactionFinished'> | undefined;
  readonly commandStarted: Publish<'commandStarted'> | undefined;
  readonly commandFinished: Publish<'commandFinished'> | undefined;
  readonly restRequestStarted: Publish<'restRequestStarted'> | undefined;
  readonly restRequestFinished: Publish<'restRequestFinished'> | undefined;
  readonly restResponse: Publish<'restResponse'> | undefined;
  readonly rateLimited: Publish<'rateLimited'> | undefined;
  readonly shardStateChanged: Publish<'shardStateChanged'> | undefined;
  /** Whether any subscriber runs handlers in a scope of its own (`runCommand`). */
  readonly scoped: boolean;
  /** Whether any subscriber runs the delivery of interactions in a scope (`runInteraction`). */
  readonly interactionScoped: boolean;
  private readonly commandScopes: readonly Scope[];
  /** The command scopes of subscribers without an interaction scope of their own. */
  private readonly commandScopesInDelivery: readonly Scope[];
  private readonly interactionScopes: readonly Scope[];
  private readonly guard: FailOpenGuard;
  /** The interaction whose delivery runs inside every interaction scope right now, if any. */
  private readonly delivery: Delivery = { current: undefined };

  constructor(subscribers: readonly LifecycleSubscriber[], guard: FailOpenGuard) {
    this.guard = guard;
    const self = this as unknown as Record<EventName, unknown>;
    for (const event of EVENTS) self[event] = fanOut(subscribers, event, guard);
    const scopes = (method: ScopeName, also: (s: LifecycleSubscriber) => boolean = () => true): Scope[] =>
      subscribers
        .filter((s) => typeof s[method] === 'function' && also(s))
        .map((subscriber) => ({
          enter: (subscriber[method] as Scope['enter']).bind(subscriber),
          method,
          hook: `lifecycle:${subscriber.name}`,
        }));
    this.commandScopes = scopes('runCommand');
    this.commandScopesInDelivery = scopes('runCommand', (s) => typeof s.runInteraction !== 'function');
    this.interactionScopes = scopes('runInteraction');
    this.scoped = this.commandScopes.length > 0;
    this.interactionScoped = this.interactionScopes.length > 0;
  }

  /** Whether any subscriber listens to anything (a composer can then skip listening at all). */
  get empty(): boolean {
    const self = this as unknown as Record<EventName, unknown>;
    return !this.scoped && !this.interactionScoped && EVENTS.every((e) => self[e] === undefined);
  }

  /** Runs a command handler inside every subscriber's scope; the handler runs exactly once. */
  runCommand<R>(command: CommandRecord, run: () => R): R {
    return this.runFrom(this.commandScopesOf(command), 0, command, run);
  }

  /** Whether `runCommand` would enter any scope for this command (else it just calls `run`). */
  entersCommandScope(command: CommandRecord): boolean {
    return this.commandScopesOf(command).length > 0;
  }

  private commandScopesOf(command: CommandRecord): readonly Scope[] {
    // A listener calling the handler during delivery: the interaction scopes are entered already.
    const inDelivery = command.interaction !== undefined && command.interaction === this.delivery.current;
    return inDelivery ? this.commandScopesInDelivery : this.commandScopes;
  }

  /** Runs the delivery of an interaction inside every subscriber's scope, exactly once. */
  runInteraction<R>(interaction: InteractionRecord, run: () => R): R {
    return this.runFrom(this.interactionScopes, 0, interaction, run, interaction);
  }

  /**
   * `run` inside the scopes from `index` on: the first subscriber's scope is outermost. With
   * `delivering`, the innermost call marks that interaction as delivered in every scope.
   */
  private runFrom<S, R>(
    scopes: readonly Scope[],
    index: number,
    subject: S,
    run: () => R,
    delivering?: InteractionRecord,
  ): R {
    const scope = scopes[index];
    if (scope === undefined) return run();
    const innermost = index + 1 === scopes.length;
    const inner = innermost ? run : () => this.runFrom(scopes, index + 1, subject, run, delivering);
    const mark = innermost ? delivering : undefined;
    const delivery = this.delivery;
    // The handler as the scope receives it: runs at most once and keeps what it returned or
    // threw. One closure per run, its state in the closure's own variables.
    let state = NOT_RUN as RunState;
    let outcome: unknown;
    const once = (): R => {
      if (state !== NOT_RUN) throw new Error(`${scope.method} ran the handler twice`);
      // Only while the scope runs it synchronously: a handler reached later re-enters its scopes.
      const outer = delivery.current;
      if (mark !== undefined) delivery.current = mark;
      try {
        const result = inner();
        state = RETURNED;
        outcome = result;
        return result;
      } catch (error) {
        state = THREW;
        outcome = error;
        throw error;
      } finally {
        delivery.current = outer;
      }
    };
    try {
      scope.enter(subject, once);
      if (state === NOT_RUN)
        this.guard.report(scope.hook, new Error(`${scope.method} returned without running the handler`));
    } catch (error) {
      if (!(state === THREW && error === outcome)) this.guard.report(scope.hook, error);
    }
    if (state === NOT_RUN) {
      // Spent: a scope that calls it later (a timer, a promise) must not run the handler again.
      state = TAKEN_BACK;
      return inner();
    }
    // Whatever the scope did, the bot sees exactly what its handler returned or threw.
    if (state === THREW) throw outcome;
    return outcome as R;
  }
}

const NOT_RUN = 0;
const RETURNED = 1;
const THREW = 2;
/** The scope returned without running it, so Argus ran the handler itself. */
const TAKEN_BACK = 3;
type RunState = typeof NOT_RUN | typeof RETURNED | typeof THREW | typeof TAKEN_BACK;

interface Delivery {
  current: InteractionRecord | undefined;
}

interface Scope {
  /** The subscriber's scope method, bound to it. */
  readonly enter: (subject: unknown, run: () => unknown) => unknown;
  readonly method: ScopeName;
  readonly hook: string;
}

function fanOut(
  subscribers: readonly LifecycleSubscriber[],
  event: EventName,
  guard: FailOpenGuard,
): ((...args: unknown[]) => void) | undefined {
  const targets = subscribers.filter((s) => typeof s[event] === 'function');
  if (targets.length === 0) return undefined;
  const calls = targets.map((s) => {
    const fn = (s[event] as (...args: unknown[]) => void).bind(s);
    return { fn, hook: `lifecycle:${s.name}` };
  });
  if (calls.length === 1) {
    const { fn, hook } = calls[0]!;
    return (a?: unknown, b?: unknown, c?: unknown) => {
      try {
        fn(a, b, c);
      } catch (error) {
        guard.report(hook, error);
      }
    };
  }
  return (a?: unknown, b?: unknown, c?: unknown) => {
    for (const { fn, hook } of calls) {
      try {
        fn(a, b, c);
      } catch (error) {
        guard.report(hook, error);
      }
    }
  };
}
