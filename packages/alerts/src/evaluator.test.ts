import type { MetricsSnapshot, SnapshotFamily, SnapshotScalarFamily } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { AlertEvaluator } from './evaluator';
import { NOTIFICATIONS_METRIC } from './in-bot-alerting';
import { metricsRead } from './promql';
import { argusRules } from './rules';

/** Snapshots built by hand at controlled times: the evaluator's input is plain data. */
function feed() {
  let time = Date.UTC(2026, 0, 1);
  let metrics: Record<string, SnapshotFamily> = {};
  const evaluator = new AlertEvaluator({
    snapshot: (): MetricsSnapshot => ({ time, metrics }),
    onError: (where, error) => {
      throw new Error(`${where}: ${String(error)}`);
    },
  });
  return {
    evaluator,
    async step(next: Record<string, SnapshotFamily>, seconds = 15) {
      time += seconds * 1000;
      metrics = next;
      return evaluator.tick();
    },
  };
}

const gauge = (labelNames: string[], series: [string[], number][]): SnapshotScalarFamily => ({
  type: 'gauge',
  help: '',
  labelNames,
  series,
});
const counter = (labelNames: string[], series: [string[], number][]): SnapshotScalarFamily => ({
  type: 'counter',
  help: '',
  labelNames,
  series,
});

describe('AlertEvaluator', () => {
  it('has no rule that reads the notification counter, so a failing webhook never alerts itself', () => {
    const rules = argusRules();
    const read = [...rules.alerting, ...rules.recording].flatMap((g) =>
      g.rules.flatMap((r) => metricsRead('condition' in r ? r.condition : r.expr)),
    );
    expect(read).not.toContain(NOTIFICATIONS_METRIC);
    expect(read).toContain('argus_instrumentation_errors_total');
  });

  it('leaves the alerts that read Prometheus-only metrics to Prometheus, and says so', () => {
    const { evaluator } = feed();
    expect(evaluator.skipped).toMatchInlineSnapshot(`
      [
        {
          "alert": "ArgusTargetDown",
          "reason": "reads up, which only Prometheus has",
        },
        {
          "alert": "ArgusTargetAbsent",
          "reason": "reads up, which only Prometheus has",
        },
        {
          "alert": "ArgusPushgatewayGroupStale",
          "reason": "reads push_time_seconds, which only Prometheus has",
        },
      ]
    `);
  });

  it('holds a shard-down alert pending for its 2 m, fires it, then resolves it', async () => {
    const { evaluator, step } = feed();
    const shards = (up: number) => ({
      discord_shard_up: gauge(['cluster', 'shard'], [[['default', '0'], up]]),
    });
    expect(await step(shards(1))).toEqual([]);
    expect(await step(shards(0))).toEqual([]);
    expect(evaluator.active().map((a) => [a.alert, a.status])).toEqual([['DiscordShardDown', 'pending']]);
    for (let i = 0; i < 7; i++) expect(await step(shards(0))).toEqual([]);
    const fired = await step(shards(0)); // 120 s after it became active
    expect(fired.map((t) => [t.kind, t.alert.alert, t.alert.labels.shard])).toEqual([
      ['firing', 'DiscordShardDown', '0'],
    ]);
    expect(fired[0]?.alert.summary).toBe('Shard 0 is down on default');
    expect(evaluator.active()[0]?.status).toBe('firing');
    const resolved = await step(shards(1));
    expect(resolved.map((t) => [t.kind, t.alert.alert])).toEqual([['resolved', 'DiscordShardDown']]);
    expect(evaluator.active()).toEqual([]);
    expect(evaluator.recent().map((a) => [a.alert, a.status])).toEqual([['DiscordShardDown', 'resolved']]);
  });

  it('drops a pending alert whose condition stops before its `for` without a notification', async () => {
    const { evaluator, step } = feed();
    await step({ discord_shard_up: gauge(['shard'], [[['0'], 0]]) });
    expect(evaluator.active()).toHaveLength(1);
    expect(await step({ discord_shard_up: gauge(['shard'], [[['0'], 1]]) })).toEqual([]);
    expect(evaluator.active()).toEqual([]);
    expect(evaluator.recent()).toEqual([]);
  });

  it('fires the global rate-limit alert at once (for 0m) from a counter increase, through a reset', async () => {
    const { evaluator, step } = feed();
    const limits = (n: number) => ({
      discord_ratelimits_total: counter(
        ['cluster', 'route', 'scope'],
        [[['default', '/channels', 'global'], n]],
      ),
    });
    await step(limits(4));
    await step(limits(4));
    expect(evaluator.active()).toEqual([]);
    // The process restarted (counter back to 1): a reset is an increase, not a fall.
    const fired = await step(limits(1));
    expect(fired.map((t) => t.alert.alert)).toEqual(['DiscordGlobalRateLimited']);
    expect(fired[0]?.alert.value).toBeGreaterThan(0);
  });

  it('fires the command error ratio alert (a recording rule over two rates) after its 10 m', async () => {
    const { evaluator, step } = feed();
    const commands = (ok: number, error: number) => ({
      discord_app_commands_total: counter(
        ['cluster', 'command', 'status'],
        [
          [['default', 'ping', 'success'], ok],
          [['default', 'ping', 'error'], error],
        ],
      ),
    });
    await step(commands(0, 0));
    let last: readonly unknown[] = [];
    // 50 % of invocations fail for 10 minutes: the 10 % threshold holds, `for: 10m` elapses.
    for (let i = 1; i <= 41; i++) last = await step(commands(i * 5, i * 5));
    expect(evaluator.active().find((a) => a.alert === 'DiscordCommandErrorRatioHigh')).toMatchObject({
      status: 'firing',
      value: 0.5,
      labels: { cluster: 'default', alertname: 'DiscordCommandErrorRatioHigh', severity: 'warning' },
      summary: 'Application commands failing on default',
    });
    expect(last).toHaveLength(1);
  });

  it('keeps a bounded history however long it runs', async () => {
    const { evaluator, step } = feed();
    for (let i = 0; i < 400; i++) {
      await step({ discord_shard_up: gauge(['shard'], [[[String(i % 3)], 1]]) }, 60);
    }
    expect(evaluator.seriesHeld).toBe(3);
  });
});
