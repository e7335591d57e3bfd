import type { GuildDirectory } from '@argus/server';
import type { Client } from 'discord.js';

/**
 * Guild names for the analytics API, read from the client's cache on request (never at scrape
 * time). A search walks the cache once and stops at `limit` matches.
 */
export function guildDirectory(client: Client): GuildDirectory {
  return {
    name: (guildId) => client.guilds.cache.get(guildId)?.name ?? null,
    search(query, limit) {
      const needle = query.toLowerCase();
      const byId = /^\d+$/.test(query);
      const found: { guildId: string; name: string | null }[] = [];
      for (const guild of client.guilds.cache.values()) {
        if (found.length >= limit) break;
        if ((byId && guild.id.startsWith(query)) || guild.name?.toLowerCase().includes(needle))
          found.push({ guildId: guild.id, name: guild.name ?? null });
      }
      return found;
    },
  };
}
