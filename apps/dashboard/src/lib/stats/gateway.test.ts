import { describe, expect, it } from 'vitest';
import { FakeMetrics, statsInput } from '../../test/fixtures';
import { SnapshotBuffer } from '../buffer';
import { metricNames } from '../names';
import { shardRows } from './gateway';
import { topGroups } from './top-groups';

describe('gateway', () => {
  it('lists shards with status, latency and windowed disconnects', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    m.gauge(n.shardUp, 1, { shard: '0' })
      .gauge(n.shardUp, 0, { shard: '1' })
      .gauge(n.shardLatency, 0.05, { shard: '0' });
    b.push(m.define(n.shardDisconnects).snapshot(0));
    m.inc(n.shardDisconnects, { shard: '1' }, 2).inc(n.shardReconnects, { shard: '1' }, 1);
    b.push(m.snapshot(5000));
    expect(shardRows(statsInput(b))).toEqual([
      { shard: '0', up: true, latency: 0.05, disconnects: 0, reconnects: 0 },
      { shard: '1', up: false, latency: null, disconnects: 2, reconnects: 1 },
    ]);
  });

  it('folds all but the busiest groups into other', () => {
    const ts = {
      x: [0, 1],
      groups: new Map<string, (number | null)[]>([
        ['a', [1, 1]],
        ['b', [5, 5]],
        ['c', [null, 3]],
      ]),
    };
    const top = topGroups(ts, 2);
    expect([...top.groups.keys()]).toEqual(['b', 'c', 'other']);
    expect(top.groups.get('other')).toEqual([1, 1]);
  });
});
