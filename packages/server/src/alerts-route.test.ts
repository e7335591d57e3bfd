import { FailOpenGuard, resolveConfig } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { createApp } from './app';

const TOKEN = 'alerts-route-token';

function appWith(view: () => unknown, guard = new FailOpenGuard()) {
  return createApp({
    config: resolveConfig({}, {}),
    readiness: () => ({ ready: true, checks: {} }),
    guard,
    alerts: { token: TOKEN, view },
  });
}

describe('/api/alerts', () => {
  it('serves the alerts view behind the dashboard token', async () => {
    const app = appWith(() => ({ active: [{ alert: 'DiscordShardDown', status: 'firing' }], recent: [] }));
    expect((await app.request('/api/alerts')).status).toBe(401);
    expect((await app.request('/api/alerts', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    const ok = await app.request('/api/alerts', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toEqual({
      active: [{ alert: 'DiscordShardDown', status: 'firing' }],
      recent: [],
    });
    expect(
      (await app.request('/api/alerts', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(405);
  });

  it('answers 503 and counts it when the view throws', async () => {
    const reported: string[] = [];
    const guard = new FailOpenGuard();
    guard.setErrorCounter((hook) => reported.push(hook));
    const app = appWith(() => {
      throw new Error('boom');
    }, guard);
    const res = await app.request('/api/alerts', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(503);
    expect(reported).toEqual(['server:alerts']);
  });
});
