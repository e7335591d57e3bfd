// The zero-code path: argus(client, { enableTracing, tracingEndpoint }) loads @argus/tracing,
// starts the SDK, traces the harness bot's interactions, shows the drop counter on /metrics and
// flushes in close().
import { createRequire } from 'node:module';
import { until } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../../tracing/test/otlp-receiver';
import { type Running, startBot } from './harness';

// The OpenTelemetry API as @argus/tracing resolves it: the bot's own copy in a real install
// (this package does not depend on it, so only the part used here is typed).
const api: { trace: { getActiveSpan(): { spanContext(): { traceId: string } } | undefined } } = createRequire(
  createRequire(import.meta.url).resolve('@argus/tracing'),
)('@opentelemetry/api');

let receiver: OtlpReceiver;
let bot: Running;
const logs: string[] = [];

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  const log = (level: string) => (message: string) => logs.push(`${level} ${message}`);
  bot = await startBot(
    {},
    {
      enableTracing: true,
      // The base URL, as a user would give it: /v1/traces is appended.
      tracingEndpoint: receiver.url.replace('/v1/traces', ''),
      clusterId: 'eu-2',
      tracingUiUrl: 'http://jaeger.example:16686/trace/{traceId}',
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    },
  );
});

afterAll(async () => {
  await receiver?.close();
});

describe('argus({ enableTracing })', () => {
  it('traces an interaction handled through argus.wrapCommand, and counts drops on /metrics', async () => {
    // The SDK loads in the background; argus() says when spans go somewhere.
    await until(() => logs.includes(`info tracing: spans go to ${receiver.url}`), 15_000, 'the SDK to start');
    const sent = bot.sim.sendInteraction({ type: 'command', name: 'ping' });
    await sent.callback;
    const root = await until(() =>
      receiver.spans.find((s) => s.attributes['discord.interaction.id'] === sent.id),
    );
    expect(root.name).toBe('discord.interaction ping');
    expect(root.resource).toMatchObject({ 'service.name': 'discord-bot', 'service.instance.id': 'eu-2' });
    expect(root.attributes['discord.cluster']).toBe('eu-2');
    await until(() => receiver.trace(root.traceId).length === 2);
    const exposition = await bot.scrape();
    for (const reason of ['pending_full', 'trace_too_large', 'queue_full', 'export_failed'])
      expect(exposition.value('argus_tracing_spans_dropped_total', { reason })).toBe(0);
  });

  it('runs a plain interactionCreate listener inside the interaction span, and nests its REST call', async () => {
    const seen = new Map<string, string | undefined>();
    bot.client.on('interactionCreate', (interaction) => {
      if (interaction.isButton()) seen.set(interaction.id, api.trace.getActiveSpan()?.spanContext().traceId);
    });
    // The harness answers a button from a plain listener, not through wrapCommand.
    const sent = bot.sim.sendInteraction({ type: 'button', customId: 'again' });
    await sent.callback;
    const root = await until(() =>
      receiver.spans.find((s) => s.parentSpanId === '' && s.attributes['discord.interaction.id'] === sent.id),
    );
    expect(seen.get(sent.id)).toBe(root.traceId);
    const callback = await until(() =>
      receiver.trace(root.traceId).find((s) => s.name === 'POST /interactions/:id/:token/callback'),
    );
    expect(callback.parentSpanId).toBe(root.spanId);
  });

  it('lists a late interaction on /api/traces with its trace id, and the trace link in /api/config', async () => {
    // The harness answers `slow` after 3.3 s: past Discord's deadline.
    const sent = bot.sim.sendInteraction({ type: 'command', name: 'slow' });
    const root = await until(() =>
      receiver.spans.find((s) => s.parentSpanId === '' && s.attributes['discord.interaction.id'] === sent.id),
    );
    const body = (await (await fetch(`${bot.url}/api/traces`)).json()) as {
      traces: { traceId: string; command: string; outcome: string }[];
    };
    expect(body.traces.find((t) => t.traceId === root.traceId)).toMatchObject({
      command: 'slow',
      outcome: 'late',
    });
    const config = (await (await fetch(`${bot.url}/api/config`)).json()) as {
      traceUiUrl: string;
      sections: { traces: boolean };
    };
    expect(config.traceUiUrl).toBe('http://jaeger.example:16686/trace/{traceId}');
    expect(config.sections.traces).toBe(true);
  });

  it('close() flushes what is still queued', async () => {
    const sent = bot.sim.sendInteraction({ type: 'command', name: 'ping' });
    await sent.callback;
    await bot.stop();
    expect(receiver.spans.some((s) => s.attributes['discord.interaction.id'] === sent.id)).toBe(true);
  });
});
