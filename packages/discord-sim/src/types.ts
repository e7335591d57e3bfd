/**
 * Public types of @argus/discord-sim. Everything a caller can pass in or get back is declared here,
 * so the API can be read in one place.
 */

/** A JSON object as sent over the wire. The sim does not depend on discord-api-types on purpose. */
export type Payload = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Options and fixture
// ---------------------------------------------------------------------------------------------

export interface DiscordSimOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; `0` (the default) picks a free one. */
  port?: number;
  /** The bot token the sim accepts on REST (`Authorization: Bot <token>`) and in IDENTIFY/RESUME. */
  token?: string;
  /** The application (and bot user) id. Default: a fixed snowflake. */
  applicationId?: string;
  /** The bot's username. Default `Argus Sim`. */
  botUsername?: string;
  /** Shard count answered by `GET /gateway/bot` and used to place guilds. Default 1. */
  shardCount?: number;
  /** Number of guilds, spread round-robin over the shards. Default 10. */
  guildCount?: number;
  /** Text channels per guild (named general, commands, random, ...). Default 3. */
  channelsPerGuild?: number;
  /** Custom emojis per guild. Default 2. */
  emojisPerGuild?: number;
  /** Stickers per guild. Default 1. */
  stickersPerGuild?: number;
  /** `member_count` per guild: a number, or a function of the guild index. Default: 50..999, varied. */
  memberCount?: number | ((guildIndex: number) => number);
  /** Size of the pool of fake users who send commands and messages. Default 20. */
  userCount?: number;
  /** `heartbeat_interval` in HELLO. Short by default (1000 ms) so ping is known within a second. */
  heartbeatIntervalMs?: number;
  /**
   * Delay before each HEARTBEAT_ACK, in ms: one number for all shards or one per shard (index = shard id).
   * This is what `client.ws.shards.get(i).ping` measures. Default 0.
   */
  ackDelayMs?: number | readonly number[];
  /** `max_concurrency` in `/gateway/bot`. Default `max(16, shardCount)` so shards identify in parallel. */
  maxConcurrency?: number;
  /**
   * `session_start_limit.total` in `/gateway/bot`; `remaining` counts down by one per IDENTIFY, as on
   * Discord, so a manager that re-identifies too often (a respawn loop) runs out. Default 1000.
   */
  sessionStartLimit?: number;
  /** Dispatches kept per session for RESUME replay. Default 1000. */
  replayBufferSize?: number;
  /** Interaction records kept for callback matching; the oldest are forgotten first. Default 100 000. */
  maxTrackedInteractions?: number;
  /**
   * If > 0, an initial callback arriving later than this after the INTERACTION_CREATE was sent is
   * refused with 404 `Unknown interaction` (code 10062), as Discord does after 3 s. Default 0 (off), so a
   * loaded test machine never turns a slow reply into an error by accident.
   */
  interactionDeadlineMs?: number;
}

export interface SimUser {
  id: string;
  username: string;
  globalName: string;
}

export interface SimChannel {
  id: string;
  guildId: string;
  name: string;
  /** Discord channel type: 0 text, 4 category. */
  type: number;
}

export interface SimGuild {
  id: string;
  name: string;
  /** Shard that owns the guild for the sim's shard count. */
  shardId: number;
  ownerId: string;
  memberCount: number;
  /** Text channels (what commands and messages are sent in). */
  channels: SimChannel[];
  /** The category holding the text channels. */
  categoryId: string;
  /** The @everyone role (same id as the guild) and the bot's own role. */
  everyoneRoleId: string;
  botRoleId: string;
  emojis: { id: string; name: string }[];
  stickers: { id: string; name: string }[];
}

/** A registered application command as stored by `PUT /applications/:app/commands`. */
export type StoredCommand = Payload & { id: string; name: string; application_id: string };

// ---------------------------------------------------------------------------------------------
// Driving events
// ---------------------------------------------------------------------------------------------

/** Where an event comes from. Unset fields are picked: first guild of the shard, its first channel, a pool user. */
export interface EventTarget {
  /** Guild to send in. Picks the shard automatically. */
  guildId?: string;
  /** Shard to send on (when no guildId): a guild of that shard is used. Default 0. */
  shardId?: number;
  /** A text channel id of the guild. */
  channelId?: string;
  /** A user id from `sim.users`. */
  userId?: string;
  /** The user's locale. Default `en-US`. */
  locale?: string;
}

export type CommandOptionValue = string | number | boolean;

/** A command option in Discord's own shape, for when inference from a plain object is not enough. */
export interface SimCommandOption {
  name: string;
  /** Discord option type: 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number. */
  type: number;
  value?: CommandOptionValue;
  focused?: boolean;
}

/**
 * Options of a command: either `{ name: value }` (types inferred: string 3, integer 4, other number 10,
 * boolean 5) or an explicit list.
 */
export type CommandOptionsInput = Readonly<Record<string, CommandOptionValue>> | readonly SimCommandOption[];

export interface CommandInteractionSpec extends EventTarget {
  type: 'command';
  /** Command name, e.g. `ping`. */
  name: string;
  /** Subcommand group and subcommand, if any. */
  group?: string;
  subcommand?: string;
  options?: CommandOptionsInput;
}

export interface AutocompleteInteractionSpec extends EventTarget {
  type: 'autocomplete';
  name: string;
  group?: string;
  subcommand?: string;
  options?: CommandOptionsInput;
  /** Name of the focused option. Default: the last string option. */
  focused?: string;
}

export interface ButtonInteractionSpec extends EventTarget {
  type: 'button';
  customId: string;
}

export interface SelectInteractionSpec extends EventTarget {
  type: 'select';
  customId: string;
  values: string[];
}

export interface ModalInteractionSpec extends EventTarget {
  type: 'modal';
  customId: string;
  /** Text inputs of the modal: custom_id -> value. */
  fields: Readonly<Record<string, string>>;
}

export type InteractionSpec =
  | CommandInteractionSpec
  | AutocompleteInteractionSpec
  | ButtonInteractionSpec
  | SelectInteractionSpec
  | ModalInteractionSpec;

export type InteractionKind = InteractionSpec['type'];

/** Names of Discord's interaction callback types (the `type` of the callback body). */
export type CallbackTypeName =
  | 'pong'
  | 'reply'
  | 'deferReply'
  | 'deferUpdate'
  | 'update'
  | 'autocomplete'
  | 'modal'
  | 'premiumRequired'
  | 'launchActivity'
  | 'unknown';

/** What the sim saw when the bot answered an interaction. */
export interface InteractionCallbackEvent {
  interactionId: string;
  kind: InteractionKind | 'raw';
  /** Command name or custom_id. */
  name: string;
  shardId: number;
  guildId: string | null;
  /** The callback `type` number (4 reply, 5 defer, 6 deferUpdate, 7 update, 8 autocomplete, 9 modal...). */
  callbackType: number;
  callbackTypeName: CallbackTypeName;
  /** The callback body (`{type, data}`), or null if it was not JSON. */
  body: Payload | null;
  /** Wall-clock time the callback arrived (ms since epoch). */
  receivedAt: number;
  /** Time from writing INTERACTION_CREATE to the socket to the callback's arrival, in ms. */
  latencyMs: number;
}

/** An interaction the sim sent. `callback` resolves when the bot's initial response arrives (never rejects). */
export interface SentInteraction {
  id: string;
  token: string;
  kind: InteractionKind;
  name: string;
  shardId: number;
  guildId: string;
  channelId: string;
  userId: string;
  /** Sequence number of the dispatch. */
  seq: number;
  sentAt: number;
  readonly callback: Promise<InteractionCallbackEvent>;
}

/** Everything the sim knows about one interaction. */
export interface InteractionRecord {
  id: string;
  token: string;
  kind: InteractionKind | 'raw';
  name: string;
  shardId: number;
  guildId: string | null;
  channelId: string | null;
  sentAt: number;
  callback: InteractionCallbackEvent | null;
  followUps: number;
  edits: number;
}

export interface MessageSpec extends EventTarget {
  content: string;
}

export interface SentMessage {
  id: string;
  shardId: number;
  guildId: string;
  channelId: string;
  userId: string;
  seq: number;
  sentAt: number;
}

export type BlastEvent = 'MESSAGE_CREATE' | 'TYPING_START' | 'PRESENCE_UPDATE' | 'INTERACTION_CREATE';

export interface BlastOptions {
  /** Shard to push to. Default 0. */
  shardId?: number;
  /** How many dispatches. */
  count: number;
  /** Event type. Default MESSAGE_CREATE. */
  event?: BlastEvent;
  /** MESSAGE_CREATE content. Default `hello`. */
  content?: string;
  /** INTERACTION_CREATE command name. Default `ping`. */
  commandName?: string;
}

export interface BlastResult {
  shardId: number;
  event: BlastEvent;
  /** Dispatches written to the socket. Less than `count` if the shard disconnected mid-way. */
  sent: number;
  firstSeq: number;
  lastSeq: number;
  durationMs: number;
}

/** Kinds of bad payloads for fail-open tests. discord.js 14 itself survives each of them. */
export type GarbageKind =
  /** A known event type (MESSAGE_CREATE) whose `d` has wrong types and missing fields. */
  | 'malformed'
  /** A dispatch type Discord never sends (`ARGUS_SIM_UNKNOWN_EVENT`). */
  | 'unknownEvent'
  /** INTERACTION_CREATE with an empty `d`. */
  | 'emptyInteraction';

// ---------------------------------------------------------------------------------------------
// Fault injection
// ---------------------------------------------------------------------------------------------

/** Which REST requests a fault applies to. Routes are matched against the path after `/api/v10`. */
export interface RouteMatcher {
  /** HTTP method, case-insensitive. Default: any. */
  method?: string;
  /** RegExp (or its source as a string) tested against e.g. `/channels/123/messages`. Default: any. */
  route?: RegExp | string;
  /** How many matching requests get the fault. Default 1. */
  count?: number;
}

export interface RateLimitRule extends RouteMatcher {
  /** Seconds the client must wait (`retry-after`, body `retry_after`). Default 1. */
  retryAfter?: number;
  /** A global rate limit (`x-ratelimit-global: true`, scope `global`). */
  global?: boolean;
  /** Only the `Retry-After` header: discord.js then waits and retries without emitting `rateLimited`. */
  bare?: boolean;
  /** `x-ratelimit-scope` for a non-global limit. Default `user`. */
  scope?: 'user' | 'shared';
  /** `x-ratelimit-limit`. Default 5 (50 when global). */
  limit?: number;
  /** `x-ratelimit-bucket`. Default a stable hash of the route. */
  bucket?: string;
}

export interface StatusRule extends RouteMatcher {
  /** Status to answer with, e.g. 401, 403, 404, 500, 502. */
  status: number;
  /** Response body. Default: Discord's usual body for the status (e.g. 403 `Missing Permissions`, 50013). */
  body?: Payload;
}

export interface LatencyRule extends RouteMatcher {
  /** Extra delay before the request is handled. */
  delayMs: number;
}

/** A queued fault. Faults are consumed in the order they were injected. */
export interface FaultHandle {
  readonly id: number;
  /** Matching requests still to be faulted. */
  readonly remaining: number;
  cancel(): void;
}

// ---------------------------------------------------------------------------------------------
// Events and stats
// ---------------------------------------------------------------------------------------------

export interface RestEvent {
  method: string;
  /** Decoded path after the version prefix, e.g. `/channels/1/messages`. */
  path: string;
  /** Route template, e.g. `/channels/:id/messages`. */
  route: string;
  status: number;
  /** Which injected fault answered, if any. */
  injected: 'rateLimit' | 'status' | null;
  durationMs: number;
  at: number;
}

export interface ChannelMessageEvent {
  channelId: string;
  guildId: string | null;
  messageId: string;
  body: Payload;
  receivedAt: number;
}

export interface WebhookMessageEvent {
  /** followUp: POST /webhooks/:app/:token; edit: PATCH .../messages/:id; delete; fetch: GET. */
  action: 'followUp' | 'edit' | 'delete' | 'fetch';
  interactionId: string | null;
  /** `@original` or a message id. */
  messageId: string;
  body: Payload | null;
  receivedAt: number;
}

export interface IdentifyEvent {
  shardId: number;
  shardCount: number;
  sessionId: string;
  intents: number;
  at: number;
}

export interface ResumedEvent {
  shardId: number;
  sessionId: string;
  /** Dispatches replayed before RESUMED. */
  replayed: number;
  at: number;
}

export interface ShardCloseEvent {
  shardId: number | null;
  sessionId: string | null;
  code: number;
  /** `sim` when the sim closed the socket, `client` when the bot did. */
  by: 'sim' | 'client';
  at: number;
}

/** Event name -> payload for `sim.on(...)`. */
export interface DiscordSimEvents {
  rest: RestEvent;
  interactionCallback: InteractionCallbackEvent;
  webhookMessage: WebhookMessageEvent;
  channelMessage: ChannelMessageEvent;
  identify: IdentifyEvent;
  resumed: ResumedEvent;
  shardClose: ShardCloseEvent;
}

export interface ShardStats {
  shardId: number;
  connected: boolean;
  sessionId: string | null;
  seq: number;
  identifies: number;
  resumes: number;
  heartbeats: number;
  acks: number;
  ackDelayMs: number;
  zombie: boolean;
  /** Wall-clock end of a running outage, else null. */
  outageUntil: number | null;
}

export interface SimStats {
  uptimeMs: number;
  /** Open gateway sockets. */
  connections: number;
  shards: ShardStats[];
  dispatches: { total: number; byType: Record<string, number> };
  interactions: {
    sent: number;
    answered: number;
    byKind: Record<string, number>;
    callbacksByType: Record<string, number>;
    followUps: number;
    edits: number;
    /** Callbacks refused: unknown or expired interaction (10062). */
    unknown: number;
    /** Second initial callbacks (40060 already acknowledged). */
    duplicate: number;
  };
  channelMessages: number;
  rest: {
    total: number;
    byStatus: Record<string, number>;
    byRoute: Record<string, number>;
    rateLimited: number;
    injectedStatuses: number;
  };
  garbage: number;
  blasts: number;
}

// ---------------------------------------------------------------------------------------------
// Traffic driver
// ---------------------------------------------------------------------------------------------

/** Kinds of traffic a scenario mixes. */
export type TrafficKind = 'command' | 'autocomplete' | 'button' | 'select' | 'modal' | 'prefix';

/**
 * How the bot is asked to behave. The sim cannot make a bot fail, so it asks: a bot written for the sim
 * maps these to an exception, a late answer or no answer (see `modeOf*` helpers and the README).
 */
export type SimMode = 'ok' | 'slow' | 'error' | 'ignore';

export interface ScenarioCommand {
  /** Top-level command name. */
  name: string;
  group?: string;
  subcommand?: string;
  /** Relative weight within the command mix. Default 1. */
  weight?: number;
  /** Fixed options to send (the `mode` option is added by the driver). */
  options?: Readonly<Record<string, CommandOptionValue>>;
  /** Whether the driver may add the `mode` option (error/slow/ignore shares). Default true. */
  modes?: boolean;
}

export interface ScenarioAutocomplete {
  name: string;
  subcommand?: string;
  /** The focused option. */
  focused: string;
  weight?: number;
}

export interface ScenarioSelect {
  customId: string;
  values: readonly string[];
  weight?: number;
}

export interface ScenarioModal {
  customId: string;
  fields: Readonly<Record<string, string>>;
  weight?: number;
}

/** A scenario: plain JSON, so it can also be posted to `/_sim/scenario`. */
export interface ScenarioSpec {
  /** Shown in reports. */
  name?: string;
  /** Events per second, all kinds together. */
  rate: number;
  /** Stop by itself after this long. Default: run until `stop()`. */
  durationMs?: number;
  /** PRNG seed, for a reproducible sequence. Default 1. */
  seed?: number;
  /** Relative weights of each kind of traffic. Default: mostly commands, some components and prefix. */
  mix?: Partial<Record<TrafficKind, number>>;
  commands?: readonly ScenarioCommand[];
  autocomplete?: readonly ScenarioAutocomplete[];
  /** Button custom_ids. */
  buttons?: readonly string[];
  selects?: readonly ScenarioSelect[];
  modals?: readonly ScenarioModal[];
  /** Prefix command names (sent as `${prefix}${name}`). */
  prefixCommands?: readonly string[];
  /** Default `!`. */
  prefix?: string;
  /** Shares (0..1) of commands, components, modals and prefix commands sent with mode error / slow / ignore. */
  errorShare?: number;
  slowShare?: number;
  ignoreShare?: number;
  /** Every `everyMs`, queue `count` 429s for matching routes (default: channel messages and webhooks). */
  rateLimitBursts?: {
    everyMs: number;
    count: number;
    method?: string;
    route?: string;
    retryAfter?: number;
    global?: boolean;
  };
  /** Shard outages, relative to the start. */
  outages?: readonly { atMs: number; shardId: number; durationMs: number }[];
  /** Shard disconnects (close codes), relative to the start. */
  disconnects?: readonly { atMs: number; shardId: number; code?: number }[];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** What a traffic driver sent, for comparison with what the bot (or Argus) counted. */
export interface TrafficReport {
  scenario: string;
  running: boolean;
  startedAt: number;
  elapsedMs: number;
  sent: {
    total: number;
    byKind: Record<TrafficKind, number>;
    /** Slash commands by full name (`config set`). */
    byCommand: Record<string, number>;
    /** Autocomplete by command name. */
    byAutocomplete: Record<string, number>;
    /** Buttons, selects and modals by custom_id (without the mode suffix). */
    byCustomId: Record<string, number>;
    /** Prefix commands by name. */
    byPrefix: Record<string, number>;
    byMode: Record<SimMode, number>;
  };
  /** Interactions the bot has answered (initial callback) so far, and how fast. */
  answered: number;
  callbackLatencyMs: LatencySummary;
  /** Events not sent because no shard had a session. */
  skipped: number;
  /** Sends that threw (e.g. the shard's session ended). */
  errors: number;
  rateLimitsInjected: number;
  outages: number;
  disconnects: number;
}
