import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  ChannelMessageEvent,
  InteractionCallbackEvent,
  Payload,
  RestEvent,
  StoredCommand,
  WebhookMessageEvent,
} from '../types.js';
import type { ChannelWebhooks } from './channel-webhooks.js';
import type { FaultQueue } from './faults.js';
import { channelPayload, messagePayload, userPayload, type World } from './fixtures.js';
import { HttpError, parseBody, parseJson, readBody, sendJson } from './http.js';
import type { SnowflakeGenerator } from './ids.js';
import type { InteractionTracker } from './interactions.js';

/** What the REST layer needs from the sim. */
export interface RestContext {
  world: World;
  token: string;
  shardCount: number;
  maxConcurrency: number;
  sessionStartLimit: number;
  /** IDENTIFYs accepted so far, over every shard and connection. */
  sessionStarts(): number;
  gatewayUrl(): string;
  tracker: InteractionTracker;
  faults: FaultQueue;
  /** Incoming webhooks a test created; their executions take the POST /webhooks/:id/:token route. */
  channelWebhooks: ChannelWebhooks;
  commands: CommandStore;
  ids: SnowflakeGenerator;
  counters: RestCounters;
  onRest(e: RestEvent): void;
  onChannelMessage(e: ChannelMessageEvent): void;
  onWebhookMessage(e: WebhookMessageEvent): void;
  onInteractionCallback(e: InteractionCallbackEvent): void;
}

export interface RestCounters {
  total: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  rateLimited: number;
  injectedStatuses: number;
  channelMessages: number;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RouteCtx {
  req: IncomingMessage;
  params: string[];
  query: URLSearchParams;
  raw: Buffer;
}

interface Route {
  method: string;
  pattern: RegExp;
  template: string;
  /** Needs `Authorization: Bot <token>`. Interaction callbacks and webhooks do not (discord.js sends no auth). */
  auth: boolean;
  handle(ctx: RouteCtx): Reply | Promise<Reply>;
}

const INTERACTION_TYPE_NUMBER: Record<string, number> = {
  command: 2,
  button: 3,
  select: 3,
  autocomplete: 4,
  modal: 5,
  raw: 2,
};

const unauthorized = (): Reply => ({ status: 401, body: { message: '401: Unauthorized', code: 0 } });
const notFound = (message = '404: Not Found', code = 0): Reply => ({ status: 404, body: { message, code } });

/** Application commands stored by bulk overwrite, per scope (`global` or a guild id). */
export class CommandStore {
  private readonly byScope = new Map<string, StoredCommand[]>();

  constructor(
    private readonly applicationId: string,
    private readonly ids: SnowflakeGenerator,
  ) {}

  list(guildId?: string): StoredCommand[] {
    return this.byScope.get(guildId ?? 'global') ?? [];
  }

  /** The id of a registered command by name (guild scope first), so interactions carry the real id. */
  idOf(name: string, guildId?: string): string | undefined {
    const inGuild = guildId ? this.list(guildId).find((c) => c.name === name) : undefined;
    return (inGuild ?? this.list().find((c) => c.name === name))?.id;
  }

  overwrite(input: unknown, guildId?: string): StoredCommand[] {
    if (!Array.isArray(input)) {
      throw new HttpError(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { _errors: ['expected array'] },
      });
    }
    const previous = this.list(guildId);
    const next = input.map((raw) => this.normalise(raw, previous, guildId));
    this.byScope.set(guildId ?? 'global', next);
    return next;
  }

  upsert(raw: unknown, guildId?: string): { command: StoredCommand; created: boolean } {
    const list = [...this.list(guildId)];
    const command = this.normalise(raw, list, guildId);
    const index = list.findIndex((c) => c.name === command.name);
    if (index >= 0) list[index] = command;
    else list.push(command);
    this.byScope.set(guildId ?? 'global', list);
    return { command, created: index < 0 };
  }

  private normalise(raw: unknown, previous: StoredCommand[], guildId?: string): StoredCommand {
    const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Payload;
    if (typeof c.name !== 'string' || c.name.length === 0) {
      throw new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors: { name: 'required' } });
    }
    const id = previous.find((p) => p.name === c.name)?.id ?? this.ids.next();
    return {
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      name_localizations: null,
      description_localizations: null,
      ...c,
      id,
      name: c.name,
      application_id: this.applicationId,
      version: this.ids.next(),
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }
}

/**
 * Discord's REST API as far as discord.js bots need it. Every request passes the fault queue first
 * (injected latency, 429s, error statuses), then the route table; anything unknown is a 404.
 */
export class RestApi {
  private readonly routes: Route[];
  /** Message id of each interaction's original response, so @original edits keep one id. */
  private readonly originalIds = new Map<string, string>();

  constructor(private readonly ctx: RestContext) {
    this.routes = this.buildRoutes();
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const { ctx } = this;
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) {
        route = r;
        params = m.slice(1);
        break;
      }
    }
    const template = route?.template ?? templateOf(path);
    let reply: Reply;
    let injected: RestEvent['injected'] = null;
    try {
      const raw = await readBody(req);
      const delay = ctx.faults.takeDelay(method, path);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay).unref());
      const fault = ctx.faults.takeResponse(method, path, template);
      if (fault) {
        injected = fault.kind;
        if (fault.kind === 'rateLimit') ctx.counters.rateLimited++;
        else ctx.counters.injectedStatuses++;
        reply = fault;
      } else if (!route) {
        reply = notFound();
      } else if (route.auth && !this.authorized(req)) {
        reply = unauthorized();
      } else {
        reply = await route.handle({ req, params, query, raw });
      }
    } catch (error) {
      reply =
        error instanceof HttpError
          ? { status: error.status, body: error.body }
          : { status: 500, body: { message: `500: ${String(error)}`, code: 0 } };
    }
    sendJson(res, reply.status, reply.body, reply.headers);
    ctx.counters.total++;
    ctx.counters.byStatus[reply.status] = (ctx.counters.byStatus[reply.status] ?? 0) + 1;
    // Unknown paths could mint many templates; past a cap they fold into one key so stats stay bounded.
    let routeKey = `${method} ${template}`;
    if (!(routeKey in ctx.counters.byRoute) && Object.keys(ctx.counters.byRoute).length >= 200)
      routeKey = 'other';
    ctx.counters.byRoute[routeKey] = (ctx.counters.byRoute[routeKey] ?? 0) + 1;
    ctx.onRest({
      method,
      path,
      route: template,
      status: reply.status,
      injected,
      durationMs: performance.now() - started,
      at: Date.now(),
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    return header === `Bot ${this.ctx.token}`;
  }

  private buildRoutes(): Route[] {
    const { ctx } = this;
    const SF = '([^/]+)';
    const r = (
      method: string,
      path: string,
      template: string,
      auth: boolean,
      handle: Route['handle'],
    ): Route => ({ method, pattern: new RegExp(`^${path}$`), template, auth, handle });

    return [
      r('GET', '/gateway/bot', '/gateway/bot', true, () => ({
        status: 200,
        body: {
          url: ctx.gatewayUrl(),
          shards: ctx.shardCount,
          session_start_limit: {
            total: ctx.sessionStartLimit,
            remaining: Math.max(0, ctx.sessionStartLimit - ctx.sessionStarts()),
            reset_after: 86_400_000,
            max_concurrency: ctx.maxConcurrency,
          },
        },
      })),
      r('GET', '/gateway', '/gateway', false, () => ({ status: 200, body: { url: ctx.gatewayUrl() } })),
      r('GET', '/users/@me', '/users/@me', true, () => ({
        status: 200,
        body: { ...userPayload(ctx.world.bot, true), verified: true, mfa_enabled: false, email: null },
      })),
      r('GET', '/applications/@me', '/applications/@me', true, () => ({
        status: 200,
        body: this.application(),
      })),
      r('GET', '/oauth2/applications/@me', '/oauth2/applications/@me', true, () => ({
        status: 200,
        body: this.application(),
      })),

      // Interactions
      r('POST', `/interactions/${SF}/${SF}/callback`, '/interactions/:id/:token/callback', false, (c) =>
        this.callback(c),
      ),
      r('POST', `/webhooks/${SF}/${SF}`, '/webhooks/:id/:token', false, async (c) =>
        ctx.channelWebhooks.has(c.params[0] ?? '')
          ? ctx.channelWebhooks.execute(
              c.params[0] ?? '',
              c.params[1] ?? '',
              await parseBody(c.req, c.raw),
              ctx.ids.next(),
            )
          : this.webhook(c, 'followUp'),
      ),
      r('GET', `/webhooks/${SF}/${SF}/messages/${SF}`, '/webhooks/:id/:token/messages/:message', false, (c) =>
        this.webhook(c, 'fetch'),
      ),
      r(
        'PATCH',
        `/webhooks/${SF}/${SF}/messages/${SF}`,
        '/webhooks/:id/:token/messages/:message',
        false,
        (c) => this.webhook(c, 'edit'),
      ),
      r(
        'DELETE',
        `/webhooks/${SF}/${SF}/messages/${SF}`,
        '/webhooks/:id/:token/messages/:message',
        false,
        (c) => this.webhook(c, 'delete'),
      ),

      // Channels
      r('GET', `/channels/${SF}`, '/channels/:id', true, (c) => {
        const channel = ctx.world.channelById.get(c.params[0] ?? '');
        const guild = channel ? ctx.world.guildById.get(channel.guildId) : undefined;
        if (!channel || !guild) return notFound('Unknown Channel', 10003);
        return { status: 200, body: channelPayload(channel, guild, guild.channels.indexOf(channel)) };
      }),
      r('POST', `/channels/${SF}/messages`, '/channels/:id/messages', true, (c) => this.channelMessage(c)),
      r('PATCH', `/channels/${SF}/messages/${SF}`, '/channels/:id/messages/:message', true, async (c) => {
        const channel = ctx.world.channelById.get(c.params[0] ?? '');
        if (!channel) return notFound('Unknown Channel', 10003);
        const body = await parseBody(c.req, c.raw);
        return {
          status: 200,
          body: messagePayload({
            id: c.params[1] ?? ctx.ids.next(),
            channelId: channel.id,
            guildId: channel.guildId,
            author: userPayload(ctx.world.bot, true),
            body,
            extra: { edited_timestamp: new Date().toISOString() },
          }),
        };
      }),
      r('DELETE', `/channels/${SF}/messages/${SF}`, '/channels/:id/messages/:message', true, () => ({
        status: 204,
      })),
      r('POST', `/channels/${SF}/typing`, '/channels/:id/typing', true, () => ({ status: 204 })),
      r(
        'PUT',
        `/channels/${SF}/messages/${SF}/reactions/${SF}/@me`,
        '/channels/:id/messages/:message/reactions/:emoji/@me',
        true,
        () => ({ status: 204 }),
      ),

      // Application commands
      r('GET', `/applications/${SF}/commands`, '/applications/:id/commands', true, () => ({
        status: 200,
        body: ctx.commands.list(),
      })),
      r('PUT', `/applications/${SF}/commands`, '/applications/:id/commands', true, (c) => ({
        status: 200,
        body: ctx.commands.overwrite(parseJson(c.raw)),
      })),
      r('POST', `/applications/${SF}/commands`, '/applications/:id/commands', true, (c) => {
        const { command, created } = ctx.commands.upsert(parseJson(c.raw));
        return { status: created ? 201 : 200, body: command };
      }),
      r(
        'GET',
        `/applications/${SF}/guilds/${SF}/commands`,
        '/applications/:id/guilds/:guild/commands',
        true,
        (c) => ({
          status: 200,
          body: ctx.commands.list(c.params[1]),
        }),
      ),
      r(
        'PUT',
        `/applications/${SF}/guilds/${SF}/commands`,
        '/applications/:id/guilds/:guild/commands',
        true,
        (c) => ({
          status: 200,
          body: ctx.commands.overwrite(parseJson(c.raw), c.params[1]),
        }),
      ),
      r(
        'POST',
        `/applications/${SF}/guilds/${SF}/commands`,
        '/applications/:id/guilds/:guild/commands',
        true,
        (c) => {
          const { command, created } = ctx.commands.upsert(parseJson(c.raw), c.params[1]);
          return { status: created ? 201 : 200, body: command };
        },
      ),
    ];
  }

  private application(): Payload {
    const { world } = this.ctx;
    return {
      id: world.applicationId,
      name: world.bot.username,
      icon: null,
      description: 'A bot running on @argus/discord-sim',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      bot: userPayload(world.bot, true),
      owner: userPayload(world.users[0] ?? world.bot),
      team: null,
      approximate_guild_count: world.guilds.length,
      tags: [],
      integration_types_config: { '0': {} },
    };
  }

  private async callback(c: RouteCtx): Promise<Reply> {
    const { ctx } = this;
    const [id = '', token = ''] = c.params;
    const body = await parseBody(c.req, c.raw);
    const outcome = ctx.tracker.onCallback(id, token, body);
    if (!outcome.ok) {
      return outcome.reason === 'duplicate'
        ? { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } }
        : notFound('Unknown interaction', 10062);
    }
    ctx.onInteractionCallback(outcome.event);
    if (c.query.get('with_response') !== 'true') return { status: 204 };
    // `reply({ withResponse: true })` needs the callback object and, for message responses, the message.
    const record = ctx.tracker.get(id);
    const type = outcome.event.callbackType;
    const data = (body?.data ?? {}) as Payload;
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    const makesMessage = type === 4 || type === 5 || type === 7;
    const messageId = makesMessage ? this.originalId(token) : undefined;
    const response: Payload = {
      interaction: {
        id,
        type: INTERACTION_TYPE_NUMBER[record?.kind ?? 'raw'] ?? 2,
        ...(messageId
          ? {
              response_message_id: messageId,
              response_message_loading: type === 5,
              response_message_ephemeral: (flags & 64) === 64,
            }
          : {}),
      },
    };
    if (messageId && record?.channelId) {
      response.resource = {
        type,
        message: messagePayload({
          id: messageId,
          channelId: record.channelId,
          guildId: record.guildId,
          author: userPayload(ctx.world.bot, true),
          body: type === 5 ? { flags: flags | 128 } : data,
          extra: { webhook_id: ctx.world.applicationId, application_id: ctx.world.applicationId },
        }),
      };
    } else {
      response.resource = { type };
    }
    return { status: 200, body: response };
  }

  private originalId(token: string): string {
    let id = this.originalIds.get(token);
    if (!id) {
      id = this.ctx.ids.next();
      this.originalIds.set(token, id);
      if (this.originalIds.size > 50_000) {
        const oldest = this.originalIds.keys().next().value;
        if (oldest !== undefined) this.originalIds.delete(oldest);
      }
    }
    return id;
  }

  private async webhook(c: RouteCtx, action: WebhookMessageEvent['action']): Promise<Reply> {
    const { ctx } = this;
    const token = c.params[1] ?? '';
    const target = action === 'followUp' ? '' : (c.params[2] ?? '');
    const body = action === 'edit' || action === 'followUp' ? await parseBody(c.req, c.raw) : null;
    let interactionId: string | null;
    if (action === 'followUp') interactionId = ctx.tracker.onFollowUp(token);
    else if (action === 'edit') interactionId = ctx.tracker.onEdit(token);
    else interactionId = ctx.tracker.idForToken(token) ?? null;
    let messageId: string;
    if (action === 'followUp') messageId = ctx.ids.next();
    else if (target === '@original') messageId = this.originalId(token);
    else messageId = target;
    ctx.onWebhookMessage({
      action,
      interactionId,
      messageId: action === 'followUp' ? messageId : target,
      body,
      receivedAt: Date.now(),
    });
    if (action === 'delete') return { status: 204 };
    if (action === 'followUp' && c.query.get('wait') === 'false') return { status: 204 };
    const record = interactionId ? ctx.tracker.get(interactionId) : undefined;
    const channelId = record?.channelId ?? ctx.world.guilds[0]?.channels[0]?.id ?? '0';
    return {
      status: 200,
      body: messagePayload({
        id: messageId,
        channelId,
        guildId: record?.guildId ?? null,
        author: userPayload(ctx.world.bot, true),
        body,
        extra: {
          webhook_id: ctx.world.applicationId,
          application_id: ctx.world.applicationId,
          ...(action === 'edit' ? { edited_timestamp: new Date().toISOString() } : {}),
        },
      }),
    };
  }

  private async channelMessage(c: RouteCtx): Promise<Reply> {
    const { ctx } = this;
    const channel = ctx.world.channelById.get(c.params[0] ?? '');
    if (!channel) return notFound('Unknown Channel', 10003);
    const body = (await parseBody(c.req, c.raw)) ?? {};
    const id = ctx.ids.next();
    ctx.counters.channelMessages++;
    ctx.onChannelMessage({
      channelId: channel.id,
      guildId: channel.guildId,
      messageId: id,
      body,
      receivedAt: Date.now(),
    });
    return {
      status: 200,
      body: messagePayload({
        id,
        channelId: channel.id,
        guildId: channel.guildId,
        author: userPayload(ctx.world.bot, true),
        body,
      }),
    };
  }
}

/** A route template for unknown paths: snowflakes and tokens become `:id`, so stats stay bounded. */
function templateOf(path: string): string {
  return path
    .split('/')
    .map((seg) => (/^\d{5,}$/.test(seg) || seg.length > 40 ? ':id' : seg))
    .join('/');
}
