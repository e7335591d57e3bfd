import { Client } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { argus } from './argus';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const child = { SHARDING_MANAGER: 'true', SHARDING_MANAGER_MODE: 'process', SHARDS: '2', SHARD_COUNT: '4' };

describe('argus() in a child of a sharding manager', () => {
  it('takes its cluster label from the shard id and binds no port of its own', async () => {
    const a = argus(new Client({ intents: [] }), {
      env: child,
      logger: silent,
      reportToManager: false,
      serverStart: 'immediate',
    });
    try {
      expect(a.config.clusterId).toBe('2');
      expect(await a.server).toBeUndefined();
    } finally {
      await a.close();
    }
  });

  it('serves its own port when asked (port + 1 + index)', async () => {
    const a = argus(new Client({ intents: [] }), {
      env: { ...child, ARGUS_CHILD_SERVER: 'true' },
      logger: silent,
      reportToManager: false,
      serverStart: 'immediate',
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const handle = await a.server;
      expect(handle).toBeDefined();
      const text = await (await fetch(`${handle!.url}/metrics`)).text();
      expect(text).toContain('cluster="2"');
    } finally {
      await a.close();
    }
  });
});
