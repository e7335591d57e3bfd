import { describe, expect, it } from 'vitest';
import * as server from './index';

describe('@argus/server public API', () => {
  it('exports what a bot author composes with, and no internals', () => {
    expect(Object.keys(server).sort()).toEqual([
      'OPENMETRICS_CONTENT_TYPE',
      'TEXT_CONTENT_TYPE',
      'createApp',
      'dashboardConfigBody',
      'dashboardOptions',
      'negotiateFormat',
      'resolveDashboardAssets',
      'startServer',
      'warnIfDashboardUnprotected',
    ]);
  });
});
