import type { EventEmitter } from 'node:events';
import type { Client, Guild } from 'discord.js';
import type { CatalogueSources } from '../catalogue';
import type { FailOpenGuard } from '../guard';
import { EventLoopMonitor } from './event-loop';
import { GuildAssetCounts } from './guild-assets';

const READY = 0; // discord.js Status.Ready

/**
 * The scrape-time readers of a discord.js client (invariant 4: O(1) reads; where discord.js has
 * no O(1) size, counts kept from events). Created before the catalogue, which reads them.
 */
export class ClientGauges {
  readonly sources: CatalogueSources;
  private readonly assets = new GuildAssetCounts();
  private readonly loop = new EventLoopMonitor();
  private readonly listeners: [string, (...args: unknown[]) => void][] = [];
  private closed = false;

  constructor(
    private readonly client: Client,
    guard: FailOpenGuard,
  ) {
    const assets = this.assets;
    const loop = this.loop;
    this.sources = {
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
      emojis: () => assets.emojis,
      stickers: () => assets.stickers,
      appCommandsRegistered: () => client.application?.commands.cache.size ?? 0,
      eventLoopLagSeconds: () => loop.p99Seconds(),
    };

    const listen = (event: string, fn: (...args: never[]) => void) => {
      const listener = (...args: unknown[]) => {
        guard.run(`gauges:${event}`, () => fn(...(args as never[])));
      };
      (client as unknown as EventEmitter).on(event, listener);
      this.listeners.push([event, listener]);
    };
    const count = (guild: Guild) => assets.count(guild);
    listen('clientReady', () => assets.backfill(client));
    listen('guildCreate', count);
    listen('guildAvailable', count);
    listen('guildDelete', (guild: Guild) => assets.forget(guild.id));
    for (const event of ['emojiCreate', 'emojiDelete', 'stickerCreate', 'stickerDelete']) {
      listen(event, (item: { guild?: Guild | null }) => {
        if (item?.guild) assets.count(item.guild);
      });
    }
    if (client.isReady()) assets.backfill(client);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [event, listener] of this.listeners)
      (this.client as unknown as EventEmitter).off(event, listener);
    this.listeners.length = 0;
    this.loop.close();
    this.assets.clear();
  }
}
