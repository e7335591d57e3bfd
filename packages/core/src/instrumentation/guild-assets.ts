import type { Client, Guild } from 'discord.js';

/**
 * discord.js has no O(1) count of emojis or stickers across guilds (`client.emojis.cache`
 * builds a new collection from every guild), so keep per-guild counts from events (invariant 4).
 */
export class GuildAssetCounts {
  private readonly perGuild = new Map<string, [emojis: number, stickers: number]>();
  private emojiTotal = 0;
  private stickerTotal = 0;

  get emojis(): number {
    return this.emojiTotal;
  }
  get stickers(): number {
    return this.stickerTotal;
  }

  /** One pass over the cache, at attach or ready time; never at scrape time. */
  backfill(client: Client): void {
    for (const guild of client.guilds.cache.values()) this.count(guild);
  }

  count(guild: Guild): void {
    this.forget(guild.id);
    const emojis = guild.emojis?.cache.size ?? 0;
    const stickers = guild.stickers?.cache.size ?? 0;
    this.perGuild.set(guild.id, [emojis, stickers]);
    this.emojiTotal += emojis;
    this.stickerTotal += stickers;
  }

  forget(guildId: string): void {
    const previous = this.perGuild.get(guildId);
    if (!previous) return;
    this.perGuild.delete(guildId);
    this.emojiTotal -= previous[0];
    this.stickerTotal -= previous[1];
  }

  clear(): void {
    this.perGuild.clear();
    this.emojiTotal = 0;
    this.stickerTotal = 0;
  }
}
