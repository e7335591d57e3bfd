// pushgateway() against Debian's Pushgateway 1.5 behind basic auth (its own web config), and a
// bearer token as a reverse proxy in front of a Pushgateway would see it.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricRegistry } from '@argus/core';
import { startPushgateway } from '@argus/test-services';
import { describe, expect, it } from 'vitest';
import { PrometheusAdapter } from '../src/adapter';
import { pushgateway } from '../src/pushgateway';

// bcrypt of the test password below (cost 10), for the Pushgateway's web config.
const PASSWORD = 'argus-test-pw';
const BCRYPT = '$2b$10$8PqH1KUAZAjNckbv8551DOoxwcaYwCH.NDj/MJsHwheBl96HA/yZW';

function backend() {
  const registry = new MetricRegistry({ defaultLabels: { cluster: 'auth' } });
  const prometheus = new PrometheusAdapter({ processMetrics: false });
  registry.attach(prometheus);
  registry.define({ kind: 'counter', name: 'discord_things_total', help: 'Things.' });
  registry.counter('discord_things_total').inc(undefined, 3);
  return { registry, prometheus };
}

describe('pushgateway() auth', () => {
  it('pushes with basic auth, is refused (and counts it) without, and deletes the group', async () => {
    const gateway = await startPushgateway({
      basicAuth: { username: 'bot', password: PASSWORD, bcryptHash: BCRYPT },
    });
    const { registry, prometheus } = backend();
    try {
      const render = () => prometheus.render('text');
      const anonymous = pushgateway({ url: gateway.url, intervalMs: 3_600_000 }).start({
        render,
        registry,
        clusterId: 'auth',
      });
      expect(await anonymous.push()).toBe(false);
      await anonymous.close(1_000);

      const push = pushgateway({
        url: gateway.url,
        username: 'bot',
        password: PASSWORD,
        intervalMs: 3_600_000,
      }).start({ render, registry, clusterId: 'auth' });
      expect(await push.push()).toBe(true);
      expect(await gateway.metrics()).toMatch(
        /discord_things_total\{cluster="auth",instance="",job="argus"\} 3/,
      );
      const text = await prometheus.render('text');
      expect(text).toMatch(/argus_pushgateway_pushes_total\{result="failure",cluster="auth"\} [1-9]/);
      expect(text).toMatch(/argus_pushgateway_pushes_total\{result="success",cluster="auth"\} [1-9]/);
      await push.close(2_000);
      expect(await gateway.metrics()).not.toContain('discord_things_total');
    } finally {
      prometheus.close();
      await gateway.stop();
    }
  });

  it('sends a bearer token and the text exposition with its content type', async () => {
    const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const proxy = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(req.headers.authorization === 'Bearer zq-bearer-7' ? 200 : 401).end();
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const { registry, prometheus } = backend();
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/gw`;
      const push = pushgateway({ url, bearerToken: 'zq-bearer-7', job: 'bots', instance: 'a/b' }).start({
        render: () => prometheus.render('text'),
        registry,
        clusterId: 'auth',
      });
      expect(await push.push()).toBe(true);
      await push.close(1_000);
      const put = seen.find((s) => s.method === 'PUT')!;
      expect(put.url).toBe('/gw/metrics/job/bots/cluster/auth/instance@base64/YS9i');
      expect(put.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(put.body).toContain('discord_things_total{cluster="auth"} 3');
      expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: put.url });
    } finally {
      prometheus.close();
      proxy.close();
    }
  });
});
