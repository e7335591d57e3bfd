import { describe, expect, it } from 'vitest';
import { FakeMetrics, statsInput } from '../../test/fixtures';
import { SnapshotBuffer } from '../buffer';
import { metricNames } from '../names';
import { health } from './health';

describe('health', () => {
  it('reports subsystems, errors by hook, folded labels, evicted timers and dropped events', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    m.gauge(n.up, 1)
      .gauge(n.subsystemUp, 1, { subsystem: 'server' })
      .gauge(n.subsystemUp, 0, { subsystem: 'otlp' });
    m.inc(n.instrumentationErrors, { hook: 'raw' }, 3).define(n.timersEvicted).define(n.labelValuesFolded);
    b.push(m.snapshot(0));
    m.inc(n.instrumentationErrors, { hook: 'raw' }, 2)
      .inc(n.labelValuesFolded, { metric: 'x' }, 4)
      .inc(n.timersEvicted, {}, 7);
    b.push(m.snapshot(5000));
    const h = health(statsInput(b));
    expect(h.up).toBe(1);
    expect(h.subsystems).toEqual([
      { subsystem: 'otlp', up: false },
      { subsystem: 'server', up: true },
    ]);
    expect(h.instrumentationErrors).toEqual([{ key: 'raw', total: 5, window: 2 }]);
    expect(h.folded).toEqual([{ key: 'x', total: 4, window: 4 }]);
    expect(h.evicted).toEqual({ key: '', total: 7, window: 7 });
    expect(h.dropped).toBeNull();

    m.inc(n.eventsDropped, { reason: 'overflow' }, 9);
    b.push(m.snapshot(10_000));
    expect(health(statsInput(b)).dropped).toEqual([{ key: 'overflow', total: 9, window: 9 }]);
  });
});
