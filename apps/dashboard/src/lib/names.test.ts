import { metricNames as coreMetricNames } from '@argus/core/names';
import { describe, expect, it } from 'vitest';
import { metricNames, PROCESS_METRICS } from './names';

describe('metricNames', () => {
  it("is @argus/core's own catalogue, not a copy", () => {
    expect(metricNames).toBe(coreMetricNames);
  });

  it('prefixes bot metrics with the namespace and never argus_*', () => {
    const n = metricNames('mybot');
    expect(n.guilds).toBe('mybot_guilds');
    expect(n.interactions).toBe('mybot_interactions_total');
    expect(n.interactionResponse).toBe('mybot_interaction_response_seconds');
    expect(n.up).toBe('argus_up');
    expect(n.instrumentationErrors).toBe('argus_instrumentation_errors_total');
    for (const [key, name] of Object.entries(n)) {
      if (name.startsWith('argus_')) continue;
      expect(name.startsWith('mybot_'), key).toBe(true);
    }
  });
});

describe('PROCESS_METRICS', () => {
  it("are prom-client's unprefixed names, apart from every catalogue name", () => {
    // Even a bot whose namespace is `process` or `nodejs` keeps them apart.
    const catalogue = new Set<string>([
      ...Object.values(metricNames('process')),
      ...Object.values(metricNames('nodejs')),
    ]);
    for (const [key, name] of Object.entries(PROCESS_METRICS)) {
      expect(name, key).toMatch(/^(process|nodejs)_[a-z0-9_]+$/);
      expect(catalogue.has(name), key).toBe(false);
    }
  });
});
