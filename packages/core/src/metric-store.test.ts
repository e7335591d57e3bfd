import { describe, expect, it } from 'vitest';
import { MetricStore } from './metric-store';
import { MetricRegistry } from './registry';

describe('MetricStore', () => {
  it('keeps what the registry records and snapshots it in the dashboard shape', () => {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
    const store = new MetricStore();
    registry.attach(store);
    registry.define({ kind: 'counter', name: 'x_total', help: 'X.', labelNames: ['command'] });
    registry.define({ kind: 'histogram', name: 'y_seconds', help: 'Y.', buckets: [0.1, 1] });
    registry.define({ kind: 'gauge', name: 'z', help: 'Z.', collect: (emit) => emit(7) });
    registry.define({
      kind: 'gauge',
      name: 'broken',
      help: 'B.',
      collect: () => {
        throw new Error('no');
      },
    });
    registry.define({ kind: 'info', name: 'bot_info', help: 'I.', labelNames: ['v'] });
    registry.counter('x_total').labels('ping').inc(2);
    registry.counter('x_total').labels('ping').inc();
    const h = registry.histogram('y_seconds').labels();
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    registry.setInfo('bot_info', { v: '1' });

    const { metrics } = store.snapshot();
    expect(metrics.x_total).toEqual({
      type: 'counter',
      help: 'X.',
      labelNames: ['command', 'cluster'],
      series: [[['ping', 'c1'], 3]],
    });
    expect(metrics.y_seconds).toEqual({
      type: 'histogram',
      help: 'Y.',
      labelNames: ['cluster'],
      le: ['0.1', '1', '+Inf'],
      series: [[['c1'], [1, 2, 3], 5.55, 3]],
    });
    expect(metrics.z?.series).toEqual([[['c1'], 7]]);
    expect(metrics.broken).toBeUndefined();
    expect(metrics.bot_info?.series).toEqual([[['1', 'c1'], 1]]);
    // The failing gauge is counted, like any fail-open hook.
    const errors = store.snapshot().metrics.argus_instrumentation_errors_total;
    expect(errors?.series.length).toBe(1);
  });
});
