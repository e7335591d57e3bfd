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
import { ExpositionBuffer } from './internal/exposition-buffer';

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
    // Plain fields only: the cached line prefix, a reference to the bound label values, the lazy
    // label object and the number itself.
    expect(Object.keys(s)).toEqual(['prefix', 'values', 'labels', 'value']);
  });

  it('builds label objects on the first collect, from the rendered label text', () => {
    const f = family();
    const s = f.seriesFor(['x="1",y', 'c\\']);
    s.inc(4);
    expect(s.labels).toBeUndefined();
    expect(f.collect(false).values).toEqual([{ value: 4, labels: { a: 'x="1",y', cluster: 'c\\' } }]);
    expect(s.labels).toEqual({ a: 'x="1",y', cluster: 'c\\' });
    const bare = new CounterFamily(
      { kind: 'counter', name: 'y_total', help: 'Y.', labelNames: [] },
      text,
      report,
    );
    bare.seriesFor([]).inc(1);
    expect(bare.collect(true)).toMatchObject({ name: 'y', values: [{ value: 1, labels: {} }] });
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

  it('keeps the last traced observation per bucket as an OpenMetrics exemplar, never in the text format', () => {
    vi.useFakeTimers({ now: 1_700_000_000_500 });
    try {
      const f = family();
      const s = f.seriesFor(['x']);
      s.observe(0.05);
      s.observe(0.5, '4bf92f3577b34da6a3ce929d0e0e4736');
      s.observe(0.7, '00f067aa0ba902b700f067aa0ba902b7');
      // Not a trace id: ignored, so nothing a caller passes can break the exposition.
      s.observe(2, 'x"} 1\nevil 1');
      expect(f.render(true)).toMatchInlineSnapshot(`
        "# HELP h_seconds H.
        # TYPE h_seconds histogram
        h_seconds_bucket{cmd="x",le="0.1"} 1
        h_seconds_bucket{cmd="x",le="1"} 3 # {trace_id="00f067aa0ba902b700f067aa0ba902b7"} 0.7 1700000000.5
        h_seconds_bucket{cmd="x",le="2.5"} 4
        h_seconds_bucket{cmd="x",le="+Inf"} 4
        h_seconds_sum{cmd="x"} 3.25
        h_seconds_count{cmd="x"} 4
        "
      `);
      expect(f.render(false)).not.toContain(' # {');
      expect(f.render(false)).not.toContain('trace_id');
      // The byte path /metrics serves writes exactly the same text, exemplars included.
      for (const openMetrics of [true, false]) {
        const out = new ExpositionBuffer(0);
        f.write(out, openMetrics);
        expect(out.toBytes().toString('utf8')).toBe(f.render(openMetrics));
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('renders a histogram without labels', () => {
    const f = new HistogramFamily(
      { kind: 'histogram', name: 'h_seconds', help: 'H.', labelNames: [], buckets: [1] },
      text,
      report,
    );
    f.seriesFor([]).observe(2);
    expect(f.render(false)).toBe(
      '# HELP h_seconds H.\n# TYPE h_seconds histogram\nh_seconds_bucket{le="1"} 0\nh_seconds_bucket{le="+Inf"} 1\nh_seconds_sum 2\nh_seconds_count 1\n',
    );
    expect(
      new HistogramFamily(
        { kind: 'histogram', name: 'e_seconds', help: 'E.', labelNames: ['a'], buckets: [1] },
        text,
        report,
      ).render(false),
    ).toBe('# HELP e_seconds E.\n# TYPE e_seconds histogram\n');
  });

  it('keeps each series in its own slots of a shared buffer', () => {
    const f = family();
    const states = Array.from({ length: 20 }, (_, i) => f.seriesFor([`s${i}`]));
    states.forEach((s, i) => {
      for (let k = 0; k <= i; k++) s.observe(0.5);
    });
    states.forEach((s, i) => {
      expect([...s.counts]).toEqual([0, i + 1, 0, 0]);
    });
    f.reset();
    for (const s of states) expect([...s.counts]).toEqual([0, 0, 0, 0]);
  });

  it('builds label objects only for prom-client, the same as its own', () => {
    const f = family();
    const s = f.seriesFor(['a "quoted"\\ value\n']);
    s.observe(0.5);
    expect(s.labels).toBeUndefined();
    f.render(false);
    expect(s.labels).toBeUndefined();
    const values = f.collect().values;
    expect(values[0]).toEqual({
      value: 0,
      labels: { cmd: 'a "quoted"\\ value\n', le: 0.1 },
      metricName: 'h_seconds_bucket',
    });
    expect(values[3]?.labels).toEqual({ cmd: 'a "quoted"\\ value\n', le: '+Inf' });
    expect(values[4]).toEqual({
      value: 0.5,
      labels: { cmd: 'a "quoted"\\ value\n' },
      metricName: 'h_seconds_sum',
    });
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
