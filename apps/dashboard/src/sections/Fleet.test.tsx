// The Fleet section and the cluster selector against the fake server (jsdom; the real manager in
// Chromium is packages/sharding/test/dashboard.test.ts).
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { clusterState, fleetTotals, parseFleet } from '../lib/fleet';
import type { TransportDeps } from '../lib/transport';
import type { WireSnapshot } from '../lib/types';
import { createDashboard } from '../state';
import { FakeServer } from '../test/fakes';

const summary = (shards: number, up: number) => ({
  shards,
  shardsUp: up,
  latencySeconds: 0.042,
  interactions: 100,
  interactionsPerSecond: 2.5,
  commandErrors: 1,
  unanswered: 0,
  eventLoopLagSeconds: 0.003,
  rssBytes: 64 * 1024 * 1024,
});

const FLEET = {
  time: 1_735_732_830_000,
  deadlineMs: 15_000,
  expected: 3,
  ready: false,
  clusters: [
    {
      index: 0,
      cluster: '0',
      up: true,
      ready: true,
      alive: true,
      pid: 10,
      lastSeen: 1,
      ageSeconds: 0.4,
      deaths: 0,
      summary: summary(2, 2),
    },
    {
      index: 1,
      cluster: '1',
      up: true,
      ready: true,
      alive: true,
      pid: 11,
      lastSeen: 1,
      ageSeconds: 1.5,
      deaths: 0,
      summary: summary(2, 1),
    },
    {
      index: 2,
      cluster: '2',
      up: false,
      ready: false,
      alive: false,
      pid: 12,
      lastSeen: 1,
      ageSeconds: 20,
      deaths: 1,
      summary: null,
    },
  ],
};

/** Two clusters' shards, as the manager's snapshot carries them. */
const frame = (time: number): WireSnapshot => ({
  time,
  metrics: {
    discord_shard_up: {
      type: 'gauge',
      help: '',
      labelNames: ['cluster', 'shard'],
      series: [
        [['0', '0'], 1],
        [['0', '1'], 1],
        [['1', '2'], 1],
        [['1', '3'], 0],
      ],
    },
  },
});

describe('parseFleet', () => {
  it('reads /api/fleet leniently and totals the clusters that are up', () => {
    const fleet = parseFleet({ ...FLEET, clusters: [...FLEET.clusters, { cluster: 5 }, null] })!;
    expect(fleet.clusters.map((c) => [c.cluster, clusterState(c)])).toEqual([
      ['0', 'ready'],
      ['1', 'ready'],
      ['2', 'down'],
    ]);
    expect(fleetTotals(fleet)).toEqual({
      clustersUp: 2,
      clusters: 3,
      shards: 4,
      shardsUp: 3,
      interactionsPerSecond: 5,
    });
    expect(parseFleet({ clusters: 'no' })).toBeNull();
    expect(
      parseFleet({ clusters: [{ cluster: 'a', up: true, summary: { shards: 'x' } }] })!.clusters[0],
    ).toMatchObject({ summary: { shards: null }, lastSeen: null });
    expect(clusterState(parseFleet({ clusters: [{ cluster: 'a' }] })!.clusters[0]!)).toBe('never seen');
  });
});

function mount(config: Record<string, unknown>, hash: string) {
  const server = new FakeServer();
  server.config = { status: 200, body: { namespace: 'discord', intervalSeconds: 5, ...config } };
  server.snapshot = { status: 200, body: frame(Date.now()) };
  const deps = server.deps();
  const fleetCalls: string[] = [];
  const withFleet: TransportDeps = {
    ...deps,
    fetch: async (url, init) => {
      if (!url.startsWith('/api/fleet')) return deps.fetch(url, init);
      fleetCalls.push(url);
      return { status: 200, ok: true, json: async () => FLEET } as Response;
    },
  };
  window.location.hash = hash;
  render(() => <App dashboard={createDashboard(withFleet, deps.storage, null)} />);
  return { server, fleetCalls };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2025, 0, 1, 12, 0, 30));
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('Fleet section', () => {
  it('shows every cluster side by side, and a click narrows every other section to one cluster', async () => {
    const { server, fleetCalls } = mount({ fleet: true }, '#/fleet');
    await flush();
    server.lastSource!.send(frame(Date.now()));
    await flush();
    expect(screen.getByTestId('nav-fleet')).toBeTruthy();
    const rows = screen.getAllByTestId('fleet-row');
    expect(rows.map((r) => [r.dataset.cluster, r.dataset.up])).toEqual([
      ['0', 'true'],
      ['1', 'true'],
      ['2', 'false'],
    ]);
    expect(rows[1]!.textContent).toContain('1 / 2');
    expect(rows[1]!.textContent).toContain('42 ms');
    expect(rows[1]!.textContent).toContain('2.5/s');
    expect(rows[1]!.textContent).toContain('64 MiB');
    expect(rows[2]!.querySelector('[data-testid=fleet-status]')!.textContent).toBe('down');
    expect(rows[2]!.querySelector('[data-testid=fleet-last-seen]')!.textContent).toBe('20 s ago');
    expect(screen.getByTestId('stat-clusters-up-value').textContent).toBe('2 / 3');

    // Read again every interval while the section is open.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fleetCalls.length).toBe(2);

    // Each read draws the rows anew.
    fireEvent.click(screen.getAllByTestId('fleet-row')[1]!);
    expect((screen.getByTestId('cluster-select') as HTMLSelectElement).value).toBe('1');
    expect(screen.getAllByTestId('fleet-row')[1]!.classList.contains('selected')).toBe(true);

    window.location.hash = '#/gateway';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await flush();
    expect(screen.getAllByTestId('shard-row').map((r) => r.dataset.shard)).toEqual(['2', '3']);

    fireEvent.change(screen.getByTestId('cluster-select'), { target: { value: '' } });
    expect(screen.getAllByTestId('shard-row').map((r) => r.dataset.shard)).toEqual(['0', '1', '2', '3']);
  });

  it('is not there for a bot: no navigation entry, and #/fleet shows the overview', async () => {
    const { server, fleetCalls } = mount({}, '#/fleet');
    await flush();
    server.lastSource!.send(frame(Date.now()));
    await flush();
    expect(screen.queryByTestId('nav-fleet')).toBeNull();
    expect(screen.queryByTestId('section-fleet')).toBeNull();
    expect(screen.getByTestId('section-overview')).toBeTruthy();
    expect(fleetCalls).toEqual([]);
  });
});
