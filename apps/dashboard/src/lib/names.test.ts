import { describe, expect, it } from 'vitest';
import { metricNames } from './names';

describe('metricNames', () => {
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

  it("matches @argus/core's catalogue names", async () => {
    // Read straight from core's sources (type-only imports there), so a rename there fails here.
    const path = new URL('../../../../packages/core/src/catalogue.ts', import.meta.url).pathname;
    const core = (await import(/* @vite-ignore */ path)) as {
      metricNames(ns: string): Record<string, string>;
    };
    expect({ ...metricNames('ns') }).toEqual({ ...core.metricNames('ns') });
  });
});
