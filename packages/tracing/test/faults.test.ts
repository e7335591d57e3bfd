// Fail open: a collector answering 500, one that never answers (so the export queue fills) and
// one that is down. The bot answers every interaction as before, and every span lost is counted
// in argus_tracing_spans_dropped_total{reason}.
import { until } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracedBot, type TracedBot } from './traced-bot';

let bot: TracedBot;
const dropped = (reason: string) => bot.counter('argus_tracing_spans_dropped_total', reason);

beforeAll(async () => {
  bot = await startTracedBot({ exportTimeoutMs: 300, maxQueueSize: 4, maxExportBatchSize: 2 });
});

afterAll(async () => {
  await bot?.stop();
});

/** Sends `n` pings and waits for each initial response to reach the simulator. */
async function pings(n: number): Promise<number[]> {
  const sent = Array.from({ length: n }, () => bot.sim.sendInteraction({ type: 'command', name: 'ping' }));
  const callbacks = await Promise.all(sent.map((s) => s.callback));
  return callbacks.map((c) => c.callbackType);
}

describe('tracing fails open', () => {
  it('a collector answering 500: every interaction answered, the spans counted as export_failed', async () => {
    bot.receiver.mode = 'fail';
    expect(await pings(3)).toEqual([4, 4, 4]);
    // Each ping is a trace of three spans (root, the bot's db.query, the callback): each one is
    // refused by the collector or, past the small queue, dropped before it; none is lost uncounted.
    await until(
      () => dropped('export_failed') + dropped('queue_full') === 9,
      10_000,
      'the 9 lost spans to be counted',
    );
    expect(dropped('export_failed')).toBeGreaterThan(0);
    expect(bot.receiver.spans).toHaveLength(0);
  });

  it('a collector that never answers: exports time out, the full queue drops and counts', async () => {
    bot.receiver.mode = 'hang';
    const failedBefore = dropped('export_failed');
    const fullBefore = dropped('queue_full');
    expect(await pings(6)).toEqual([4, 4, 4, 4, 4, 4]);
    await until(() => dropped('queue_full') > fullBefore, 10_000, 'the full queue to drop');
    await until(() => dropped('export_failed') > failedBefore, 10_000, 'an export to time out');
    // 18 spans: each one either timed out in a batch, was dropped at the full queue, or waits.
    expect(dropped('queue_full') - fullBefore + dropped('export_failed') - failedBefore).toBeLessThanOrEqual(
      18,
    );
  });

  it('a collector that is down: still answered, still counted', async () => {
    const failedBefore = dropped('export_failed');
    await bot.receiver.close();
    expect(await pings(2)).toEqual([4, 4]);
    await until(() => dropped('export_failed') > failedBefore, 10_000, 'the refused export to be counted');
    expect(bot.counter('argus_instrumentation_errors_total', 'lifecycle:tracing')).toBe(0);
  });
});
