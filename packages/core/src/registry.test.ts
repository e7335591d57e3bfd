import { describe, expect, it } from 'vitest';
import { RecordingBackend } from '../test/recording-backend';
import { MetricDefinitionError, UnknownMetricError } from './errors';
import { MetricRegistry } from './registry';

describe('MetricRegistry definitions', () => {
  it('rejects a duplicate name', () => {
    const r = new MetricRegistry();
    r.define({ kind: 'counter', name: 'a_total', help: 'h' });
    expect(() => r.define({ kind: 'counter', name: 'a_total', help: 'h' })).toThrow(/already defined/);
  });

  it.each([
    [{ kind: 'histogram', name: 'h_seconds', help: 'h' }, /needs buckets/],
    [{ kind: 'histogram', name: 'h_seconds', help: 'h', buckets: [1, 1] }, /strictly increasing/],
    [{ kind: 'histogram', name: 'h_seconds', help: 'h', buckets: [1, Number.NaN] }, /finite/],
    [{ kind: 'gauge', name: 'g', help: 'h' }, /collect callback/],
    [{ kind: 'counter', name: 'c', help: 'h' }, /_total/],
    [{ kind: 'info', name: 'bot', help: 'h' }, /_info/],
    [{ kind: 'counter', name: '1bad_total', help: 'h' }, /valid Prometheus metric name/],
    [{ kind: 'counter', name: 'x_total', help: '' }, /help/],
    [{ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['guild_id'] }, /unbounded cardinality/],
    [{ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['User_ID'] }, /unbounded cardinality/],
    [{ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['custom_id'] }, /unbounded cardinality/],
    [{ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['a-b'] }, /not a valid label/],
    [{ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['__x'] }, /not a valid label/],
    [{ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['a', 'a'] }, /twice/],
    [{ kind: 'histogram', name: 'x_seconds', help: 'h', buckets: [1], labelNames: ['le'] }, /reserved/],
    [{ kind: 'summary', name: 'x', help: 'h' }, /unknown kind/],
  ])('refuses %j', (def, message) => {
    const r = new MetricRegistry();
    // biome-ignore lint/suspicious/noExplicitAny: planted invalid definitions
    expect(() => r.define(def as any)).toThrow(MetricDefinitionError);
    // biome-ignore lint/suspicious/noExplicitAny: planted invalid definitions
    expect(() => r.define(def as any)).toThrow(message);
  });

  it('refuses unknown metrics and the wrong kind', () => {
    const r = new MetricRegistry();
    r.define({ kind: 'counter', name: 'a_total', help: 'h' });
    expect(() => r.counter('missing_total')).toThrow(UnknownMetricError);
    expect(() => r.histogram('a_total')).toThrow(/is a counter, not a histogram/);
  });

  it('refuses a forbidden default label and listing a default label by hand', () => {
    expect(() => new MetricRegistry({ defaultLabels: { guild_id: '1' } })).toThrow(/cannot be a label/);
    const r = new MetricRegistry({ defaultLabels: { cluster: 'c' } });
    expect(() => r.define({ kind: 'counter', name: 'x_total', help: 'h', labelNames: ['cluster'] })).toThrow(
      /added automatically/,
    );
  });
});

describe('MetricRegistry fan-out', () => {
  it('replays definitions, bound series and info to a backend attached later', () => {
    const r = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
    r.define({ kind: 'counter', name: 'ev_total', help: 'h', labelNames: ['event'] });
    r.define({ kind: 'info', name: 'bot_info', help: 'h', labelNames: ['version'] });
    const handle = r.counter('ev_total').labels('READY');
    handle.inc();
    r.setInfo('bot_info', { version: '1.0' });

    const late = new RecordingBackend();
    r.attach(late);
    expect(late.defs.get('ev_total')?.labelNames).toEqual(['event', 'cluster']);
    expect(late.info.get('bot_info')).toEqual(['1.0', 'c1']);
    handle.inc(2);
    expect(late.counters.get('ev_total{READY,c1}')).toBe(2);
  });

  it('fans every mutation out to every backend, and stops after detach', () => {
    const r = new MetricRegistry();
    const a = new RecordingBackend();
    const b = new RecordingBackend();
    r.attach(a);
    r.attach(b);
    r.define({ kind: 'histogram', name: 'd_seconds', help: 'h', buckets: [1], labelNames: ['command'] });
    const h = r.histogram('d_seconds').labels('ping');
    h.observe(0.5);
    expect(a.observations.get('d_seconds{ping}')).toEqual([0.5]);
    expect(b.observations.get('d_seconds{ping}')).toEqual([0.5]);
    r.detach(b);
    h.observe(2);
    expect(a.observations.get('d_seconds{ping}')).toEqual([0.5, 2]);
    expect(b.observations.get('d_seconds{ping}')).toEqual([0.5]);
  });

  it('returns the same handle for the same labels, and bind() matches labels()', () => {
    const r = new MetricRegistry();
    r.define({ kind: 'counter', name: 'c_total', help: 'h', labelNames: ['a', 'b'] });
    const c = r.counter('c_total');
    expect(c.labels('x', 'y')).toBe(c.labels('x', 'y'));
    expect(c.bind({ b: 'y', a: 'x' })).toBe(c.labels('x', 'y'));
    expect(() => c.labels('x')).toThrow(/takes 2 label value/);
  });

  it('drops negative, NaN and infinite counter increments and NaN observations', () => {
    const r = new MetricRegistry();
    const be = new RecordingBackend();
    r.attach(be);
    r.define({ kind: 'counter', name: 'c_total', help: 'h' });
    r.define({ kind: 'histogram', name: 'h_seconds', help: 'h', buckets: [1] });
    const c = r.counter('c_total').labels();
    c.inc(-1);
    c.inc(Number.NaN);
    c.inc(Number.POSITIVE_INFINITY);
    c.inc(3);
    r.histogram('h_seconds').labels().observe(Number.NaN);
    expect(be.counters.get('c_total{}')).toBe(3);
    expect(be.observations.get('h_seconds{}')).toEqual([]);
  });
});

describe('cardinality guard', () => {
  it('folds values past the cap into "other" and counts them per metric', () => {
    const r = new MetricRegistry({ labelValueCap: 3 });
    const be = new RecordingBackend();
    r.attach(be);
    r.define({ kind: 'counter', name: 'cmd_total', help: 'h', labelNames: ['command', 'status'] });
    const c = r.counter('cmd_total');
    for (const name of ['a', 'b', 'c', 'd', 'e']) c.labels(name, 'success').inc();
    c.labels('a', 'success').inc();
    expect(be.counters.get('cmd_total{a,success}')).toBe(2);
    expect(be.counters.get('cmd_total{other,success}')).toBe(2);
    expect(be.counters.has('cmd_total{d,success}')).toBe(false);
    expect(be.counters.get('argus_label_values_folded_total{cmd_total}')).toBe(2);
  });

  it('counts a folded value at every lookup, in any position, and an admitted one never', () => {
    const r = new MetricRegistry({ labelValueCap: 2 });
    const be = new RecordingBackend();
    r.attach(be);
    r.define({ kind: 'counter', name: 'rest_total', help: 'h', labelNames: ['method', 'route'] });
    const c = r.counter('rest_total');
    for (const [method, route] of [
      ['GET', '/a'],
      ['POST', '/b'],
      ['PUT', '/c'],
      ['PUT', '/c'],
      ['GET', '/b'],
      ['GET', '/b'],
    ] as const)
      c.labels(method, route).inc();
    expect(be.counters.get('rest_total{other,other}')).toBe(2);
    expect(be.counters.get('rest_total{GET,/b}')).toBe(2);
    // PUT and /c, twice each: four values past the cap.
    expect(be.counters.get('argus_label_values_folded_total{rest_total}')).toBe(4);
  });

  it('keeps memory bounded under a flood of distinct values', () => {
    const r = new MetricRegistry({ labelValueCap: 50 });
    const be = new RecordingBackend();
    r.attach(be);
    r.define({ kind: 'counter', name: 'ev_total', help: 'h', labelNames: ['event'] });
    for (let i = 0; i < 10_000; i++) r.counter('ev_total').labels(`E${i}`).inc();
    const series = [...be.counters.keys()].filter((k) => k.startsWith('ev_total'));
    expect(series.length).toBe(51);
    expect(be.counters.get('ev_total{other}')).toBe(9_950);
  });
});

describe('gauges', () => {
  it('reads the callback at every scrape, drops non-finite samples, appends default labels', () => {
    const r = new MetricRegistry({ defaultLabels: { cluster: 'c' } });
    const be = new RecordingBackend();
    r.attach(be);
    let live = 1;
    r.define({
      kind: 'gauge',
      name: 'lat_seconds',
      help: 'h',
      labelNames: ['shard'],
      collect: (emit) => {
        emit(live, { shard: '0' });
        emit(Number.NaN, { shard: '1' });
      },
    });
    expect(be.readGauge('lat_seconds')).toEqual({ ok: true, samples: [[1, ['0', 'c']]] });
    live = 7;
    expect(be.readGauge('lat_seconds').samples).toEqual([[7, ['0', 'c']]]);
  });

  it('a throwing gauge reports failure and is counted under scrape:<name>', () => {
    const r = new MetricRegistry();
    const be = new RecordingBackend();
    r.attach(be);
    r.define({
      kind: 'gauge',
      name: 'bad',
      help: 'h',
      collect: () => {
        throw new Error('boom');
      },
    });
    expect(be.readGauge('bad').ok).toBe(false);
    expect(be.counters.get('argus_instrumentation_errors_total{scrape:bad}')).toBe(1);
  });

  it('a sample missing a declared label is a failure, not a mislabelled sample', () => {
    const r = new MetricRegistry();
    const be = new RecordingBackend();
    r.attach(be);
    r.define({ kind: 'gauge', name: 'g', help: 'h', labelNames: ['shard'], collect: (emit) => emit(1) });
    expect(be.readGauge('g')).toEqual({ ok: false, samples: [] });
  });
});
