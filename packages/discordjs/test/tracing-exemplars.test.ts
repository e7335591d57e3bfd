// Exemplars end to end: with tracing on, the response and command-duration histograms carry the
// trace id of an observation in the OpenMetrics exposition, and a real Prometheus 2.42 with
// exemplar storage returns the trace id of a slow interaction from /api/v1/query_exemplars.
import { type PrometheusServer, startPrometheus, until } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../../tracing/test/otlp-receiver';
import { type Running, startBot } from './harness';

let receiver: OtlpReceiver;
let bot: Running;
let prometheus: PrometheusServer;
const logs: string[] = [];

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  const log = (message: string) => logs.push(message);
  bot = await startBot(
    {},
    {
      enableTracing: true,
      tracingEndpoint: receiver.url,
      logger: { debug: log, info: log, warn: log, error: log },
    },
  );
  await until(() => logs.includes(`tracing: spans go to ${receiver.url}`), 15_000, 'the SDK to start');
  prometheus = await startPrometheus([{ url: `${bot.url}/metrics` }], {
    flags: ['--enable-feature=exemplar-storage'],
  });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await bot?.stop();
  await receiver?.close();
});

interface ExemplarResult {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

async function exemplars(metric: string): Promise<ExemplarResult[]> {
  const now = Date.now() / 1000;
  const res = await fetch(
    `${prometheus.url}/api/v1/query_exemplars?query=${metric}&start=${now - 600}&end=${now + 60}`,
  );
  const body = (await res.json()) as { status: string; data: ExemplarResult[] };
  expect(body.status).toBe('success');
  return body.data;
}

describe('exemplars', () => {
  it('Prometheus returns the trace id of a slow interaction for its response and command-duration buckets', async () => {
    const sent = bot.sim.sendInteraction({ type: 'command', name: 'delayed' });
    await sent.callback;
    const root = await until(() =>
      receiver.spans.find((s) => s.attributes['discord.interaction.id'] === sent.id),
    );

    const exposition = await fetch(`${bot.url}/metrics`, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    }).then((r) => r.text());
    expect(exposition).toContain(`# {trace_id="${root.traceId}"}`);

    for (const metric of [
      'discord_interaction_response_seconds_bucket',
      'discord_app_command_duration_seconds_bucket',
    ]) {
      const found = await until(
        async () => {
          const data = await exemplars(metric);
          for (const series of data)
            for (const e of series.exemplars) if (e.labels.trace_id === root.traceId) return { series, e };
          return undefined;
        },
        20_000,
        `the exemplar of ${metric}`,
      );
      // The 400 ms handler: its observation sits in a bucket whose bound is above it.
      expect(Number(found.e.value)).toBeGreaterThanOrEqual(0.4);
      expect(Number(found.series.seriesLabels.le)).toBeGreaterThanOrEqual(Number(found.e.value));
      expect(found.series.seriesLabels.command).toBe('delayed');
    }
  });
});
