import type {
  CommandOptionsInput,
  InteractionSpec,
  Payload,
  SimChannel,
  SimCommandOption,
  SimGuild,
  SimUser,
} from '../types.js';
import {
  ALL_PERMISSIONS,
  channelPayload,
  EVERYONE_PERMISSIONS,
  memberPayload,
  messagePayload,
  userPayload,
  type World,
} from './fixtures.js';

/** Where a built event goes. */
export interface ResolvedTarget {
  guild: SimGuild;
  channel: SimChannel;
  user: SimUser;
  locale: string;
}

/** Discord interaction type numbers by spec kind. */
const INTERACTION_TYPES = { command: 2, autocomplete: 4, button: 3, select: 3, modal: 5 } as const;

function inferType(value: unknown): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

export function toOptionList(input: CommandOptionsInput | undefined): SimCommandOption[] {
  if (!input) return [];
  if (Array.isArray(input)) return input.map((o) => ({ ...o }));
  return Object.entries(input as Record<string, string | number | boolean>).map(([name, value]) => ({
    name,
    type: inferType(value),
    value,
  }));
}

/** Builds `resolved` for user (6), channel (7) and role (8) options, as Discord sends it. */
function resolvedFor(options: SimCommandOption[], world: World, guild: SimGuild): Payload | undefined {
  const users: Payload = {};
  const members: Payload = {};
  const channels: Payload = {};
  const roles: Payload = {};
  let any = false;
  for (const o of options) {
    const id = String(o.value ?? '');
    if (o.type === 6) {
      const u = world.users.find((x) => x.id === id) ?? (world.bot.id === id ? world.bot : undefined);
      if (!u) continue;
      users[id] = userPayload(u, u === world.bot);
      members[id] = { ...memberPayload(null), permissions: EVERYONE_PERMISSIONS };
      any = true;
    } else if (o.type === 7) {
      const c = world.channelById.get(id);
      if (!c) continue;
      channels[id] = { ...channelPayload(c, guild, 0), permissions: ALL_PERMISSIONS };
      any = true;
    } else if (o.type === 8) {
      roles[id] = {
        id,
        name: id === guild.everyoneRoleId ? '@everyone' : 'role',
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: '0',
        managed: false,
        mentionable: false,
        flags: 0,
      };
      any = true;
    }
  }
  return any ? { users, members, channels, roles } : undefined;
}

/** The message a component was attached to (discord.js requires `message` on component interactions). */
function componentMessage(world: World, t: ResolvedTarget, id: string, component: Payload): Payload {
  return messagePayload({
    id,
    channelId: t.channel.id,
    guildId: null,
    author: userPayload(world.bot, true),
    body: {
      content: 'A message with components',
      components: [{ type: 1, id: 1, components: [{ id: 2, ...component }] }],
    },
    extra: { application_id: world.applicationId, webhook_id: world.applicationId },
  });
}

/**
 * Builds an INTERACTION_CREATE `d`. Carries every field discord.js 14.28 needs, including
 * `entitlements` and `authorizing_integration_owners` (without them the interaction is dropped).
 */
export function buildInteraction(
  world: World,
  spec: InteractionSpec,
  t: ResolvedTarget,
  id: string,
  token: string,
  commandId: (name: string) => string,
  messageId: string,
): { d: Payload; name: string } {
  let data: Payload;
  let name: string;
  const extra: Payload = {};
  switch (spec.type) {
    case 'command':
    case 'autocomplete': {
      name = spec.name;
      let options = toOptionList(spec.options);
      if (spec.type === 'autocomplete') {
        const focused = spec.focused ?? [...options].reverse().find((o) => o.type === 3)?.name;
        if (focused && !options.some((o) => o.name === focused))
          options.push({ name: focused, type: 3, value: '' });
        options = options.map((o) => (o.name === focused ? { ...o, focused: true } : o));
      }
      const resolved = spec.type === 'command' ? resolvedFor(options, world, t.guild) : undefined;
      let nested: Payload[] = options as unknown as Payload[];
      if (spec.subcommand) nested = [{ name: spec.subcommand, type: 1, options: nested }];
      if (spec.group) nested = [{ name: spec.group, type: 2, options: nested }];
      data = { id: commandId(spec.name), name: spec.name, type: 1, options: nested };
      if (resolved) data.resolved = resolved;
      break;
    }
    case 'button': {
      name = spec.customId;
      data = { custom_id: spec.customId, component_type: 2 };
      extra.message = componentMessage(world, t, messageId, {
        type: 2,
        style: 1,
        label: 'Press',
        custom_id: spec.customId,
      });
      break;
    }
    case 'select': {
      name = spec.customId;
      data = { custom_id: spec.customId, component_type: 3, values: [...spec.values] };
      extra.message = componentMessage(world, t, messageId, {
        type: 3,
        custom_id: spec.customId,
        options: spec.values.map((v) => ({ label: v, value: v })),
        min_values: 1,
        max_values: Math.max(1, spec.values.length),
      });
      break;
    }
    case 'modal': {
      name = spec.customId;
      let n = 0;
      data = {
        custom_id: spec.customId,
        components: Object.entries(spec.fields).map(([customId, value]) => ({
          type: 1,
          id: ++n,
          components: [{ type: 4, id: ++n, custom_id: customId, value }],
        })),
      };
      break;
    }
  }
  const d: Payload = {
    id,
    application_id: world.applicationId,
    type: INTERACTION_TYPES[spec.type],
    token,
    version: 1,
    guild_id: t.guild.id,
    channel_id: t.channel.id,
    channel: {
      ...channelPayload(t.channel, t.guild, t.guild.channels.indexOf(t.channel)),
      permissions: ALL_PERMISSIONS,
    },
    guild: { id: t.guild.id, locale: 'en-US', features: [] },
    member: memberPayload(t.user, [], EVERYONE_PERMISSIONS),
    app_permissions: ALL_PERMISSIONS,
    locale: t.locale,
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': t.guild.id },
    context: 0,
    attachment_size_limit: 10_485_760,
    data,
    ...extra,
  };
  return { d, name };
}

/** A MESSAGE_CREATE `d` from a user of the pool in a cached guild channel (else discord.js drops it). */
export function buildMessageCreate(t: ResolvedTarget, id: string, content: string): Payload {
  return messagePayload({
    id,
    channelId: t.channel.id,
    guildId: t.guild.id,
    author: userPayload(t.user),
    body: { content },
    member: memberPayload(null),
    extra: { nonce: id },
  });
}

export function buildTypingStart(t: ResolvedTarget): Payload {
  return {
    channel_id: t.channel.id,
    guild_id: t.guild.id,
    user_id: t.user.id,
    timestamp: Math.floor(Date.now() / 1000),
    member: memberPayload(t.user),
  };
}

export function buildPresenceUpdate(t: ResolvedTarget): Payload {
  return {
    user: userPayload(t.user),
    guild_id: t.guild.id,
    status: 'online',
    activities: [],
    client_status: { desktop: 'online' },
  };
}
