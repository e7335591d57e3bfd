// /metrics latency while the bot is busy. Argus serves /metrics from the bot's own event loop, so
// a scrape waits for whatever gateway work is queued ahead of it. A scraper in a child process
// (HTTP GET over loopback, keep-alive, as Prometheus from outside the bot) polls the bot while
// @argus/discord-sim pushes ~10,000 dispatches/s, and again while the same bot is idle. A bare
// node:http server in the same process, answering the same bytes, gives the floor under load:
// the wait for the event loop, which no HTTP layer in the bot's process can avoid.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DiscordSimOptions } from '@argus/discord-sim';
import { forkIpcChild } from '../child/ipc-child';
import type { ScrapeReply, ScrapeRequest } from '../child/scraper';
import { DispatchCounter, type SimBot, sleep, startSimBot } from '../fixtures/discord';
import { median, quantile, type Workload } from '../harness';

const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const SCRAPER = fileURLToPath(new URL('../child/scraper.ts', import.meta.url));

const SIM_OPTIONS: DiscordSimOptions = {
  shardCount: 1,
  guildCount: 10,
  channelsPerGuild: 3,
  heartbeatIntervalMs: 45_000,
};

/** Load: one chunk every CHUNK_MS, 80% MESSAGE_CREATE and 20% TYPING_START, as in e2e-gateway. */
const CHUNK_MS = 100;
const CHUNK = 1_000;
const CHUNK_MESSAGES = 800;
/** One scrape every SCRAPE_MS (a scrape that takes longer is followed at once by the next). */
const SCRAPE_MS = 10;

type Percentile = 'p50' | 'p99';

interface Series {
  latencies: number[];
  /** Dispatches the bot received per second during the scrapes (0 when idle). */
  rate: number;
  bytes: number;
}

export const scrapeUnderLoad: Workload = {
  name: 'scrape-under-load',
  title: '/metrics latency under gateway load',
  description:
    `GET /metrics from a child process over loopback every ${SCRAPE_MS} ms while the simulator pushes ${CHUNK.toLocaleString('en-US')} ` +
    `dispatches every ${CHUNK_MS} ms into the bot (discord.js + Argus, one process), vs the same bot idle, and vs a ` +
    'bare node:http server in the same process answering the same bytes under the same load (the event-loop floor).',
  unit: 'ms',
  baseline: 'idle p50',
  rounds: 5,
  warmupRounds: 1,
  async setup(ctx) {
    const seriesMs = ctx.quick ? 500 : 2_000;
    const counter = new DispatchCounter(['MESSAGE_CREATE', 'TYPING_START']);
    const bot: SimBot = await startSimBot(SIM_OPTIONS, true, (client) => client.on('raw', counter.listener));
    const scraper = await startScraper().catch(async (error: unknown) => {
      await bot.stop();
      throw error;
    });
    const url = `${bot.url}/metrics`;
    const bare = await startBareServer(await bot.argus!.prometheus!.render('text')).catch(
      async (error: unknown) => {
        await scraper.stop();
        await bot.stop();
        throw error;
      },
    );
    const rates: number[] = [];
    const sizes: number[] = [];
    const scrapes: number[] = [];

    /** Scrapes `target` every SCRAPE_MS for `seriesMs`, from the child; the latencies in ms. */
    const scrapeSeries = (target = url) =>
      scraper.series({ url: target, durationMs: seriesMs, intervalMs: SCRAPE_MS });

    const idle = async (): Promise<Series> => ({ ...(await scrapeSeries()), rate: 0 });

    const loaded = async (target = url): Promise<Series> => {
      const blasts: Promise<unknown>[] = [];
      let sent = counter.count;
      const chunk = () => {
        sent += CHUNK;
        blasts.push(
          bot.sim.blast({ shardId: 0, count: CHUNK_MESSAGES, event: 'MESSAGE_CREATE' }),
          bot.sim.blast({ shardId: 0, count: CHUNK - CHUNK_MESSAGES, event: 'TYPING_START' }),
        );
      };
      chunk();
      const pacer = setInterval(chunk, CHUNK_MS);
      // Settles even after a failure, so no blast is left in flight behind a thrown error.
      const drain = async () => {
        clearInterval(pacer);
        for (const r of await Promise.allSettled(blasts)) if (r.status === 'rejected') throw r.reason;
      };
      let series: { latencies: number[]; bytes: number };
      let rate: number;
      try {
        // Let the load settle for one chunk before the first scrape.
        await sleep(CHUNK_MS);
        const before = counter.count;
        const start = performance.now();
        series = await scrapeSeries(target);
        rate = (counter.count - before) / ((performance.now() - start) / 1000);
      } catch (error) {
        await drain().catch(() => {});
        throw error;
      }
      // The next series starts with nothing in flight.
      await drain();
      await counter.reach(sent, 60_000).finally(() => counter.cancel());
      return { ...series, rate };
    };

    // Each series yields both percentiles: the first variant of a pair in a round runs a fresh
    // series, the second reads the same one (rounds run A B C D, then D C B A).
    const pair = (run: () => Promise<Series>, load: boolean) => {
      let last: Series | undefined;
      const used = new Set<Percentile>();
      return async (p: Percentile): Promise<number> => {
        if (!last || used.has(p)) {
          last = await run();
          used.clear();
          if (load) rates.push(last.rate);
          scrapes.push(last.latencies.length);
          sizes.push(last.bytes);
        }
        used.add(p);
        return quantile(
          [...last.latencies].sort((a, b) => a - b),
          p === 'p50' ? 0.5 : 0.99,
        );
      };
    };
    const idlePair = pair(idle, false);
    const loadPair = pair(loaded, true);
    const barePair = pair(() => loaded(bare.url), false);

    return {
      notes: [
        `${seriesMs / 1000} s of scrapes per round and condition (one series gives both its p50 and its p99), ` +
          "from a child process; the simulator shares the bot's process, so its frame building adds to the load",
      ],
      variants: [
        { name: 'idle p50', sample: () => idlePair('p50') },
        { name: 'idle p99', sample: () => idlePair('p99'), compareTo: 'idle p50' },
        { name: 'under load p50', sample: () => loadPair('p50') },
        { name: 'under load p99', sample: () => loadPair('p99'), compareTo: 'idle p99' },
        { name: 'bare node:http under load p50', sample: () => barePair('p50'), compareTo: 'under load p50' },
        { name: 'bare node:http under load p99', sample: () => barePair('p99'), compareTo: 'under load p99' },
      ],
      async conclude(rows) {
        const measured = rows[0]?.rounds ?? rates.length;
        const achieved = median(rates.slice(-measured));
        // What of a scrape is the exposition itself, the rest being HTTP and waiting for the loop.
        const renders: number[] = [];
        for (let i = 0; i < 50; i++) {
          const start = performance.now();
          await bot.argus!.prometheus!.render('text');
          renders.push(performance.now() - start);
        }
        return [
          `render('text') alone, idle: ${median(renders).toFixed(3)} ms (median of 50): the rest of a scrape is HTTP and the event loop`,
          `load achieved: ${Math.round(achieved).toLocaleString('en-US')} dispatches/s received by the bot during the scrapes ` +
            `(median over rounds; target ${((CHUNK * 1000) / CHUNK_MS).toLocaleString('en-US')}/s)`,
          `${Math.round(median(scrapes))} scrapes per series; exposition ${(median(sizes) / 1024).toFixed(1)} KiB`,
          '"under load p99" is compared to "idle p99"; "idle p99" and "under load p50" to "idle p50"; each bare ' +
            'node:http row to the Argus row under load with the same percentile (a ratio near 1: the wait is the ' +
            "event loop's, not Argus')",
        ];
      },
      async teardown() {
        await scraper.stop();
        await bare.close();
        await bot.stop();
      },
    };
  },
};

/** A node:http server on 127.0.0.1 that answers every request with `body`, as plainly as Node can. */
async function startBareServer(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const bytes = Buffer.from(body, 'utf8');
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      'Content-Length': bytes.length,
    });
    response.end(bytes);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Scraper {
  series(request: ScrapeRequest): Promise<{ latencies: number[]; bytes: number }>;
  stop(): Promise<void>;
}

/** Forks the scraper (src/child/scraper.ts): one series per request, over IPC. */
function startScraper(): Promise<Scraper> {
  return forkIpcChild<ScrapeRequest, ScrapeReply>(SCRAPER, BENCH_DIR, 'scraper', (reply) =>
    'error' in reply ? String(reply.error) : undefined,
  ).then((child) => ({
    // A reply that is not an error carries the series (errors reject in `ask`).
    series: (request: ScrapeRequest) => child.ask(request) as Promise<{ latencies: number[]; bytes: number }>,
    stop: () => child.stop(),
  }));
}
