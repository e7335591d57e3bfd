import { describe, expect, it } from 'vitest';
import { type ChildReport, REPORT_TAG } from '../report';
import { Fleet } from './fleet';
import { mergeSnapshot, readExposition } from './fleet-snapshot';

const child = (
  cluster: string,
  interactions: number,
  fast: number,
) => `# HELP discord_interactions_total Interactions.
# TYPE discord_interactions_total counter
discord_interactions_total{cluster="${cluster}",type="command"} ${interactions}
# HELP discord_command_duration_seconds Handler time.
# TYPE discord_command_duration_seconds histogram
discord_command_duration_seconds_bucket{le="0.1",cluster="${cluster}",command="ping"} ${fast}
discord_command_duration_seconds_bucket{le="1",cluster="${cluster}",command="ping"} ${fast + 1}
discord_command_duration_seconds_bucket{le="+Inf",cluster="${cluster}",command="ping"} ${fast + 1}
discord_command_duration_seconds_sum{cluster="${cluster}",command="ping"} 0.5
discord_command_duration_seconds_count{cluster="${cluster}",command="ping"} ${fast + 1}
# HELP process_resident_memory_bytes Resident memory.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes{cluster="${cluster}"} 1000
`;

function report(cluster: string, text: string, time: number): ChildReport {
  return { tag: REPORT_TAG, cluster, namespace: 'discord', ready: true, pid: 1, rss: 1, time, text };
}

describe('readExposition and mergeSnapshot', () => {
  it('keeps every child under its cluster label, concatenated, histograms regrouped per series', () => {
    const snapshot = mergeSnapshot(5, [readExposition(child('0', 3, 1)), readExposition(child('1', 7, 2))]);
    expect(snapshot.time).toBe(5);
    expect(snapshot.metrics.discord_interactions_total).toEqual({
      type: 'counter',
      help: 'Interactions.',
      labelNames: ['cluster', 'type'],
      series: [
        [['0', 'command'], 3],
        [['1', 'command'], 7],
      ],
    });
    expect(snapshot.metrics.discord_command_duration_seconds).toEqual({
      type: 'histogram',
      help: 'Handler time.',
      labelNames: ['cluster', 'command'],
      le: ['0.1', '1', '+Inf'],
      series: [
        [['0', 'ping'], [1, 2, 2], 0.5, 2],
        [['1', 'ping'], [2, 3, 3], 0.5, 3],
      ],
    });
    expect(snapshot.metrics.process_resident_memory_bytes?.series).toEqual([
      [['0'], 1000],
      [['1'], 1000],
    ]);
  });

  it('joins children whose label names or bucket bounds differ, never mixing up their values', () => {
    const a = `# TYPE h histogram
h_bucket{cluster="a",le="1"} 1
h_bucket{cluster="a",le="+Inf"} 2
h_sum{cluster="a"} 3
h_count{cluster="a"} 2
# TYPE g gauge
g{cluster="a"} 1
`;
    const b = `# TYPE h histogram
h_bucket{le="0.5",cluster="b",x="y"} 4
h_bucket{le="+Inf",cluster="b",x="y"} 5
h_sum{cluster="b",x="y"} 6
h_count{cluster="b",x="y"} 5
# TYPE g counter
g{cluster="b"} 9
`;
    const snapshot = mergeSnapshot(0, [readExposition(a), readExposition(b)]);
    expect(snapshot.metrics.h).toEqual({
      type: 'histogram',
      help: '',
      labelNames: ['cluster', 'x'],
      le: ['0.5', '1', '+Inf'],
      series: [
        [['a', ''], [0, 1, 2], 3, 2],
        [['b', 'y'], [4, 4, 5], 6, 5],
      ],
    });
    // A family another child types differently keeps the first child's type and series only.
    expect(snapshot.metrics.g).toEqual({
      type: 'gauge',
      help: '',
      labelNames: ['cluster'],
      series: [[['a'], 1]],
    });
  });

  it('skips what does not parse, summaries and non-finite values, and unites label names', () => {
    const text = `# TYPE a gauge
a{cluster="0"} 1
a{cluster="1",extra="x\\"y\\\\z"} 2
a{cluster="2"} NaN
a{cluster="3" 4
a{broken} 5
a +Inf
garbage line here
# TYPE s summary
s{quantile="0.5"} 1
s_sum 1
s_count 1
untyped_thing 9 1700000000000
__proto__{a="b"} 1
bad-name 1
`;
    const snapshot = mergeSnapshot(0, [readExposition(text)]);
    expect(snapshot.metrics.a).toEqual({
      type: 'gauge',
      help: '',
      labelNames: ['cluster', 'extra'],
      series: [
        [['0', ''], 1],
        [['1', 'x"y\\z'], 2],
      ],
    });
    expect(snapshot.metrics.s).toBeUndefined();
    expect(Object.keys(snapshot.metrics)).toEqual(['a', 'untyped_thing']);
    expect(Object.getPrototypeOf(snapshot.metrics)).toBe(Object.prototype);
    expect(snapshot.metrics.untyped_thing).toEqual({
      type: 'untyped',
      help: '',
      labelNames: [],
      series: [[[], 9]],
    });
  });
});

describe('Fleet.snapshot', () => {
  it("holds the manager's own families and every up child's series; a down child leaves", () => {
    let now = 10_000;
    const fleet = new Fleet({ deadlineMs: 1_000, readyShare: 1, now: () => now });
    for (const i of [0, 1]) {
      fleet.spawned(i);
      fleet.report(i, report(String(i), child(String(i), 10 * (i + 1), 1), now));
    }
    let snapshot = fleet.snapshot();
    expect(snapshot.metrics.argus_cluster_up?.series).toEqual([
      [['0'], 1],
      [['1'], 1],
    ]);
    expect(snapshot.metrics.argus_clusters_expected?.series).toEqual([[[], 2]]);
    expect(snapshot.metrics.discord_interactions_total?.series).toEqual([
      [['0', 'command'], 10],
      [['1', 'command'], 20],
    ]);

    // A new report is read again; a child that died is out at once.
    fleet.report(0, report('0', child('0', 11, 1), now));
    fleet.died(1);
    now += 100;
    snapshot = fleet.snapshot();
    expect(snapshot.time).toBe(10_100);
    expect(snapshot.metrics.argus_cluster_up?.series).toEqual([
      [['0'], 1],
      [['1'], 0],
    ]);
    expect(snapshot.metrics.discord_interactions_total?.series).toEqual([[['0', 'command'], 11]]);

    // Past the deadline the last child leaves too; the manager's families stay.
    now += 2_000;
    snapshot = fleet.snapshot();
    expect(snapshot.metrics.discord_interactions_total).toBeUndefined();
    expect(snapshot.metrics.argus_cluster_last_seen_timestamp_seconds?.series).toEqual([
      [['0'], 10],
      [['1'], 10],
    ]);
  });
});
