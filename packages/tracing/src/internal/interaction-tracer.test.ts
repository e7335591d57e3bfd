// The subscriber's bookkeeping of handlers against the real OpenTelemetry SDK (its TracerProvider
// and in-memory exporter), with lifecycle records made by hand: the cases a simulator run rarely
// reaches (several handlers on one interaction, a handler outliving a given-up interaction).
import type { CommandRecord, InteractionRecord } from '@argus/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { InteractionTracer } from './interaction-tracer';

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = new InteractionTracer({
    tracer: provider.getTracer('argus-test'),
    clusterId: 'c0',
    guildIds: true,
    channelIds: true,
    userIds: false,
    maxOpen: 100,
  });
  // The simple processor hands spans over in a microtask: flush before reading.
  const spans = async () => {
    await provider.forceFlush();
    return exporter.getFinishedSpans();
  };
  return { tracer, spans };
}

let nextId = 1;
function interaction(receivedAt: number): InteractionRecord {
  return {
    id: String(nextId++),
    receivedAt,
    typeIndex: 2,
    command: 'ping',
    guildId: '10',
    channelId: '20',
    userId: '30',
    shard: 0,
  };
}

function command(of: InteractionRecord): CommandRecord {
  return {
    kind: 'app',
    command: of.command,
    startedAt: of.receivedAt,
    interaction: of,
    guildId: '10',
    shard: 0,
  };
}

describe('InteractionTracer', () => {
  it('ends the root only when every handler of the interaction is over and it was answered', async () => {
    const { tracer, spans } = setup();
    const i = interaction(1);
    const first = command(i);
    const second = command(i);
    tracer.interactionReceived(i);
    tracer.commandStarted(first);
    tracer.commandStarted(second);
    tracer.interactionResponded(i, 5);
    tracer.interactionFinished(i, 5);
    tracer.commandFinished(first, 8, undefined);
    expect(await spans()).toHaveLength(0);
    tracer.commandFinished(second, 12, new TypeError('boom'));
    const [root, ...rest] = await spans();
    expect(rest).toHaveLength(0);
    expect(root?.name).toBe('discord.interaction ping');
    // Ends with the later handler, and carries its error.
    expect(root?.attributes['error.type']).toBe('TypeError');
    // Whole seconds too (the 11 ms may straddle a second of the clock), to within the rounding of
    // epoch milliseconds held in a double (a few hundred ns).
    const [startS, startNs] = root!.startTime;
    const [endS, endNs] = root!.endTime;
    const durationNs = (endS - startS) * 1e9 + (endNs - startNs);
    expect(Math.abs(durationNs - 11_000_000)).toBeLessThan(1_000);
  });

  it('a handler still running when its interaction is given up on ends without a span of its own', async () => {
    const { tracer, spans } = setup();
    const i = interaction(1);
    const handler = command(i);
    tracer.interactionReceived(i);
    tracer.commandStarted(handler);
    let active: string | undefined;
    tracer.runCommand(handler, () => {
      active = 'ran';
    });
    expect(active).toBe('ran');
    tracer.interactionFinished(i, null);
    expect((await spans()).map((s) => s.attributes['discord.interaction.answered'])).toEqual([false]);
    tracer.commandFinished(handler, 70_000, new Error('too late'));
    // No second root for the same run, and the closed root is not written into.
    expect(await spans()).toHaveLength(1);
    expect((await spans())[0]?.attributes['error.type']).toBeUndefined();
  });

  it('a command run outside any tracked interaction (a prefix command) gets a root of its own', async () => {
    const { tracer, spans } = setup();
    const prefix: CommandRecord = {
      kind: 'prefix',
      command: 'stats',
      startedAt: 2,
      interaction: undefined,
      guildId: null,
      shard: 0,
    };
    tracer.commandStarted(prefix);
    tracer.commandFinished(prefix, 4, undefined);
    expect((await spans()).map((s) => s.name)).toEqual(['discord.command stats']);
  });
});
