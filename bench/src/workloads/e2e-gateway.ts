// End to end: what Argus costs a real bot in CPU time. @argus/discord-sim pushes gateway
// dispatches over a real WebSocket into a real, logged-in discord.js Client, which parses them,
// updates its caches and emits its events; Argus counts each one. The same traffic goes to an
// identical bot without Argus, in alternating rounds.
import type { DiscordSimOptions } from '@argus/discord-sim';
import { DispatchCounter, type SimBot, startSimBot } from '../fixtures/discord';
import { goals, quantile, type Workload } from '../harness';

const WITHOUT = 'bot without argus';
const WITH = 'bot with argus';
const CONTROL = 'second bot without argus (A/A)';

/** Both simulators get exactly these options; heartbeats far apart so they stay out of the rounds. */
const SIM_OPTIONS: DiscordSimOptions = {
  shardCount: 1,
  guildCount: 10,
  channelsPerGuild: 3,
  heartbeatIntervalMs: 45_000,
};

/** Share of MESSAGE_CREATE in the traffic; the rest is TYPING_START. */
const MESSAGE_SHARE = 0.8;

interface Observed {
  wallMs: number[];
  eventsPerSecond: number[];
}

export const e2eGateway: Workload = {
  name: 'e2e-gateway',
  title: 'End-to-end gateway traffic, CPU time with and without Argus',
  description:
    'The simulator pushes N dispatches (80% MESSAGE_CREATE into cached channels, 20% TYPING_START) into a real ' +
    'logged-in discord.js Client; process CPU time from the first send until the client has seen the last one.',
  unit: 'cpu-µs/event',
  baseline: WITHOUT,
  reference: 'argus-dpy: 3 µs per gateway event hook (the hook alone)',
  rounds: 7,
  warmupRounds: 1,
  async setup(ctx) {
    const events = ctx.quick ? 20_000 : 100_000;
    const messages = Math.round(events * MESSAGE_SHARE);
    const typing = events - messages;
    const bots: SimBot[] = [];
    const observed = new Map<string, Observed>();

    const variant = async (name: string, withArgus: boolean) => {
      const counter = new DispatchCounter(['MESSAGE_CREATE', 'TYPING_START']);
      // The counter is the only listener a bot without Argus has: the baseline pays for one listener too.
      const bot = await startSimBot(SIM_OPTIONS, withArgus, (client) => client.on('raw', counter.listener));
      bots.push(bot);
      const seen: Observed = { wallMs: [], eventsPerSecond: [] };
      observed.set(name, seen);
      return {
        name,
        ...(withArgus ? { goal: goals.ratioAtMost(1.03, WITHOUT) } : {}),
        async sample() {
          const target = counter.count + events;
          const reached = counter.reach(target, 120_000);
          const cpuStart = process.cpuUsage();
          const wallStart = performance.now();
          let sent: { sent: number }[];
          try {
            sent = await Promise.all([
              bot.sim.blast({ shardId: 0, count: messages, event: 'MESSAGE_CREATE' }),
              bot.sim.blast({ shardId: 0, count: typing, event: 'TYPING_START' }),
            ]);
            await reached;
          } finally {
            counter.cancel();
          }
          const cpu = process.cpuUsage(cpuStart);
          const wallMs = performance.now() - wallStart;
          const total = sent.reduce((a, r) => a + r.sent, 0);
          if (total !== events) throw new Error(`the simulator sent ${total} of ${events} dispatches`);
          seen.wallMs.push(wallMs);
          seen.eventsPerSecond.push(events / (wallMs / 1000));
          return (cpu.user + cpu.system) / events;
        },
      };
    };

    try {
      // Both bots exist for the whole workload, so each round runs next to the same idle neighbour.
      // A third bot, identical to the baseline: its ratio is the noise floor of this run (an A/A test).
      const variants = [
        await variant(WITHOUT, false),
        await variant(WITH, true),
        await variant(CONTROL, false),
      ];
      return {
        notes: [
          `${events.toLocaleString('en-US')} dispatches per round (${messages.toLocaleString('en-US')} MESSAGE_CREATE + ` +
            `${typing.toLocaleString('en-US')} TYPING_START, one shard, 10 guilds x 3 channels), each bot on its own simulator`,
          'the simulator runs in this process: its CPU (building and sending frames) is in every variant alike, ' +
            'so the ratio understates what Argus adds to the bot alone; the difference is what counts',
          `"${CONTROL}" is a copy of the baseline: how far its ratio strays from 1 is this run's noise`,
        ],
        variants,
        conclude(rows) {
          const notes: string[] = [];
          const base = rows.find((r) => r.variant === WITHOUT);
          for (const row of rows) {
            const seen = observed.get(row.variant)!;
            // Only the measured rounds: the first samples are the warm-up.
            const measured = row.rounds;
            const rate = median(seen.eventsPerSecond.slice(-measured));
            const wall = median(seen.wallMs.slice(-measured));
            notes.push(
              `${row.variant}: ${Math.round(rate).toLocaleString('en-US')} events/s, ${wall.toFixed(0)} ms wall per round (medians)`,
            );
          }
          const withRow = rows.find((r) => r.variant === WITH);
          if (base && withRow) {
            const extra = (withRow.median - base.median) * 1000;
            notes.push(`argus adds ${extra.toFixed(0)} ns of CPU per event (difference of medians)`);
            // Variants of one round run back to back, so their noise is correlated: ratios within
            // each round, then the median, are a second estimate less exposed to drift.
            for (const row of rows) {
              if (row === base) continue;
              const paired = median(row.samples.map((v, i) => v / base.samples[i]!));
              notes.push(`${row.variant}: median of per-round ratios ${paired.toFixed(3)}x`);
            }
          }
          return notes;
        },
        async teardown() {
          for (const bot of bots) await bot.stop();
        },
      };
    } catch (error) {
      for (const bot of bots) await bot.stop();
      throw error;
    }
  },
};

function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
