import { resolveConfig } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/helpers';
import { warnIfDashboardUnprotected } from './warnings';

describe('warnIfDashboardUnprotected', () => {
  it('warns once when the dashboard is open on a non-loopback host', () => {
    const logger = captureLogger();
    const config = resolveConfig({ host: '0.0.0.0', port: 9191, metricsAuthToken: 'metrics-secret' }, {});
    expect(warnIfDashboardUnprotected(config, logger)).toBe(true);
    expect(logger.records).toHaveLength(1);
    expect(logger.records[0]!.level).toBe('warn');
    expect(logger.records[0]!.message).toContain('0.0.0.0:9191');
    expect(logger.records[0]!.message).toContain('dashboardAuthToken');
    expect(logger.text()).not.toContain('metrics-secret');
  });

  it('says the metrics path stays open when it has no token', () => {
    const logger = captureLogger();
    warnIfDashboardUnprotected(resolveConfig({ metricsPath: '/prom' }, {}), logger);
    expect(logger.records[0]!.message).toContain('The /prom endpoint stays open for Prometheus.');
  });

  it.each([
    ['loopback v4', { host: '127.0.0.1' }],
    ['localhost', { host: 'localhost' }],
    ['loopback v6', { host: '::1' }],
    ['token set', { host: '0.0.0.0', dashboardAuthToken: 'dash-secret' }],
    ['dashboard off', { host: '0.0.0.0', dashboard: false }],
  ])('stays quiet with %s', (_name, options) => {
    const logger = captureLogger();
    expect(warnIfDashboardUnprotected(resolveConfig(options, {}), logger)).toBe(false);
    expect(logger.records).toEqual([]);
  });
});
