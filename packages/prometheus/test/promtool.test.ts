// `promtool check metrics` (Prometheus 2.42 from Debian) on real expositions: it parses the text
// format and lints names, types, suffixes and HELP. OpenMetrics is checked by a real Prometheus
// scrape in scrape.test.ts, since promtool only reads the text format.

import { checkMetrics as promtoolCheckMetrics } from '@argus/test-services';
import { describe, expect, it } from 'vitest';
import { realisticRegistry } from './fixtures';

describe('promtool check metrics', () => {
  it('accepts the Argus catalogue with traffic, shard gauges, info and default labels', async () => {
    const { adapter } = realisticRegistry({ shards: 16, commands: 20 });
    const exposition = await adapter.render();
    expect(exposition).toContain('discord_shard_latency_seconds{shard="15",cluster="c1"}');
    expect(exposition).toContain('# TYPE discord_bot_info gauge');
    expect(exposition).toContain(
      'discord_app_command_duration_seconds_bucket{command="command_19",cluster="c1",le="+Inf"}',
    );
    const result = await promtoolCheckMetrics(exposition);
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
    adapter.close();
  });

  it('accepts the full exposition with the default process metrics', async () => {
    const { adapter } = realisticRegistry({ processMetrics: true });
    const exposition = await adapter.render();
    expect(exposition).toContain('process_cpu_user_seconds_total');
    expect(exposition).toContain('nodejs_eventloop_lag_seconds');
    // prom-client's misnamed *_total gauges are left out (they are gauges, not counters).
    expect(exposition).not.toMatch(/nodejs_active_\w+_total/);
    const result = await promtoolCheckMetrics(exposition);
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
    adapter.close();
  });

  it('accepts label values that need escaping', async () => {
    const { registry, adapter } = realisticRegistry();
    registry.define({
      kind: 'counter',
      name: 'test_escapes_total',
      help: 'Escapes: "quoted" \\ and\nnewline.',
      labelNames: ['value'],
    });
    for (const value of ['say "hi"', 'C:\\bots', 'two\nlines', 'ünïcödé ✓ 🚀', '']) {
      registry.counter('test_escapes_total').labels(value).inc();
    }
    const result = await promtoolCheckMetrics(await adapter.render());
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
    adapter.close();
  });

  it('is a real check: it rejects a broken exposition and lints a misnamed metric', async () => {
    const broken = await promtoolCheckMetrics('# TYPE x counter\nx{a="unterminated} 1\n');
    expect(broken.status).not.toBe(0);
    expect(broken.problems.join('\n')).toMatch(/pars/i);
    const misnamed = await promtoolCheckMetrics('# HELP x_total X.\n# TYPE x_total gauge\nx_total 1\n');
    expect(misnamed.status).toBe(3);
    expect(misnamed.problems).toEqual(['x_total non-counter metrics should not have "_total" suffix']);
  });
});
