// One traced interaction: receipt → a wrapped command handler run inside the interaction's span
// → the callback response (the initial response event, the root span's end) → the span processor.
// @argus/tracing on core's lifecycle seam against a minimal hand-written OpenTelemetry
// instrumentation making the same span (same attributes, same event, the handler in its context,
// the end at the later of handler and response, errors marked) with the same SDK, in the same run;
// each pair once sampled and once not sampled.
//
// In process: real discord.js Clients, never logged in; interactions are emitted by hand and the
// callback request's attempt is made as in the interaction-lifecycle workload. The hand-written
// instrumentation sees the answer as Argus does, by wrapping the REST manager's request strategy
// (the REST `response` event would make @discordjs/rest clone every response). Both sides use the SDK's TracerProvider with Argus' span
// processor and an exporter that accepts every batch (no network): sampled = ratio 1, every span
// recorded and exported; not sampled = the provider's sampler records nothing.
import { defineCatalogue, FailOpenGuard, HealthState, INTERACTION_TYPES, MetricRegistry } from '@argus/core';
import { type DiscordInstrumentation, instrumentDiscordClient } from '@argus/core/discordjs';
import { ArgusSpanProcessor, type Tracing, tracing } from '@argus/tracing';
import {
  type Attributes,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Client, Interaction } from 'discord.js';
import {
  callbackRequest,
  offlineClient,
  type RestRequestStub,
  restAttempt,
  restStrategy,
} from '../fixtures/discord';
import { goals, type ResultRow, type Workload } from '../harness';

const POOL = 256;

class InteractionStub {
  readonly type = 2;
  readonly guild = { shardId: 0 };
  readonly channelId = '1200000000000000001';
  readonly user = { id: '1300000000000000001' };
  readonly options = {
    getSubcommandGroup: (_required?: boolean): string | null => null,
    getSubcommand: (_required?: boolean): string | null => null,
  };
  constructor(
    readonly id: string,
    readonly token: string,
    readonly commandName: string,
    readonly guildId: string,
  ) {}
  isChatInputCommand(): boolean {
    return true;
  }
}

function fixtures() {
  const interactions: InteractionStub[] = [];
  const requests: RestRequestStub[] = [];
  for (let i = 0; i < POOL; i++) {
    const id = String(1_400_000_000_000_000_000n + BigInt(i * 7919));
    const token = `aW50ZXJhY3Rpb246${'x'.repeat(160)}${i}`;
    interactions.push(new InteractionStub(id, token, i % 2 ? 'ping' : 'play', '1100000000000000000'));
    requests.push(callbackRequest(id, token));
  }
  return { interactions, requests };
}

let exportedSpans = 0;

function provider(sampled: boolean): TracerProvider {
  const exporter = {
    export(spans: unknown[], done: (r: { code: number }) => void) {
      exportedSpans += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  return new TracerProvider({
    ...(sampled ? {} : { sampler: new AlwaysOffSampler() }),
    spanProcessors: [
      new ArgusSpanProcessor({ exporter, sampleRatio: 1, maxQueueSize: 100_000, exportIntervalMs: 50 }),
    ],
  });
}

let handled = 0;
const handler = (interaction: Interaction) => {
  // What a handler does that the trace must see: it runs inside the interaction's span.
  if (trace.getActiveSpan() !== undefined) handled++;
  void interaction;
};

/**
 * The same span as @argus/tracing makes, written by hand as a careful bot author would: the root
 * span ends at the later of the handler's end and the initial response, and a handler that
 * throws (or rejects) marks it as an error with an exception event.
 */
function handWritten(client: Client, tracer: Tracer): void {
  interface Open {
    readonly span: Span;
    readonly at: number;
    responded: boolean;
    running: boolean;
  }
  const open = new Map<string, Open>();
  const failed = (span: Span, error: unknown) => {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  };
  const handlerEnded = (entry: Open) => {
    entry.running = false;
    if (entry.responded) entry.span.end();
  };
  client.on('interactionCreate', (interaction: Interaction) => {
    const raw = interaction as unknown as InteractionStub;
    const at = performance.now();
    // The span names the whole command ("config set"), as Argus' does.
    let sub: string | null = null;
    if (raw.isChatInputCommand()) {
      const group = raw.options.getSubcommandGroup(false);
      const leaf = raw.options.getSubcommand(false);
      if (group || leaf) sub = group && leaf ? `${group} ${leaf}` : (group ?? leaf);
    }
    const attributes: Attributes = {
      'discord.interaction.type': INTERACTION_TYPES[raw.type]!,
      'discord.interaction.id': raw.id,
      'discord.command.name': raw.commandName,
      'discord.shard.id': raw.guild.shardId,
      'discord.cluster': 'default',
      'discord.guild.id': raw.guildId,
      'discord.channel.id': raw.channelId,
    };
    if (sub !== null) attributes['discord.command.subcommand'] = sub;
    const span = tracer.startSpan(
      `discord.interaction ${sub === null ? raw.commandName : `${raw.commandName} ${sub}`}`,
      { kind: SpanKind.SERVER, attributes },
      ROOT_CONTEXT,
    );
    const entry: Open = { span, at, responded: false, running: true };
    open.set(raw.id, entry);
    let result: unknown;
    try {
      result = context.with(trace.setSpan(ROOT_CONTEXT, span), handler, undefined, interaction);
    } catch (error) {
      failed(span, error);
      handlerEnded(entry);
      throw error;
    }
    if (result instanceof Promise)
      result.then(
        () => handlerEnded(entry),
        (error: unknown) => {
          failed(span, error);
          handlerEnded(entry);
        },
      );
    else handlerEnded(entry);
  });
  const strategy = restStrategy(client);
  const send = strategy.makeRequest;
  const answered = (url: string, status: number) => {
    const match = CALLBACK.exec(url);
    if (match === null || status >= 300) return;
    const entry = open.get(match[1]!);
    if (entry === undefined) return;
    open.delete(match[1]!);
    const latency = performance.now() - entry.at;
    entry.span.setAttribute('discord.response.latency_ms', latency);
    entry.span.setAttribute('discord.interaction.deadline_met', latency <= 3_000);
    entry.span.addEvent('discord.initial_response', { 'discord.response.latency_ms': latency });
    entry.responded = true;
    if (!entry.running) entry.span.end();
  };
  strategy.makeRequest = (url, init) =>
    send(url, init).then((response) => {
      answered(url, response.status);
      return response;
    });
}

const CALLBACK = /\/interactions\/(\d+)\/[^/?]+\/callback(?:\?|$)/;

function withArgus(
  client: Client,
  tracerProvider: TracerProvider | undefined,
): { instrumentation: DiscordInstrumentation; traced: Tracing } {
  const registry = new MetricRegistry({ guard: new FailOpenGuard() });
  const traced = tracing({ ...(tracerProvider ? { tracerProvider } : {}), registry });
  const catalogue = defineCatalogue(registry, {
    namespace: 'discord',
    sources: {},
    health: new HealthState(),
  });
  const instrumentation = instrumentDiscordClient(client, {
    subscribers: tracerProvider ? [traced] : [],
    guard: registry.guard,
    catalogue,
    labelValueCap: 300,
    timerCap: 10_000,
  });
  const wrapped = instrumentation.wrapCommand(handler);
  client.on('interactionCreate', (interaction: Interaction) => wrapped(interaction));
  return { instrumentation, traced };
}

export const tracingInteraction: Workload = {
  name: 'tracing-interaction',
  title: 'Tracing one interaction (@argus/tracing vs hand-written OpenTelemetry)',
  description:
    'emit interactionCreate (a wrapped handler runs in the span), then the callback response; ' +
    '@argus/tracing on the lifecycle seam vs a hand-written instrumentation making the same span, same SDK, sampled and not.',
  unit: 'ns/op',
  baseline: 'hand-written, sampled',
  // The SDK's allocations make single rounds noisy (GC lands where it lands): more and longer rounds.
  rounds: 15,
  roundMs: 250,
  setup() {
    const { interactions, requests } = fixtures();
    // What NodeSDK registers: handlers see the span through AsyncLocalStorage.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    // One provider (and span processor) per variant, so no variant's queue is another's cost.
    const providers = [provider(true), provider(false), provider(true), provider(false)];
    const [handSampledProvider, handUnsampledProvider, argusSampledProvider, argusUnsampledProvider] =
      providers as [TracerProvider, TracerProvider, TracerProvider, TracerProvider];
    const clients: Client[] = [];
    const make = () => {
      const c = offlineClient();
      clients.push(c);
      return c;
    };
    const handSampled = make();
    handWritten(handSampled, handSampledProvider.getTracer('hand'));
    const handUnsampled = make();
    handWritten(handUnsampled, handUnsampledProvider.getTracer('hand'));
    const argusSampled = make();
    const a = withArgus(argusSampled, argusSampledProvider);
    const argusUnsampled = make();
    const b = withArgus(argusUnsampled, argusUnsampledProvider);
    const seamOnly = make();
    const c = withArgus(seamOnly, undefined);

    const loop = (client: Client) => async (n: number) => {
      for (let i = 0; i < n; i++) {
        const k = i & (POOL - 1);
        client.emit('interactionCreate', interactions[k] as never);
        await restAttempt(client, requests[k]!);
      }
    };
    return {
      notes: [
        `${POOL} distinct interactions; one op = receipt + wrapped handler + callback response; exporter in process, accepting every batch`,
      ],
      variants: [
        { name: 'hand-written, sampled', run: loop(handSampled) },
        { name: 'argus, sampled', goal: goals.ratioAtMost(1.2, 'hand-written'), run: loop(argusSampled) },
        { name: 'hand-written, not sampled', compareTo: 'hand-written, sampled', run: loop(handUnsampled) },
        {
          name: 'argus, not sampled',
          compareTo: 'hand-written, not sampled',
          goal: goals.ratioAtMost(1.2, 'hand-written, not sampled'),
          run: loop(argusUnsampled),
        },
        // What the seam costs without any subscriber (receipt record, wrapCommand, the callback
        // parse): the part of "argus" that is not tracing.
        { name: 'argus seam, no tracing', compareTo: 'hand-written, not sampled', run: loop(seamOnly) },
      ],
      conclude(rows: readonly ResultRow[]) {
        const ratio = (name: string) => rows.find((r) => r.variant === name)?.ratio.toFixed(2);
        const median = (name: string) => rows.find((r) => r.variant === name)?.median ?? Number.NaN;
        // What tracing adds on top of the seam argus() runs for its metrics anyway.
        const own = (variant: string, hand: string) =>
          ((median(variant) - median('argus seam, no tracing')) / median(hand)).toFixed(2);
        return [
          `argus/hand-written: sampled ${ratio('argus, sampled')}x, not sampled ${ratio('argus, not sampled')}x`,
          `tracing beyond the seam/hand-written: sampled ${own('argus, sampled', 'hand-written, sampled')}x, ` +
            `not sampled ${own('argus, not sampled', 'hand-written, not sampled')}x`,
          `check: handlers that ran inside a recording or non-recording span: ${handled}; spans exported: ${exportedSpans}`,
        ];
      },
      async teardown() {
        a.instrumentation.close();
        b.instrumentation.close();
        c.instrumentation.close();
        await a.traced.shutdown();
        await b.traced.shutdown();
        for (const p of providers) await p.shutdown();
        context.disable();
        for (const c of clients) await c.destroy();
      },
    };
  },
};
