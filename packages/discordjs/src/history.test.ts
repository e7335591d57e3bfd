import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArgusEvent, FailOpenGuard, HealthState, resolveConfig, silentLogger } from '@argus/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHistory, describeDsn, isEmbeddedDsn } from './history';

describe('clickhouseDsn in logs', () => {
  it('tells an embedded DSN from a server URL', () => {
    expect(['embedded', 'embedded:/var/lib/bot', './data/ch', '/srv/ch'].every(isEmbeddedDsn)).toBe(true);
    expect(['http://ch:8123', 'HTTPS://ch.example.com'].some(isEmbeddedDsn)).toBe(false);
  });

  it('never shows credentials, in the user info or the query string', () => {
    const shown = describeDsn('https://bot:hunter2@ch.example.com:8443/analytics?password=s3cret&x=1');
    expect(shown).toBe('ClickHouse at https://ch.example.com:8443/analytics');
    expect(describeDsn('http://ch:8123')).toBe('ClickHouse at http://ch:8123');
    expect(describeDsn('embedded:/srv/ch')).toBe('embedded ClickHouse (embedded:/srv/ch)');
  });
});

// The real @argus/clickhouse on embedded ClickHouse (chdb 26.7); only its loading is held back.
describe('createHistory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-history-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what is recorded before @argus/clickhouse has loaded, then writes all of it through ClickHouseSink', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const config = resolveConfig(
      { enablePerGuild: true, clickhouseDsn: `embedded:${join(dir, 'ch')}`, historyFlushInterval: 1 },
      {},
    );
    const drops: [string, number][] = [];
    let written = 0;
    const history = createHistory(config, {
      health: new HealthState(),
      guard: new FailOpenGuard(),
      logger: silentLogger,
      onDrop: (reason, n) => drops.push([reason, n]),
      onWritten: (n) => {
        written += n;
      },
      load: () => gate.then(() => import('@argus/clickhouse')),
    });
    const event = (i: number): ArgusEvent => ({
      time: Date.now(),
      cluster: 'default',
      shard: 0,
      guildId: '123456789012345678',
      event: 'command',
      type: 'prefix',
      command: `c${i}`,
      status: 'success',
      errorType: '',
      durationMs: i,
      responseMs: null,
    });
    for (let i = 0; i < 5; i++) history.sink.record(event(i));
    expect(history.stats()).toMatchObject({ produced: 5, queued: 5, written: 0, dropped: 0 });
    release();
    await vi.waitFor(() => expect(written).toBe(5), { timeout: 15_000, interval: 20 });
    const top = await history.analytics.topCommands({ guildId: '123456789012345678', days: 1, limit: 10 });
    expect(top.map((r) => r.command).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(await history.close(2_000)).toEqual({ flushed: 0, unflushed: 0 });
    expect(history.stats()).toMatchObject({ produced: 5, written: 5, dropped: 0, queued: 0 });
    expect(drops).toEqual([]);
  });
});
