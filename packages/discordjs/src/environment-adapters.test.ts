// Which adapters the environment picks. In the workspace every package is installed, so a
// missing @argus/prometheus is told through the probe argus() otherwise derives from
// require.resolve (test/packed-install.test.ts proves the real thing, on npm-installed tarballs).
import { resolveConfig } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { environmentAdapters } from './environment-adapters';

const none = { metrics: undefined, tracing: false, analytics: false };
const kinds = (env: Record<string, string>, missing?: string) =>
  environmentAdapters(resolveConfig({}, env), none, undefined, () => missing).metrics.map((a) => a.kind);

describe('environmentAdapters', () => {
  it('picks Prometheus by default, and adds OTLP and Pushgateway push when their variables are set', () => {
    expect(kinds({})).toEqual(['prometheus']);
    expect(kinds({ ARGUS_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual(['prometheus', 'otlp']);
    expect(kinds({ ARGUS_PUSHGATEWAY_URL: 'http://127.0.0.1:9091' })).toEqual(['prometheus', 'pushgateway']);
  });

  it('runs OTLP-only when @argus/prometheus is not installed and an OTLP endpoint is set', () => {
    expect(kinds({ ARGUS_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, '@argus/prometheus')).toEqual(['otlp']);
  });

  it('names the missing package when the environment asks for Prometheus', () => {
    expect(() => kinds({}, '@argus/prometheus')).toThrowErrorMatchingInlineSnapshot(
      `[MissingPackageError: Argus serves Prometheus metrics by default and needs @argus/prometheus and prom-client for it: install them (\`npm install @argus/prometheus prom-client\`), or push OTLP instead (ARGUS_OTLP_ENDPOINT with @argus/otlp, or argus(client, { metrics: [otlp({ url })] }))]`,
    );
    let thrown: unknown;
    try {
      kinds({}, 'prom-client');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'MissingPackageError', pkg: 'prom-client' });
    expect(() =>
      kinds(
        { ARGUS_OTLP_ENDPOINT: 'http://127.0.0.1:4318', ARGUS_PUSHGATEWAY_URL: 'http://127.0.0.1:9091' },
        '@argus/prometheus',
      ),
    ).toThrowErrorMatchingInlineSnapshot(
      `[MissingPackageError: Argus option pushgatewayUrl (env ARGUS_PUSHGATEWAY_URL) needs the package @argus/prometheus: install it with \`npm install @argus/prometheus\`]`,
    );
  });

  it('adds push set by variables to metrics composed in code, unless the code has that kind', () => {
    const config = resolveConfig(
      {},
      { ARGUS_OTLP_ENDPOINT: 'http://127.0.0.1:4318', ARGUS_PUSHGATEWAY_URL: 'http://127.0.0.1:9091' },
    );
    const prometheus = { kind: 'prometheus', role: 'metrics' as const, start: () => ({}) };
    const otlp = { kind: 'otlp', role: 'metrics' as const, start: () => ({}) };
    const joined = (metrics: (typeof prometheus)[]) =>
      environmentAdapters(config, { ...none, metrics }, undefined, () => undefined).metrics.map(
        (a) => a.kind,
      );
    expect(joined([prometheus])).toEqual(['otlp', 'pushgateway']);
    expect(joined([prometheus, otlp])).toEqual(['pushgateway']);
    expect(() => joined([otlp])).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Argus option pushgatewayUrl (env ARGUS_PUSHGATEWAY_URL) pushes the Prometheus exposition: add prometheus() to metrics]`,
    );
  });
});
