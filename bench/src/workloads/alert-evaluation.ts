// In-bot alerting's unit of work: one evaluation tick of every shipped rule over the 16-shard bot
// with 100 commands, its history full (every sample of the last hour, 5-minute samples back to the
// longest window, 3 days). The goal is the issue's: below 1 % of a core at the default 15 s
// interval, i.e. under 150 ms of CPU per tick.
import { AlertEvaluator, DEFAULT_EVALUATION_INTERVAL_MS } from '@argus/alerts';
import {
  BOUND_SERIES,
  BUMPS,
  buildArgus,
  COMMAND_COUNT,
  populateArgus,
  SHARD_COUNT,
} from '../fixtures/catalogue';
import { goals, type Workload } from '../harness';

const ONE_PERCENT_OF_A_CORE_MS = DEFAULT_EVALUATION_INTERVAL_MS / 100;

export const alertEvaluation: Workload = {
  name: 'alert-evaluation',
  title: `Alert evaluation tick, ${SHARD_COUNT} shards x ${COMMAND_COUNT} commands, all shipped rules`,
  description:
    `One AlertEvaluator tick (snapshot, sample into the rings, evaluate every in-process rule) over the ` +
    `render-catalogue bot (${BOUND_SERIES} bound series) with a full 3-day history, vs the snapshot alone.`,
  unit: 'ms/op',
  baseline: 'snapshot() alone',
  rounds: 5,
  async setup(ctx) {
    const bot = buildArgus();
    let time = Date.UTC(2026, 0, 1);
    const evaluator = new AlertEvaluator({
      snapshot: async () => ({ ...(await bot.adapter.snapshot()), time }),
      onError: (where, error) => {
        throw new Error(`${where}: ${String(error)}`);
      },
    });
    // Fill the history: 3 days at the coarse step, then an hour at the evaluation interval, with
    // traffic between ticks so every rate has something to compute.
    const coarseTicks = ctx.quick ? 100 : 3 * 288;
    for (let i = 0; i < coarseTicks; i++) {
      time += 300_000;
      populateArgus(bot.registry, BUMPS);
      await evaluator.tick();
    }
    for (let i = 0; i < 240; i++) {
      time += DEFAULT_EVALUATION_INTERVAL_MS;
      if (i % 4 === 0) populateArgus(bot.registry, BUMPS);
      await evaluator.tick();
    }
    let sink = 0;
    return {
      notes: [
        `${evaluator.seriesHeld} series held in the rings; ${evaluator.skipped.length} rules left to Prometheus`,
        `goal: under ${ONE_PERCENT_OF_A_CORE_MS} ms per tick = 1 % of a core at one tick per ${DEFAULT_EVALUATION_INTERVAL_MS / 1000} s`,
      ],
      variants: [
        {
          name: 'snapshot() alone',
          async run(n) {
            for (let i = 0; i < n; i++) sink += (await bot.adapter.snapshot()).time;
          },
        },
        {
          name: 'evaluator tick',
          goal: goals.below(ONE_PERCENT_OF_A_CORE_MS, 'ms'),
          async run(n) {
            for (let i = 0; i < n; i++) {
              time += DEFAULT_EVALUATION_INTERVAL_MS;
              sink += (await evaluator.tick()).length;
            }
          },
        },
      ],
      conclude(rows) {
        if (sink < 0) throw new Error('unreachable');
        const tick = rows.find((r) => r.variant === 'evaluator tick');
        return tick
          ? [
              `evaluator tick = ${((tick.median / DEFAULT_EVALUATION_INTERVAL_MS) * 100).toFixed(3)} % of a core at 15 s`,
            ]
          : [];
      },
      teardown() {
        evaluator.close();
        bot.adapter.close();
      },
    };
  },
};
