// A real Prometheus (Debian's package) scrapes a real bot's /metrics while the simulator sends
// traffic; rates and quantiles come back through Prometheus' own query API.
import { checkMetrics, type PrometheusServer, startPrometheus } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startBot } from './harness';

let bot: Running;
let prometheus: PrometheusServer;

beforeAll(async () => {
  bot = await startBot({ shardCount: 2, guildCount: 4, ackDelayMs: [30, 90] }, { clusterId: 'scraped' });
  prometheus = await startPrometheus([{ url: `${bot.url}/metrics` }]);
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await bot?.stop();
});

describe('a real Prometheus scraping the bot', () => {
  it('sees the target up and reads rates and latency quantiles', async () => {
    await prometheus.waitFor('up{job="target0"}', (r) => r[0]?.value[1] === '1');
    // Keep traffic flowing across several scrapes so rate() has two samples to work with.
    for (let round = 0; round < 8; round++) {
      await bot.sim.blast({ shardId: round % 2, count: 500, event: 'TYPING_START' });
      const sent = [0, 1, 2].map(() => bot.sim.sendInteraction({ type: 'command', name: 'delayed' }));
      await Promise.all(sent.map((s) => s.callback));
      await new Promise((r) => setTimeout(r, 400));
    }
    const rate = await prometheus.waitFor(
      'sum(rate(discord_gateway_events_total{event="TYPING_START",cluster="scraped"}[10s]))',
      (r) => Number(r[0]?.value[1] ?? 0) > 0,
    );
    expect(Number(rate[0]!.value[1])).toBeGreaterThan(0);

    const p50 = await prometheus.waitFor(
      'histogram_quantile(0.5, sum by (le) (rate(discord_interaction_response_seconds_bucket{command="delayed"}[30s])))',
      (r) => Number.isFinite(Number(r[0]?.value[1])),
    );
    // The handler waits 400 ms before answering: the median lands in the (0.25, 0.5] or (0.5, 1] bucket.
    expect(Number(p50[0]!.value[1])).toBeGreaterThan(0.25);
    expect(Number(p50[0]!.value[1])).toBeLessThanOrEqual(1);

    const shards = await prometheus.query('discord_shard_up{cluster="scraped"}');
    expect(shards.map((s) => s.metric.shard).sort()).toEqual(['0', '1']);
    const info = await prometheus.query('discord_bot_info');
    expect(info[0]?.metric.discordjs_version).toMatch(/^14\./);
  }, 90_000);

  it('passes promtool check metrics on the full exposition, process metrics included', async () => {
    const text = await (await fetch(`${bot.url}/metrics`)).text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('discord_interaction_response_seconds_bucket');
    const result = await checkMetrics(text);
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
  });
});
