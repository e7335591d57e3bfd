import type { LabelValues } from '@argus/core';
import { describe, expect, it, vi } from 'vitest';
import {
  CounterFamily,
  CounterState,
  GaugeFamily,
  HistogramFamily,
  HistogramState,
  InfoFamily,
} from './families';

const text = () => false;
const report = vi.fn();

describe('CounterFamily', () => {
  const family = () =>
    new CounterFamily(
      { kind: 'counter', name: 'x_total', help: 'X.', labelNames: ['a', 'cluster'] },
      text,
      report,
    );

  it('binds one state per label set and keeps it', () => {
    const f = family();
    const s = f.seriesFor(['1', 'c']);
    expect(s).toBeInstanceOf(CounterState);
    expect(f.seriesFor(['1', 'c'])).toBe(s);
    expect(f.seriesFor(['2', 'c'])).not.toBe(s);
    // Label values are compared exactly, never by a lossy key.
    expect(f.seriesFor(['1,c', ''])).not.toBe(s);
  });

  it('inc adds to a plain number field', () => {
    const s = family().seriesFor(['1', 'c']);
    s.inc(1);
    s.inc(2.5);
    expect(s.value).toBe(3.5);
    expect(Object.keys(s)).toEqual(['prefix', 'labels', 'value']);
  });

  it('refuses the wrong number of label values', () => {
    expect(() => family().seriesFor(['only-one'])).toThrow(/takes 2 label value\(s\) \(a, cluster\), got 1/);
  });

  it('renders series in binding order; reset zeroes them', () => {
    const f = family();
    f.seriesFor(['b', 'c']).inc(2);
    f.seriesFor(['a', 'c']).inc(1);
    expect(f.render(false)).toBe(
      '# HELP x_total X.\n# TYPE x_total counter\nx_total{a="b",cluster="c"} 2\nx_total{a="a",cluster="c"} 1\n',
    );
    expect(f.render(true)).toBe(
      '# HELP x X.\n# TYPE x counter\nx_total{a="b",cluster="c"} 2\nx_total{a="a",cluster="c"} 1\n',
    );
    f.reset();
    expect(f.render(false)).toContain('x_total{a="b",cluster="c"} 0\n');
  });
});

describe('HistogramFamily', () => {
  const family = () =>
    new HistogramFamily(
      { kind: 'histogram', name: 'h_seconds', help: 'H.', labelNames: ['cmd'], buckets: [0.1, 1, 2.5] },
      text,
      report,
    );

  it('puts an observation in the first bucket whose bound is >= the value', () => {
    const s = family().seriesFor(['x']);
    expect(s).toBeInstanceOf(HistogramState);
    for (const v of [0, 0.1, 0.1000001, 1, 2.5, 2.6, 1e9, Number.POSITIVE_INFINITY, -5]) s.observe(v);
    // [<=0.1, <=1, <=2.5, +Inf only]
    expect([...s.counts]).toEqual([3, 2, 1, 3]);
    expect(s.count).toBe(9);
    expect(s.counts).toBeInstanceOf(Float64Array);
  });

  it('renders cumulative buckets, +Inf, sum and count', () => {
    const f = family();
    const s = f.seriesFor(['x']);
    s.observe(0.05);
    s.observe(0.5);
    s.observe(0.5);
    s.observe(7);
    expect(f.render(false)).toBe(
      [
        '# HELP h_seconds H.',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{cmd="x",le="0.1"} 1',
        'h_seconds_bucket{cmd="x",le="1"} 3',
        'h_seconds_bucket{cmd="x",le="2.5"} 3',
        'h_seconds_bucket{cmd="x",le="+Inf"} 4',
        'h_seconds_sum{cmd="x"} 8.05',
        'h_seconds_count{cmd="x"} 4',
        '',
      ].join('\n'),
    );
    f.reset();
    expect(f.render(true)).toContain('h_seconds_bucket{cmd="x",le="+Inf"} 0\nh_seconds_sum{cmd="x"} 0\n');
  });

  it('is compatible only with the same buckets', () => {
    const f = family();
    const def = { kind: 'histogram', name: 'h_seconds', help: 'H.', labelNames: ['cmd'] } as const;
    expect(f.compatible({ ...def, buckets: [0.1, 1, 2.5] })).toBe(true);
    expect(f.compatible({ ...def, buckets: [0.1, 1] })).toBe(false);
    expect(f.compatible({ ...def, buckets: [0.1, 1, 3] })).toBe(false);
    expect(f.compatible({ kind: 'counter', name: 'h_seconds', help: 'H.', labelNames: ['cmd'] })).toBe(false);
  });
});

describe('GaugeFamily', () => {
  it('reads at render time and drops the whole gauge when the reader fails', () => {
    let ok = true;
    let value = 1;
    const read = (emit: (value: number, labelValues: LabelValues) => void) => {
      emit(value, ['0']);
      return ok;
    };
    const f = new GaugeFamily(
      { kind: 'gauge', name: 'g', help: 'G.', labelNames: ['shard'], read },
      text,
      report,
    );
    expect(f.render(false)).toBe('# HELP g G.\n# TYPE g gauge\ng{shard="0"} 1\n');
    value = 2;
    expect(f.render(true)).toBe('# HELP g G.\n# TYPE g gauge\ng{shard="0"} 2\n');
    ok = false;
    expect(f.render(false)).toBe('');
    expect(f.collect()).toBeNull();
    ok = true;
    expect(f.render(false)).toContain('g{shard="0"} 2\n');
  });

  it('renders unlabeled samples and escapes label values', () => {
    const f = new GaugeFamily(
      {
        kind: 'gauge',
        name: 'g',
        help: 'G.',
        labelNames: [],
        read: (emit) => {
          emit(3, []);
          return true;
        },
      },
      text,
      report,
    );
    expect(f.render(false)).toBe('# HELP g G.\n# TYPE g gauge\ng 3\n');
    const labeled = new GaugeFamily(
      {
        kind: 'gauge',
        name: 'g',
        help: 'G.',
        labelNames: ['a', 'b'],
        read: (emit) => {
          emit(1, ['"q"', 'x\ny']);
          return true;
        },
      },
      text,
      report,
    );
    expect(labeled.render(false)).toContain('g{a="\\"q\\"",b="x\\ny"} 1\n');
  });
});

describe('InfoFamily', () => {
  it('is a gauge in text and an info family without the suffix in OpenMetrics', () => {
    const f = new InfoFamily(
      { kind: 'info', name: 'bot_info', help: 'Bot.', labelNames: ['v'] },
      text,
      report,
    );
    expect(f.render(false)).toBe('# HELP bot_info Bot.\n# TYPE bot_info gauge\n');
    f.set(['1.0']);
    f.set(['2.0']);
    expect(f.render(false)).toBe('# HELP bot_info Bot.\n# TYPE bot_info gauge\nbot_info{v="2.0"} 1\n');
    expect(f.render(true)).toBe('# HELP bot Bot.\n# TYPE bot info\nbot_info{v="2.0"} 1\n');
  });
});
