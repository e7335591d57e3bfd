// Per-guild analytics against a real ClickHouse server: Debian's clickhouse-server 18.16, started
// on random ports, killed mid-stream and restarted, under a real discord.js Client on the
// simulator. 18.16 is too old for Argus' DDL and server-side parameters, so this test creates an
// 18.16-compatible table itself (clickhouseCreateTable: false) and proves the transport and the
// fault handling; schema and queries are proven on the modern engine in history.test.ts.

import { type ClickHouseServer, eventsTableSql1816, startClickHouse, until } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposition, type Running, startBot } from './harness';

const CAPACITY = 400;
let ch: ClickHouseServer;
let bot: Running;
const logs: string[] = [];

async function serverRows(): Promise<number> {
  return Number((await ch.query('SELECT count() FROM argus_events FORMAT TSV')).trim());
}

function history(x: Exposition) {
  return {
    written: x.value('argus_history_events_written_total') ?? 0,
    queued: x.value('argus_history_queue_events') ?? 0,
    overflow: x.value('argus_history_events_dropped_total', { reason: 'overflow' }) ?? 0,
    up: x.value('argus_subsystem_up', { subsystem: 'sink' }),
  };
}

/** Sends `n` pings and waits until the bot has answered every one of them. */
async function pings(n: number): Promise<void> {
  const [guild] = bot.sim.guilds;
  const sent = Array.from({ length: n }, () =>
    bot.sim.sendInteraction({ type: 'command', name: 'ping', guildId: guild!.id }),
  );
  await Promise.all(sent.map((s) => s.callback));
}

async function historyWhen(check: (h: ReturnType<typeof history>) => boolean, what: string) {
  return until(
    async () => {
      const h = history(await bot.scrape());
      return check(h) ? h : undefined;
    },
    20_000,
    what,
  );
}

beforeAll(async () => {
  ch = await startClickHouse();
  await ch.query(eventsTableSql1816('argus_events'));
  const line = (level: string) => (message: string) => logs.push(`${level} ${message}`);
  bot = await startBot(
    { guildCount: 2 },
    {
      enablePerGuild: true,
      clickhouseDsn: ch.url,
      clickhouseCreateTable: false,
      dashboardAuthToken: 'server-token',
      historyFlushInterval: 1,
      historyBatchSize: 50,
      historyQueueCapacity: CAPACITY,
      historyRetry: { backoffMs: 100, maxBackoffMs: 400, circuitThreshold: 3, circuitCooldownMs: 1_000 },
      logger: { debug() {}, info: line('info'), warn: line('warn'), error: line('error') },
    },
  );
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await ch?.stop();
});

describe('per-guild analytics on a ClickHouse server that dies and comes back', () => {
  it('loses nothing within capacity, counts what overflowed, and the bot never notices', async () => {
    // 1. Server up: every event lands. Each ping is one interaction and one command event.
    await pings(10);
    await historyWhen((h) => h.written === 20, '20 events written');
    expect(await serverRows()).toBe(20);

    // 2. The server crashes. The bot keeps answering; events queue; the circuit opens.
    await ch.kill();
    await pings(30);
    const down = await historyWhen(
      (h) => h.up === 0 && h.queued === 60,
      'the sink marked down with 60 queued',
    );
    expect(down).toMatchObject({ written: 20, overflow: 0 });
    const ready = await (await fetch(`${bot.url}/readyz`)).json();
    expect(ready).toEqual({ ready: true, checks: { client: true, server: true, sink: false } });
    expect(logs.some((l) => /^warn per-guild analytics: ClickHouse keeps failing/.test(l))).toBe(true);

    // 3. Past capacity: 60 queued + 400 more = 60 over the 400 the queue holds.
    await pings(200);
    const full = await historyWhen((h) => h.queued + h.overflow === 460, 'all 460 events accounted for');
    expect(full).toMatchObject({ written: 20, queued: CAPACITY, overflow: 60 });

    // 4. The server comes back: the queue drains, the circuit closes, nothing queued is lost.
    await ch.restart();
    const back = await historyWhen((h) => h.up === 1 && h.queued === 0, 'the queue drained');
    expect(back).toMatchObject({ written: 20 + CAPACITY, overflow: 60 });
    expect(await serverRows()).toBe(20 + CAPACITY);
    // produced = written + dropped + queued: 20 + 60 + 400 events were produced in all.
    expect(back.written + back.overflow + back.queued).toBe(480);

    // The bot answered every interaction on time throughout.
    const x = await bot.scrape();
    expect(x.sum('discord_interactions_unanswered_total')).toBe(0);
    expect(x.value('discord_interaction_response_seconds_count', { command: 'ping' })).toBe(240);
    expect(logs.some((l) => /^info per-guild analytics: ClickHouse answers again/.test(l))).toBe(true);
  }, 90_000);

  it('close() with the server down gives up within its deadline and says what it could not write', async () => {
    await ch.kill();
    await pings(5);
    await historyWhen((h) => h.queued === 10, '10 events queued');
    const started = Date.now();
    await bot.argus.close();
    // 5 s for the queue, about 1 s for the engine; the server is closed after the queue.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(logs).toContain(
      'warn per-guild analytics: 10 events could not be written before shutdown (counted as dropped)',
    );
  }, 30_000);
});
