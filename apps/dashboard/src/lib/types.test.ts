import { describe, expect, it } from 'vitest';
import { parseConfig, parseSnapshot } from './types';

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
      sections: { grafana: true, analytics: false },
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
      sections: { grafana: true, analytics: false },
    });
  });

  it('falls back to the defaults on missing or bad fields', () => {
    const c = parseConfig({ namespace: 'bad-name!', intervalSeconds: -1, grafanaUrl: '' });
    expect(c.namespace).toBe('discord');
    expect(c.intervalSeconds).toBe(5);
    expect(c.grafanaUrl).toBeNull();
    expect(c.metricsPath).toBe('/metrics');
    expect(parseConfig(null).namespace).toBe('discord');
  });
});

describe('parseSnapshot', () => {
  it('accepts the snapshot shape and drops malformed samples', () => {
    const s = parseSnapshot({
      time: 1,
      metrics: {
        a_total: {
          type: 'counter',
          help: 'h',
          samples: [{ name: 'a_total', labels: { x: '1' }, value: 2 }, { name: 'bad' }, null],
        },
        broken: 'nope',
      },
    });
    expect(s).toEqual({
      time: 1,
      metrics: {
        a_total: { type: 'counter', help: 'h', samples: [{ name: 'a_total', labels: { x: '1' }, value: 2 }] },
      },
    });
  });

  it('rejects what is not a snapshot', () => {
    expect(parseSnapshot(null)).toBeNull();
    expect(parseSnapshot({ time: 'x', metrics: {} })).toBeNull();
    expect(parseSnapshot({ time: 1 })).toBeNull();
    expect(parseSnapshot([])).toBeNull();
  });
});
