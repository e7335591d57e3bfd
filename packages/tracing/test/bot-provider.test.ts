// The bot registered its own tracer provider (as most instrumented bots do): Argus' spans go
// there, with no SDK of Argus'. Here that provider exports protobuf (decoded with the official
// definitions), samples through ArgusSpanProcessor at ratio 0, and also carries a span processor
// that throws. Errors and missed deadlines are kept, ordinary traces dropped, the bot answers
// every interaction and the throws are counted.
import type { SentInteraction } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { type ReadableSpan, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgusSpanProcessor, TRACER_NAME } from '../src/index';
import { OtlpReceiver } from './otlp-receiver';
import { spanTree } from './span-tree';
import { startTracedBot, type TracedBot } from './traced-bot';

let bot: TracedBot;
let provider: TracerProvider;
let throws = 0;
const throwing: SpanProcessor = {
  onStart() {},
  onEnd(span: ReadableSpan) {
    if (span.instrumentationScope.name !== TRACER_NAME) return;
    throws++;
    throw new Error('a broken span processor');
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};

beforeAll(async () => {
  const receiver = await OtlpReceiver.start();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  provider = new TracerProvider({
    spanProcessors: [
      new ArgusSpanProcessor({
        exporter: new OTLPTraceExporter({ url: receiver.url }),
        sampleRatio: 0,
        exportIntervalMs: 100,
      }),
      throwing,
    ],
  });
  trace.setGlobalTracerProvider(provider);
  // An endpoint is set, but the bot's provider wins: Argus starts no SDK.
  bot = await startTracedBot({}, { receiver, endpoint: 'http://127.0.0.1:9/v1/traces' });
});

afterAll(async () => {
  await bot?.stop();
  await provider?.shutdown();
});

describe("the bot's own tracer provider", () => {
  it('samples at the end: errors and missed deadlines kept, ordinary traces dropped; throws counted, bot unharmed', async () => {
    expect(await bot.tracing.ready).toBe('provider');
    const sent = new Map<string, SentInteraction>();
    for (const name of ['ping', 'fail', 'ping', 'slow', 'ping'])
      sent.set(`${name}${sent.size}`, bot.sim.sendInteraction({ type: 'command', name }));
    const callbacks = await Promise.all([...sent.values()].map((s) => s.callback));
    expect(callbacks.map((c) => c.callbackType)).toEqual([4, 4, 4, 4, 4]);

    const root = (name: string) => bot.receiver.spans.find((s) => s.name === `discord.interaction ${name}`);
    // Exports keep their order and the slow one ends last: once it is here, the pings were decided.
    const slow = await until(() => root('slow'), 10_000, 'the slow trace');
    const fail = await until(() => root('fail'), 10_000, 'the failed trace');
    await until(
      () => bot.receiver.trace(fail.traceId).length === 2 && bot.receiver.trace(slow.traceId).length === 2,
    );
    expect(spanTree(bot.receiver.trace(fail.traceId))).toMatchInlineSnapshot(`
      "discord.interaction fail (server ERROR) [discord.initial_response, exception]
        POST /interactions/:id/:token/callback (client)"
    `);
    expect(spanTree(bot.receiver.trace(slow.traceId))).toMatchInlineSnapshot(`
      "discord.interaction slow (server) [deadline missed, discord.initial_response]
        POST /interactions/:id/:token/callback (client)"
    `);
    expect(root('ping')).toBeUndefined();
    expect(bot.receiver.spans.filter((s) => s.name === 'db.query')).toEqual([]);
    expect(bot.receiver.contentTypes.every((t) => t === 'application/x-protobuf')).toBe(true);

    expect(throws).toBeGreaterThan(0);
    expect(bot.counter('argus_instrumentation_errors_total', 'lifecycle:tracing')).toBe(throws);
    const text = bot.receiver.rawText();
    for (const s of sent.values()) expect(text).not.toContain(s.token);
  });
});
