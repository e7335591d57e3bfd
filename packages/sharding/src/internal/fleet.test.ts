import { describe, expect, it } from 'vitest';
import { type ChildReport, REPORT_TAG } from '../report';
import { Fleet } from './fleet';

function report(cluster: string, interactions: number, time: number, extra = ''): ChildReport {
  return {
    tag: REPORT_TAG,
    cluster,
    namespace: 'discord',
    ready: true,
    pid: 100 + Number(cluster),
    rss: 1_000,
    time,
    text: `# HELP discord_interactions_total Interactions.
# TYPE discord_interactions_total counter
discord_interactions_total{cluster="${cluster}",type="command"} ${interactions}
# HELP discord_shard_up Shard up.
# TYPE discord_shard_up gauge
discord_shard_up{cluster="${cluster}",shard="${cluster}"} 1
${extra}`,
  };
}

function setup(deadlineMs = 1_000, readyShare = 1) {
  let now = 10_000;
  const fleet = new Fleet({ deadlineMs, readyShare, now: () => now });
  return { fleet, advance: (ms: number) => (now += ms), at: () => now };
}

describe('Fleet', () => {
  it('concatenates children under one HELP/TYPE per family, never summing them', () => {
    const { fleet, at } = setup();
    for (const i of [0, 1]) {
      fleet.spawned(i);
      fleet.report(i, report(String(i), 5 + i, at()));
    }
    const text = fleet.render();
    expect(text.slice(text.indexOf('# HELP discord_interactions_total'))).toMatchInlineSnapshot(`
      "# HELP discord_interactions_total Interactions.
      # TYPE discord_interactions_total counter
      discord_interactions_total{cluster="0",type="command"} 5
      discord_interactions_total{cluster="1",type="command"} 6
      # HELP discord_shard_up Shard up.
      # TYPE discord_shard_up gauge
      discord_shard_up{cluster="0",shard="0"} 1
      discord_shard_up{cluster="1",shard="1"} 1
      "
    `);
    expect(text).toContain('argus_cluster_up{cluster="0"} 1\nargus_cluster_up{cluster="1"} 1\n');
    expect(text).toContain('argus_cluster_last_seen_timestamp_seconds{cluster="0"} 10\n');
  });

  it('shows a child down past the deadline, with its last-seen time, and leaves its series out', () => {
    const { fleet, advance, at } = setup(1_000);
    fleet.spawned(0);
    fleet.spawned(1);
    fleet.report(0, report('0', 1, at()));
    fleet.report(1, report('1', 1, at()));
    advance(600);
    fleet.report(1, report('1', 2, at()));
    advance(600);
    const text = fleet.render();
    expect(text).toContain('argus_cluster_up{cluster="0"} 0\n');
    expect(text).toContain('argus_cluster_up{cluster="1"} 1\n');
    expect(text).toContain('argus_cluster_last_seen_timestamp_seconds{cluster="0"} 10\n');
    expect(text).not.toContain('discord_shard_up{cluster="0"');
    const view = fleet.view();
    expect(view.clusters[0]).toMatchObject({ up: false, alive: true, ageSeconds: 1.2, summary: null });
    expect(view.ready).toBe(false);
  });

  it('takes a dead child down at once, and up again only after it reports from its new process', () => {
    const { fleet, advance, at } = setup();
    fleet.spawned(0);
    fleet.report(0, report('0', 3, at()));
    fleet.died(0);
    expect(fleet.render()).toContain('argus_cluster_up{cluster="0"} 0\n');
    expect(fleet.render()).toContain('argus_cluster_deaths_total{cluster="0"} 1\n');
    advance(10);
    fleet.spawned(0);
    expect(fleet.view().clusters[0]?.up).toBe(false);
    fleet.report(0, report('0', 0, at()));
    expect(fleet.view().clusters[0]).toMatchObject({ up: true, ready: true, deaths: 1 });
  });

  it('refuses a second live child with the same cluster label, and counts it', () => {
    const { fleet, at } = setup();
    fleet.spawned(0);
    fleet.spawned(1);
    fleet.report(0, report('eu', 1, at()));
    fleet.report(1, report('eu', 9, at()));
    const text = fleet.render();
    expect(text).toContain('argus_cluster_reports_rejected_total{reason="duplicate_cluster"} 1\n');
    expect(text).toContain('discord_interactions_total{cluster="eu",type="command"} 1\n');
    expect(text).not.toContain('} 9\n');
  });

  it('is ready when the configured share of the expected children is ready', () => {
    const { fleet, at } = setup(1_000, 0.5);
    fleet.expectedCount = () => 4;
    fleet.spawned(0);
    fleet.report(0, report('0', 0, at()));
    expect(fleet.readiness()).toEqual({ ready: false, checks: { 'cluster:0': true } });
    fleet.spawned(1);
    fleet.report(1, report('1', 0, at()));
    expect(fleet.readiness().ready).toBe(true);
  });

  it('summarises each cluster for the fleet view, with interactions per second between reports', () => {
    const { fleet, advance, at } = setup(5_000);
    fleet.spawned(0);
    const lag = '# TYPE discord_event_loop_lag_seconds gauge\ndiscord_event_loop_lag_seconds 0.02\n';
    fleet.report(0, report('0', 10, at(), lag));
    advance(2_000);
    fleet.report(0, report('0', 30, at(), lag));
    expect(fleet.view().clusters[0]?.summary).toEqual({
      shards: 1,
      shardsUp: 1,
      latencySeconds: null,
      interactions: 30,
      interactionsPerSecond: 10,
      commandErrors: 0,
      unanswered: 0,
      eventLoopLagSeconds: 0.02,
      rssBytes: 1_000,
    });
  });

  it('lists http_sd targets on port + 1 + index for every expected child', () => {
    const { fleet } = setup();
    fleet.expectedCount = () => 3;
    fleet.created(0);
    expect(fleet.targets('10.0.0.5', 9191)).toEqual([
      { targets: ['10.0.0.5:9192'], labels: { cluster: '0' } },
      { targets: ['10.0.0.5:9193'], labels: { cluster: '1' } },
      { targets: ['10.0.0.5:9194'], labels: { cluster: '2' } },
    ]);
    expect(fleet.targets('::1', 9000)[0]?.targets).toEqual(['[::1]:9001']);
  });
});
