/** Discord's epoch (2015-01-01T00:00:00Z): snowflake timestamps count from here. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * The timestamp (ms since the Discord epoch) used for fixture ids. Fixed, so the same options give
 * the same guild, channel and user ids in every run (stable dashboards, reproducible tests).
 */
const FIXTURE_BASE = 189_388_800_000n; // 2021-01-01T00:00:00Z

/** Which shard a guild belongs to, by Discord's rule `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * Id of the i-th guild. The timestamp part is chosen so that `(id >> 22) % shardCount === i % shardCount`,
 * which spreads guilds round-robin over the shards exactly as Discord would route them.
 */
export function guildId(index: number, shardCount: number): string {
  const base = FIXTURE_BASE - (FIXTURE_BASE % BigInt(shardCount));
  return (((base + BigInt(index)) << 22n) | BigInt(index & 0xfff)).toString();
}

/** Deterministic ids for everything else in the fixture (users, channels, roles, emojis...). */
export class FixtureIds {
  private n = 0n;
  constructor(private readonly worker: number) {}
  next(): string {
    this.n += 1n;
    // One id per simulated millisecond after 2021-06-01; the worker bits keep kinds apart.
    return (
      ((FIXTURE_BASE + 13_046_400_000n + this.n) << 22n) |
      (BigInt(this.worker & 0x1f) << 17n)
    ).toString();
  }
}

/** Live snowflakes (messages, interactions): current time plus a 12-bit increment, always increasing. */
export class SnowflakeGenerator {
  private lastMs = 0n;
  private increment = 0n;
  next(): string {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.increment += 1n;
      if (this.increment > 0xfffn) {
        // More than 4096 ids in one millisecond: borrow the next millisecond rather than repeat an id.
        ms += 1n;
        this.increment = 0n;
      }
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | this.increment).toString();
  }
}

/** A small seeded PRNG (mulberry32) so scenarios are reproducible. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A random token-ish string for interaction tokens and session ids. */
export function randomToken(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 12)}${Date.now().toString(36)}`;
}
