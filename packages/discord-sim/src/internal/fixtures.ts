import type { Payload, SimChannel, SimGuild, SimUser } from '../types.js';
import { FixtureIds, guildId } from './ids.js';

// Permission bits used in the fixture (a realistic @everyone and an administrator bot role).
const P = {
  addReactions: 1n << 6n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readHistory: 1n << 16n,
  useExternalEmojis: 1n << 18n,
  connect: 1n << 20n,
  speak: 1n << 21n,
  changeNickname: 1n << 26n,
  useCommands: 1n << 31n,
  sendInThreads: 1n << 38n,
  administrator: 1n << 3n,
};
export const EVERYONE_PERMISSIONS = (
  P.addReactions |
  P.viewChannel |
  P.sendMessages |
  P.embedLinks |
  P.attachFiles |
  P.readHistory |
  P.useExternalEmojis |
  P.connect |
  P.speak |
  P.changeNickname |
  P.useCommands |
  P.sendInThreads
).toString();
/** All permissions (what an administrator resolves to); sent as `app_permissions` and member permissions. */
export const ALL_PERMISSIONS = ((1n << 53n) - 1n).toString();
const BOT_ROLE_PERMISSIONS = P.administrator.toString();

const NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'victor',
  'walter',
  'zoe',
];
const CHANNEL_NAMES = ['general', 'commands', 'random', 'support', 'off-topic', 'announcements'];
const GUILD_NAMES = ['Sim Lounge', 'Test Kitchen', 'Shard Garden', 'Gateway Café', 'Ping Palace', 'Bot Yard'];

/** Fixed creation time of every fixture guild, channel and member (ISO). */
const JOINED_AT = '2021-06-01T00:00:00.000Z';

export interface World {
  applicationId: string;
  bot: SimUser;
  users: SimUser[];
  guilds: SimGuild[];
  guildById: Map<string, SimGuild>;
  channelById: Map<string, SimChannel>;
}

export interface WorldOptions {
  applicationId?: string;
  botUsername: string;
  shardCount: number;
  guildCount: number;
  channelsPerGuild: number;
  emojisPerGuild: number;
  stickersPerGuild: number;
  memberCount: number | ((index: number) => number);
  userCount: number;
}

/** Builds the deterministic guilds, channels and users the sim serves. */
export function buildWorld(o: WorldOptions): World {
  const ids = new FixtureIds(1);
  const applicationId = o.applicationId ?? ids.next();
  const bot: SimUser = { id: applicationId, username: o.botUsername, globalName: o.botUsername };
  const users: SimUser[] = [];
  for (let i = 0; i < o.userCount; i++) {
    const base = NAMES[i % NAMES.length] ?? 'user';
    const username = i < NAMES.length ? base : `${base}${Math.floor(i / NAMES.length)}`;
    users.push({ id: ids.next(), username, globalName: username[0]?.toUpperCase() + username.slice(1) });
  }
  const guilds: SimGuild[] = [];
  const guildById = new Map<string, SimGuild>();
  const channelById = new Map<string, SimChannel>();
  for (let i = 0; i < o.guildCount; i++) {
    const id = guildId(i, o.shardCount);
    const memberCount =
      typeof o.memberCount === 'function' ? o.memberCount(i) : Math.max(1, Math.floor(o.memberCount));
    const categoryId = ids.next();
    const channels: SimChannel[] = [];
    for (let c = 0; c < o.channelsPerGuild; c++) {
      const channel: SimChannel = {
        id: ids.next(),
        guildId: id,
        name: CHANNEL_NAMES[c] ?? `channel-${c}`,
        type: 0,
      };
      channels.push(channel);
      channelById.set(channel.id, channel);
    }
    const guild: SimGuild = {
      id,
      name: `${GUILD_NAMES[i % GUILD_NAMES.length]} ${i}`,
      shardId: i % o.shardCount,
      ownerId: users[i % Math.max(1, users.length)]?.id ?? applicationId,
      memberCount,
      channels,
      categoryId,
      everyoneRoleId: id,
      botRoleId: ids.next(),
      emojis: Array.from({ length: o.emojisPerGuild }, (_, e) => ({
        id: ids.next(),
        name: `sim_emoji_${e}`,
      })),
      stickers: Array.from({ length: o.stickersPerGuild }, (_, s) => ({
        id: ids.next(),
        name: `sim_sticker_${s}`,
      })),
    };
    guilds.push(guild);
    guildById.set(id, guild);
  }
  return { applicationId, bot, users, guilds, guildById, channelById };
}

/** Discord's default member count spread: varied but deterministic. */
export function defaultMemberCount(index: number): number {
  return 50 + ((index * 7919) % 950);
}

// ---------------------------------------------------------------------------------------------
// Payload builders. Field lists follow what discord.js 14.28 reads (see the package README).
// ---------------------------------------------------------------------------------------------

export function userPayload(u: SimUser, bot = false): Payload {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.globalName,
    avatar: null,
    bot,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function memberPayload(u: SimUser | null, roles: string[] = [], permissions?: string): Payload {
  const m: Payload = {
    roles,
    joined_at: JOINED_AT,
    premium_since: null,
    nick: null,
    avatar: null,
    banner: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
  };
  if (u) m.user = userPayload(u);
  if (permissions !== undefined) m.permissions = permissions;
  return m;
}

export function channelPayload(c: SimChannel, guild: SimGuild, position: number): Payload {
  return {
    id: c.id,
    type: c.type,
    guild_id: c.guildId,
    name: c.name,
    position,
    permission_overwrites: [],
    parent_id: guild.categoryId,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

function rolePayload(
  id: string,
  name: string,
  permissions: string,
  position: number,
  managed: boolean,
): Payload {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed,
    mentionable: false,
    flags: 0,
  };
}

export function guildCreatePayload(g: SimGuild, world: World): Payload {
  const channels: Payload[] = [
    {
      id: g.categoryId,
      type: 4,
      guild_id: g.id,
      name: 'Text Channels',
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      flags: 0,
    },
    ...g.channels.map((c, i) => channelPayload(c, g, i)),
  ];
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [
      rolePayload(g.everyoneRoleId, '@everyone', EVERYONE_PERMISSIONS, 0, false),
      rolePayload(g.botRoleId, world.bot.username, BOT_ROLE_PERMISSIONS, 1, true),
    ],
    emojis: g.emojis.map((e) => ({
      id: e.id,
      name: e.name,
      roles: [],
      require_colons: true,
      managed: false,
      animated: false,
      available: true,
    })),
    stickers: g.stickers.map((s) => ({
      id: s.id,
      name: s.name,
      tags: 'sim',
      type: 2,
      format_type: 1,
      description: 'A simulated sticker',
      available: true,
      guild_id: g.id,
    })),
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: g.channels[0]?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    incidents_data: null,
    // Discord marks the guild available by writing this key out; discord.js ignores a missing key.
    unavailable: false,
    joined_at: JOINED_AT,
    large: g.memberCount > 250,
    lazy: true,
    member_count: g.memberCount,
    // The bot's own member, so guild.members.me works without a REST fetch.
    members: [{ ...memberPayload(null, [g.botRoleId]), user: userPayload(world.bot, true) }],
    channels,
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
  };
}

/** A message object as Discord returns it from REST or sends in MESSAGE_CREATE. */
export function messagePayload(args: {
  id: string;
  channelId: string;
  guildId: string | null;
  author: Payload;
  body?: Payload | null;
  member?: Payload;
  extra?: Payload;
}): Payload {
  const body = args.body ?? {};
  const m: Payload = {
    id: args.id,
    type: body.message_reference ? 19 : 0,
    channel_id: args.channelId,
    author: args.author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    attachments: [],
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    reactions: [],
    pinned: false,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    ...(args.guildId ? { guild_id: args.guildId } : {}),
    ...(args.member ? { member: args.member } : {}),
    ...(body.message_reference ? { message_reference: body.message_reference } : {}),
    ...args.extra,
  };
  return m;
}
