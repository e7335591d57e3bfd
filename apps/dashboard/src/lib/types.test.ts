import { describe, expect, it } from 'vitest';
import { parseConfig, parseSnapshot, type WireSnapshot } from './types';

describe('parseConfig', () => {
  it('reads the server config', () => {
    const c = parseConfig({
      version: '0.1.0',
      namespace: 'mybot',
      cluster: 'eu',
      metricsPath: '/m',
      dashboardPath: '/dash',
      intervalSeconds: 2,
      authRequired: true,
      grafanaUrl: 'http://grafana:3000',
      traceUiUrl: 'http://jaeger:16686/trace/{traceId}',
      sections: { grafana: true, analytics: false, traces: true },
    });
    expect(c).toEqual({
      version: '0.1.0',
      namespace: 'mybot',
      cluster: 'eu',
      metricsPath: '/m',
      dashboardPath: '/dash',
      intervalSeconds: 2,
      authRequired: true,
      grafanaUrl: 'http://grafana:3000',
      traceUiUrl: 'http://jaeger:16686/trace/{traceId}',
      sections: { grafana: true, analytics: false, traces: true },
      fleet: false,
    });
    expect(parseConfig({ fleet: true }).fleet).toBe(true);
    expect(parseConfig({ fleet: 'yes' }).fleet).toBe(false);
  });

  it('falls back to the defaults on missing or bad fields', () => {
    const c = parseConfig({ namespace: 'bad-name!', intervalSeconds: -1, grafanaUrl: '' });
    expect(c.namespace).toBe('discord');
    expect(c.intervalSeconds).toBe(5);
    expect(c.grafanaUrl).toBeNull();
    expect(c.traceUiUrl).toBeNull();
    expect(c.sections).toEqual({ grafana: false, analytics: false, traces: false });
    expect(parseConfig({ traceUiUrl: 'http://jaeger/trace/' }).traceUiUrl).toBeNull();
    expect(c.metricsPath).toBe('/metrics');
    expect(parseConfig(null).namespace).toBe('discord');
  });
});

describe('parseSnapshot', () => {
  const wire: WireSnapshot = {
    time: 1_700_000_000_000,
    metrics: {
      discord_guilds: { type: 'gauge', help: 'Guilds', labelNames: ['cluster'], series: [[['eu'], 3]] },
      discord_interactions_total: {
        type: 'counter',
        help: 'Interactions',
        labelNames: ['type', 'status', 'cluster'],
        series: [
          [['application_command', 'received', 'eu'], 10],
          [['button', 'received', 'eu'], 2],
        ],
      },
      discord_interaction_response_seconds: {
        type: 'histogram',
        help: 'Response time',
        labelNames: ['command', 'cluster'],
        le: ['0.1', '1', '+Inf'],
        series: [
          [['ping', 'eu'], [2, 5, 6], 3.25, 6],
          [['slow', 'eu'], [0, 0, 1], 4, 1],
        ],
      },
      process_resident_memory_bytes: { type: 'gauge', help: 'RSS', labelNames: [], series: [[[], 1024]] },
    },
  };

  it('expands scalar series into one sample each, named like the family', () => {
    const s = parseSnapshot(wire)!;
    expect(s.time).toBe(1_700_000_000_000);
    expect(s.metrics.discord_guilds).toEqual({
      type: 'gauge',
      help: 'Guilds',
      samples: [{ name: 'discord_guilds', labels: { cluster: 'eu' }, value: 3 }],
    });
    expect(s.metrics.discord_interactions_total!.samples).toEqual([
      {
        name: 'discord_interactions_total',
        labels: { type: 'application_command', status: 'received', cluster: 'eu' },
        value: 10,
      },
      {
        name: 'discord_interactions_total',
        labels: { type: 'button', status: 'received', cluster: 'eu' },
        value: 2,
      },
    ]);
    expect(s.metrics.process_resident_memory_bytes!.samples).toEqual([
      { name: 'process_resident_memory_bytes', labels: {}, value: 1024 },
    ]);
  });

  it('keeps the label order of labelNames, with le after them on buckets', () => {
    const s = parseSnapshot(wire)!;
    const [first] = s.metrics.discord_interactions_total!.samples;
    expect(Object.keys(first!.labels)).toEqual(['type', 'status', 'cluster']);
    const hist = s.metrics.discord_interaction_response_seconds!.samples;
    expect(Object.keys(hist[0]!.labels)).toEqual(['command', 'cluster', 'le']);
    expect(Object.keys(hist[3]!.labels)).toEqual(['command', 'cluster']);
  });

  it('expands a histogram series into its buckets, then _sum and _count', () => {
    const fam = parseSnapshot(wire)!.metrics.discord_interaction_response_seconds!;
    expect(fam.type).toBe('histogram');
    expect(fam.help).toBe('Response time');
    const b = 'discord_interaction_response_seconds';
    const ping = { command: 'ping', cluster: 'eu' };
    const slow = { command: 'slow', cluster: 'eu' };
    expect(fam.samples).toEqual([
      { name: `${b}_bucket`, labels: { ...ping, le: '0.1' }, value: 2 },
      { name: `${b}_bucket`, labels: { ...ping, le: '1' }, value: 5 },
      { name: `${b}_bucket`, labels: { ...ping, le: '+Inf' }, value: 6 },
      { name: `${b}_sum`, labels: ping, value: 3.25 },
      { name: `${b}_count`, labels: ping, value: 6 },
      { name: `${b}_bucket`, labels: { ...slow, le: '0.1' }, value: 0 },
      { name: `${b}_bucket`, labels: { ...slow, le: '1' }, value: 0 },
      { name: `${b}_bucket`, labels: { ...slow, le: '+Inf' }, value: 1 },
      { name: `${b}_sum`, labels: slow, value: 4 },
      { name: `${b}_count`, labels: slow, value: 1 },
    ]);
  });

  it('reads the JSON the server sends', () => {
    expect(parseSnapshot(JSON.parse(JSON.stringify(wire)))).toEqual(parseSnapshot(wire));
  });

  it('keeps families without series', () => {
    const s = parseSnapshot({
      time: 1,
      metrics: {
        a_total: { type: 'counter', help: '', labelNames: ['x'], series: [] },
        h: { type: 'histogram', help: '', labelNames: [], le: ['+Inf'], series: [] },
      },
    });
    expect(s!.metrics).toEqual({
      a_total: { type: 'counter', help: '', samples: [] },
      h: { type: 'histogram', help: '', samples: [] },
    });
  });

  it('reads an unknown or missing type as untyped scalar series', () => {
    const fam = (type: unknown) => ({ type, help: 'h', labelNames: ['q'], series: [[['0.5'], 1.5]] });
    const s = parseSnapshot({
      time: 1,
      metrics: { a: fam('summary'), b: fam('stateset'), c: fam(undefined), d: fam(42), e: fam('info') },
    })!;
    for (const name of ['a', 'b', 'c', 'd']) {
      expect(s.metrics[name], name).toEqual({
        type: 'untyped',
        help: 'h',
        samples: [{ name, labels: { q: '0.5' }, value: 1.5 }],
      });
    }
    expect(s.metrics.e!.type).toBe('info');
  });

  it('drops malformed scalar rows and keeps the good ones', () => {
    const s = parseSnapshot({
      time: 1,
      metrics: {
        a_total: {
          type: 'counter',
          help: 'h',
          labelNames: ['x', 'y'],
          series: [
            [['1', '2'], 2],
            [['1'], 3], // too few label values
            [['1', '2', '3'], 3], // too many
            [['1', 2], 3], // not a string
            [['1', null], 3],
            [['1', '2'], '3'], // not a number
            [['1', '2'], Number.NaN],
            [['1', '2'], Number.POSITIVE_INFINITY],
            [['1', '2']],
            [['1', '2'], 3, 4],
            [{ x: '1', y: '2' }, 3],
            { labels: ['1', '2'], value: 3 },
            null,
            'row',
            [],
            [['3', '4'], 0],
          ],
        },
      },
    });
    expect(s!.metrics.a_total!.samples).toEqual([
      { name: 'a_total', labels: { x: '1', y: '2' }, value: 2 },
      { name: 'a_total', labels: { x: '3', y: '4' }, value: 0 },
    ]);
  });

  it('drops malformed histogram rows and keeps the good ones', () => {
    const s = parseSnapshot({
      time: 1,
      metrics: {
        h: {
          type: 'histogram',
          help: '',
          labelNames: ['c'],
          le: ['1', '+Inf'],
          series: [
            [['a'], [1, 2], 1.5, 2],
            [['b'], [1], 1, 2], // one bucket short
            [['b'], [1, 2, 3], 1, 2], // one too many
            [['b'], [1, '2'], 1, 2],
            [['b'], [1, null], 1, 2],
            [['b'], [1, 2], null, 2],
            [['b'], [1, 2], 1],
            [['b'], [1, 2], 1, 2, 3],
            [['b'], 2, 1, 2],
            [['b', 'c'], [1, 2], 1, 2],
            [[], [1, 2], 1, 2],
            [['b'], 2],
            null,
          ],
        },
      },
    });
    expect(s!.metrics.h!.samples.map((x) => [x.name, x.labels.c, x.labels.le, x.value])).toEqual([
      ['h_bucket', 'a', '1', 1],
      ['h_bucket', 'a', '+Inf', 2],
      ['h_sum', 'a', undefined, 1.5],
      ['h_count', 'a', undefined, 2],
    ]);
  });

  it('drops a family whose label names or bounds cannot be used', () => {
    const scalar = (labelNames: unknown) => ({ type: 'gauge', help: '', labelNames, series: [[['v'], 1]] });
    const hist = (labelNames: unknown, le: unknown) => ({
      type: 'histogram',
      help: '',
      labelNames,
      le,
      series: [[['v'], [1], 1, 1]],
    });
    const s = parseSnapshot({
      time: 1,
      metrics: {
        ok: scalar(['x']),
        missing: { type: 'gauge', help: '', series: [[['v'], 1]] },
        notStrings: scalar([1]),
        notAName: scalar(['a-b']),
        reserved: scalar(['__name__']),
        proto: scalar(['__proto__']),
        twice: { type: 'gauge', help: '', labelNames: ['x', 'x'], series: [[['v', 'w'], 1]] },
        noSeries: { type: 'gauge', help: '', labelNames: [] },
        oldShape: { type: 'gauge', help: '', samples: [{ name: 'oldShape', labels: {}, value: 1 }] },
        histOk: hist(['x'], ['+Inf']),
        histLe: hist(['le'], ['+Inf']),
        histNoBounds: hist(['x'], undefined),
        histEmptyBounds: hist(['x'], []),
        histBadBounds: hist(['x'], [1]),
        'not-a-name': scalar(['x']),
        __reserved: scalar(['x']),
        notAFamily: 'nope',
        nothing: null,
      },
    });
    expect(Object.keys(s!.metrics)).toEqual(['ok', 'histOk']);
    expect(s!.metrics.ok!.samples).toEqual([{ name: 'ok', labels: { x: 'v' }, value: 1 }]);
    expect(Object.getPrototypeOf(s!.metrics.ok!.samples[0]!.labels)).toBe(Object.prototype);
  });

  it('takes an empty help for a missing one', () => {
    const s = parseSnapshot({
      time: 1,
      metrics: { g: { type: 'gauge', labelNames: [], series: [[[], 1]] } },
    });
    expect(s!.metrics.g).toEqual({ type: 'gauge', help: '', samples: [{ name: 'g', labels: {}, value: 1 }] });
  });

  it('never throws on odd input', () => {
    const odd: unknown[] = [
      undefined,
      0,
      'snapshot',
      { time: 1, metrics: [] },
      { time: 1, metrics: { a: [] } },
      { time: 1, metrics: { a: { type: 'histogram', labelNames: [], le: ['+Inf'], series: 'x' } } },
      {
        time: 1,
        metrics: { a: { type: 'histogram', labelNames: [], le: ['+Inf'], series: [[[], [[1]], 1, 1]] } },
      },
      { time: 1, metrics: Object.create(null) },
      JSON.parse('{"time":1,"metrics":{"__proto__":{"type":"gauge","labelNames":[],"series":[[[],1]]}}}'),
    ];
    for (const raw of odd) expect(() => parseSnapshot(raw)).not.toThrow();
  });

  it('never lets a family named __proto__ become the prototype of the metrics', () => {
    const s = parseSnapshot(
      JSON.parse('{"time":1,"metrics":{"__proto__":{"type":"gauge","help":"","labelNames":[],"series":[]}}}'),
    )!;
    expect(Object.getPrototypeOf(s.metrics)).toBe(Object.prototype);
    expect(Object.keys(s.metrics)).toEqual([]);
    expect((s.metrics as Record<string, unknown>).help).toBeUndefined();
  });

  it('rejects what is not a snapshot', () => {
    expect(parseSnapshot(null)).toBeNull();
    expect(parseSnapshot({ time: 'x', metrics: {} })).toBeNull();
    expect(parseSnapshot({ time: Number.NaN, metrics: {} })).toBeNull();
    expect(parseSnapshot({ time: 1 })).toBeNull();
    expect(parseSnapshot({ time: 1, metrics: [] })).toBeNull();
    expect(parseSnapshot([])).toBeNull();
  });
});
