import { describe, expect, it } from 'vitest';
import { FakeMetrics, statsInput } from '../../test/fixtures';
import { SnapshotBuffer } from '../buffer';
import { metricNames } from '../names';
import { clustersOf } from './input';
import { overview } from './overview';

describe('clusters', () => {
  it('lists the cluster values and filters by one', () => {
    const n = metricNames('discord');
    const eu = new FakeMetrics('eu').gauge(n.guilds, 10).snapshot(0);
    const us = new FakeMetrics('us').gauge(n.guilds, 5).snapshot(0);
    const b = new SnapshotBuffer();
    b.push({
      time: 0,
      metrics: {
        [n.guilds]: {
          ...eu.metrics[n.guilds]!,
          samples: [...eu.metrics[n.guilds]!.samples, ...us.metrics[n.guilds]!.samples],
        },
      },
    });
    expect(clustersOf(b.latest, n)).toEqual(['eu', 'us']);
    expect(overview(statsInput(b)).guilds).toBe(15);
    expect(overview(statsInput(b, 'discord', 60_000, { cluster: 'us' })).guilds).toBe(5);
  });
});
