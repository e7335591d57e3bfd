import { describe, expect, it } from 'vitest';
import { demoBuffer, FakeMetrics, REST_BUCKETS, statsInput } from '../../test/fixtures';
import { SnapshotBuffer } from '../buffer';
import { metricNames } from '../names';
import { invalidRequests, rateLimitRows, routeRows } from './rest';

describe('REST', () => {
  it('counts invalid requests over the last 10 minutes against the 10,000 threshold', () => {
    const inv = invalidRequests(statsInput(demoBuffer()));
    expect(inv.count).toBe(15);
    expect(inv.byStatus).toEqual([{ status: '429', count: 15 }]);
    expect(inv.coveredSeconds).toBe(25);
    expect(inv.limit).toBe(10_000);
    expect(inv.share).toBeCloseTo(0.0015, 10);
  });

  it('uses 10 minutes whatever the selected window', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    for (let i = 0; i <= 60; i++) {
      if (i > 0) m.inc(n.restInvalidRequests, { status: '401' }, 100);
      b.push(m.snapshot(i * 15_000)); // 15 minutes in all
    }
    const inv = invalidRequests(statsInput(b, 'discord', 60_000));
    expect(inv.coveredSeconds).toBe(600);
    expect(inv.count).toBe(4000);
  });

  it('lists rate limits by route and scope, and latency by route', () => {
    const limits = rateLimitRows(statsInput(demoBuffer()));
    expect(limits).toEqual([
      { route: '/channels/:id/messages', method: 'POST', scope: 'user', count: 5, total: 5 },
    ]);
    const routes = routeRows(statsInput(demoBuffer()));
    expect(routes).toHaveLength(1);
    expect(routes[0]!.route).toBe('/interactions/:id/:token/callback');
    expect(routes[0]!.rate).toBeCloseTo(2, 10);
    expect(routes[0]!.p95).toBeGreaterThan(0.1);
    expect(routes[0]!.p95).toBeLessThanOrEqual(0.25);
    expect(REST_BUCKETS).toContain(0.25);
  });
});
