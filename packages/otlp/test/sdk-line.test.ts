// Which OpenTelemetry JS line these tests ran on: 3.x on Node 22.15+ (vitest.config.ts points
// @opentelemetry/* at packages/otlp/otel3), 2.x before. Run the folder under both Nodes; the
// SDK names its own version in every export's resource.
import { MetricRegistry } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { otlp } from '../src/index';
import { attributesOf, startOtlpReceiver } from './otlp-receiver';

describe('the OpenTelemetry SDK line', () => {
  it('is 3.x on Node 22.15+ and 2.x before, as the export itself says', async () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const sdk3 = major > 22 || (major === 22 && minor >= 15);
    const receiver = await startOtlpReceiver();
    const push = otlp({ url: receiver.url, intervalMs: 3_600_000 }).start({
      snapshot: () => ({
        time: Date.now(),
        metrics: { discord_x_total: { type: 'counter', help: 'X.', labelNames: [], series: [[[], 1]] } },
      }),
      registry: new MetricRegistry(),
      clusterId: 'line',
    });
    await push.flush();
    await push.close(1_000);
    await receiver.close();
    const resource = attributesOf(receiver.received[0]!.body.resourceMetrics[0]!.resource.attributes);
    expect(resource['telemetry.sdk.version']?.split('.')[0]).toBe(sdk3 ? '3' : '2');
  });
});
