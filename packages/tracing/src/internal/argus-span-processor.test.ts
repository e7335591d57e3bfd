// The sampling rule and its bounds on the real OpenTelemetry SDK (its TracerProvider and its
// in-memory exporter); the OTLP path is covered by the tests in test/.
import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import type { SpanDropReason } from '../types';
import { ArgusSpanProcessor } from './argus-span-processor';
import { DEADLINE_MET, TRACER_NAME } from './tracer-name';

function setup(options: { sampleRatio?: number; maxPendingTraces?: number; maxSpansPerTrace?: number }) {
  const exporter = new InMemorySpanExporter();
  const drops: Record<string, number> = {};
  const processor = new ArgusSpanProcessor({
    exporter,
    exportIntervalMs: 10,
    ...options,
    onDrop: (reason: SpanDropReason, count: number) => {
      drops[reason] = (drops[reason] ?? 0) + count;
    },
  });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer(TRACER_NAME);
  /** A root with `children` child spans, ended as told. */
  const traceWith = (
    children: number,
    end: (root: ReturnType<typeof tracer.startSpan>) => void = () => {},
  ) => {
    const root = tracer.startSpan('discord.interaction ping', {}, ROOT_CONTEXT);
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 0; i < children; i++) tracer.startSpan('POST /channels/:id/messages', {}, ctx).end();
    end(root);
    root.end();
    return root.spanContext().traceId;
  };
  const exported = async () => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };
  return { processor, tracer, drops, traceWith, exported };
}

describe('ArgusSpanProcessor sampling', () => {
  it('keeps errors and missed deadlines at ratio 0, drops the rest whole', async () => {
    const { traceWith, exported } = setup({ sampleRatio: 0 });
    traceWith(2);
    const failed = traceWith(1, (root) => root.setStatus({ code: SpanStatusCode.ERROR }));
    const late = traceWith(1, (root) => root.setAttribute(DEADLINE_MET, false));
    const spans = await exported();
    const traces = new Set(spans.map((s) => s.spanContext().traceId));
    expect([...traces].sort()).toEqual([failed, late].sort());
    expect(spans).toHaveLength(4);
  });

  it('keeps a trace whose child failed, at ratio 0', async () => {
    const { tracer, exported } = setup({ sampleRatio: 0 });
    const root = tracer.startSpan('discord.interaction ping', {}, ROOT_CONTEXT);
    const child = tracer.startSpan('POST /channels/:id/messages', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.setStatus({ code: SpanStatusCode.ERROR });
    child.end();
    root.end();
    expect((await exported()).map((s) => s.name)).toEqual([
      'POST /channels/:id/messages',
      'discord.interaction ping',
    ]);
  });

  it('keeps about the ratio of ordinary traces, each whole or not at all', async () => {
    const { traceWith, exported } = setup({ sampleRatio: 0.25, maxPendingTraces: 10 });
    const total = 2_000;
    for (let i = 0; i < total; i++) traceWith(1);
    const spans = await exported();
    const perTrace = new Map<string, number>();
    for (const s of spans)
      perTrace.set(s.spanContext().traceId, (perTrace.get(s.spanContext().traceId) ?? 0) + 1);
    expect([...perTrace.values()].every((n) => n === 2)).toBe(true);
    // 2000 draws at p = 0.25: the standard deviation is about 19 traces.
    expect(perTrace.size).toBeGreaterThan(400);
    expect(perTrace.size).toBeLessThan(600);
  });

  it('passes spans of traces it did not start through, sampled or not', async () => {
    const { processor, exported } = setup({ sampleRatio: 0 });
    // The bot's own spans, outside any interaction, on the same provider.
    const tracer = new TracerProvider({ spanProcessors: [processor] }).getTracer('bot');
    tracer.startSpan('nightly job').end();
    expect((await exported()).map((s) => s.name)).toEqual(['nightly job']);
  });

  it('bounds the traces awaiting a decision: the overflow is dropped and counted', async () => {
    const { tracer, drops, exported, processor } = setup({ maxPendingTraces: 2 });
    const roots = [0, 1, 2].map(() => tracer.startSpan('discord.interaction ping', {}, ROOT_CONTEXT));
    expect(processor.waitingTraces).toBe(2);
    for (const root of roots) {
      tracer.startSpan('POST /channels/:id/messages', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
      root.end();
    }
    expect(await exported()).toHaveLength(4);
    expect(drops).toEqual({ pending_full: 2 });
    expect(processor.waitingTraces).toBe(0);
  });

  it('bounds the spans held per trace: the excess is dropped and counted', async () => {
    const { traceWith, drops, exported } = setup({ maxSpansPerTrace: 2 });
    traceWith(5);
    expect(await exported()).toHaveLength(3);
    expect(drops).toEqual({ trace_too_large: 3 });
  });

  it('sends a span that ends after its kept root (a late follow-up) straight on', async () => {
    const { tracer, exported } = setup({ sampleRatio: 1 });
    const root = tracer.startSpan('discord.interaction ping', {}, ROOT_CONTEXT);
    const late = tracer.startSpan('POST /webhooks/:id/:token', {}, trace.setSpan(ROOT_CONTEXT, root));
    root.end();
    late.end();
    expect((await exported()).map((s) => s.name)).toEqual([
      'discord.interaction ping',
      'POST /webhooks/:id/:token',
    ]);
  });
});
