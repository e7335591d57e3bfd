// The manager's HTTP surface over a real server. The manager itself is a stand-in EventEmitter
// shaped like discord.js' ShardingManager (the real managers run in test/): what matters here is
// what argusManager serves for the messages its children send.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type ArgusManager, ArgusManagerOptionError, argusManager } from './manager';
import { REPORT_TAG } from './report';

class StandInShard extends EventEmitter {
  constructor(readonly id: number) {
    super();
  }
}
class StandInManager extends EventEmitter {
  readonly shards = new Map<number, StandInShard>();
  readonly totalShards = 2;
  create(id: number) {
    const shard = new StandInShard(id);
    this.shards.set(id, shard);
    this.emit('shardCreate', shard);
    shard.emit('spawn', {});
    return shard;
  }
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const handles: ArgusManager[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
});

async function start(options: Parameters<typeof argusManager>[1] = {}) {
  const manager = new StandInManager();
  const handle = argusManager(manager, { port: 0, host: '127.0.0.1', logger: silent, ...options });
  handles.push(handle);
  const server = await handle.server;
  return { manager, handle, url: server!.url };
}

const message = (cluster: string, ready = true) => ({
  tag: REPORT_TAG,
  cluster,
  namespace: 'discord',
  ready,
  pid: 1,
  rss: 1,
  time: Date.now(),
  text: `# TYPE discord_shard_up gauge\ndiscord_shard_up{cluster="${cluster}",shard="${cluster}"} 1\n`,
});

describe('argusManager', () => {
  it('serves /metrics, /readyz, /healthz, /api/fleet and /api/targets from the children’s reports', async () => {
    const { manager, url } = await start();
    const s0 = manager.create(0);
    const s1 = manager.create(1);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    s0.emit('message', message('0'));
    // discord-hybrid-sharding hands the manager an IPCMessage whose `raw` is what the child sent.
    s1.emit('message', { raw: message('1') });
    s1.emit('message', { tag: REPORT_TAG, cluster: 5 });
    s1.emit('message', { _ready: true });

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { 'cluster:0': true, 'cluster:1': true } });
    expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok\n');

    const metrics = await fetch(`${url}/metrics`, { headers: { Accept: 'application/openmetrics-text' } });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain(
      'discord_shard_up{cluster="0",shard="0"} 1\ndiscord_shard_up{cluster="1",shard="1"} 1\n',
    );
    expect(text).toContain('argus_cluster_reports_rejected_total{reason="malformed"} 1\n');

    const fleet = (await (await fetch(`${url}/api/fleet`)).json()) as {
      expected: number;
      clusters: unknown[];
    };
    expect(fleet.expected).toBe(2);
    expect(fleet.clusters).toHaveLength(2);

    const targets = await fetch(`${url}/api/targets`);
    expect(targets.headers.get('x-prometheus-refresh-interval-seconds')).toBe('60');
    expect(await targets.json()).toEqual([
      { targets: ['127.0.0.1:1'], labels: { cluster: '0' } },
      { targets: ['127.0.0.1:2'], labels: { cluster: '1' } },
    ]);

    // Forwarded per-guild events with no analytics store configured are dropped, and counted.
    s0.emit('message', { tag: 'argus:events', cluster: '0', events: [{}, {}] });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain(
      'argus_manager_events_dropped_total{reason="no_store"} 2\n',
    );

    s1.emit('death', {});
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('argus_cluster_up{cluster="1"} 0\n');
  });

  it('guards /metrics and /api/targets with the metrics token, and /api/fleet with the fleet token', async () => {
    const { url } = await start({ metricsAuthToken: 'm-token', fleetAuthToken: 'f-token', childPort: 9300 });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/api/targets`)).status).toBe(401);
    expect((await fetch(`${url}/api/fleet`)).status).toBe(401);
    const auth = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
    expect((await fetch(`${url}/metrics`, auth('m-token'))).status).toBe(200);
    expect((await fetch(`${url}/api/fleet`, auth('m-token'))).status).toBe(401);
    expect((await fetch(`${url}/api/fleet`, auth('f-token'))).status).toBe(200);
  });

  it('serves the dashboard of the whole fleet: a config that says so, and a snapshot of every child', async () => {
    const { manager, url } = await start({ namespace: 'bot' });
    manager.create(0).emit('message', message('0'));
    manager.create(1).emit('message', message('1'));
    const config = (await (await fetch(`${url}/api/config`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ fleet: true, namespace: 'bot', cluster: 'manager', authRequired: false });
    const snapshot = (await (await fetch(`${url}/api/snapshot`)).json()) as {
      metrics: Record<string, { series: unknown[] }>;
    };
    expect(snapshot.metrics.argus_cluster_up?.series).toEqual([
      [['0'], 1],
      [['1'], 1],
    ]);
    expect(snapshot.metrics.discord_shard_up?.series).toEqual([
      [['0', '0'], 1],
      [['1', '1'], 1],
    ]);

    const { url: plain } = await start({ dashboard: false });
    expect((await fetch(`${plain}/api/config`)).status).toBe(404);
  });

  it('with a dashboard token, every /api/* route needs it; /metrics keeps its own', async () => {
    const { url } = await start({ dashboardAuthToken: 'd-token', metricsAuthToken: 'm-token' });
    const auth = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
    for (const path of ['/api/config', '/api/snapshot', '/api/fleet', '/api/targets']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(401);
      expect((await fetch(`${url}${path}`, auth('m-token'))).status, path).toBe(401);
      expect((await fetch(`${url}${path}`, auth('d-token'))).status, path).toBe(200);
    }
    expect((await fetch(`${url}/metrics`, auth('d-token'))).status).toBe(401);
    expect((await fetch(`${url}/metrics`, auth('m-token'))).status).toBe(200);
  });

  it('refuses bad options and objects that are not a supported manager, naming what is wrong', () => {
    const manager = new StandInManager();
    expect(() => argusManager(manager, { deadlineMs: 5 })).toThrowError(ArgusManagerOptionError);
    expect(() => argusManager(manager, { readyShare: 0 })).toThrow(/readyShare = 0/);
    expect(() => argusManager(manager, { port: 70_000 })).toThrow(/port = 70000/);
    expect(() => argusManager(manager, { metricsPath: '/api/x' })).toThrow(/metricsPath/);
    expect(() => argusManager(manager, { dashboardPath: '/api' })).toThrow(/dashboardPath = "\/api"/);
    expect(() => argusManager(manager, { dashboardInterval: 0 })).toThrow(/dashboardInterval = 0/);
    expect(() => argusManager(manager, { namespace: 'a-b' })).toThrow(/namespace = "a-b"/);
    expect(() => argusManager(manager, { dashboardAuthToken: 'a', fleetAuthToken: 'b' })).toThrow(
      /fleetAuthToken = "<redacted>": differs from dashboardAuthToken/,
    );
    expect(() =>
      argusManager(manager, {
        dashboardAuthToken: 'a',
        analytics: { clickhouseDsn: 'embedded', token: 'b' },
      }),
    ).toThrow(/analytics.token = "<redacted>": differs from dashboardAuthToken/);
    expect(() => argusManager(new EventEmitter() as never)).toThrow(
      /ShardingManager or discord-hybrid-sharding/,
    );
  });
});
