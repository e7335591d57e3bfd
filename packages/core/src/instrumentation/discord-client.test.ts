// Hostile shapes into the discord.js layer, on a real discord.js Client that never logs in: the
// events are emitted as discord.js would emit them, with payloads no well-behaved Discord sends.
import { Client, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingBackend } from '../../test/recording-backend';
import { defineCatalogue } from '../catalogue';
import { HealthState } from '../health';
import type { InteractionRecord, LifecycleSubscriber } from '../lifecycle';
import { MetricsRecorder } from '../recorders/metrics-recorder';
import { MetricRegistry } from '../registry';
import { type DiscordInstrumentation, instrumentDiscordClient } from './discord-client';

const open: { client: Client; instrumentation: DiscordInstrumentation }[] = [];
afterEach(async () => {
  for (const { client, instrumentation } of open.splice(0)) {
    instrumentation.close();
    await client.destroy();
  }
});

function attach(extra: LifecycleSubscriber[] = []) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds] });
  return attachTo(client, extra);
}

function attachTo(client: Client, extra: LifecycleSubscriber[] = []) {
  const registry = new MetricRegistry();
  const backend = new RecordingBackend();
  registry.attach(backend);
  const catalogue = defineCatalogue(registry, {
    namespace: 'discord',
    sources: {},
    health: new HealthState(),
  });
  const instrumentation = instrumentDiscordClient(client, {
    subscribers: [new MetricsRecorder(catalogue), ...extra],
    guard: registry.guard,
    catalogue,
    labelValueCap: 300,
    timerCap: 100,
  });
  open.push({ client, instrumentation });
  const received = (type: string) =>
    backend.counters.get(`discord_interactions_total{${type},received}`) ?? 0;
  const errors = () =>
    [...backend.counters].filter(([k, v]) => k.startsWith('argus_instrumentation_errors_total') && v > 0);
  return { client, backend, received, errors, close: () => instrumentation.close() };
}

describe('hostile shapes', () => {
  it('counts an interaction whose type cannot be read, or is not an integer 1..5, as unknown', () => {
    const { client, received, errors } = attach();
    const throwing = {
      id: '1',
      get type(): number {
        throw new Error('no type');
      },
    };
    for (const interaction of [throwing, { id: '2', type: 2.5 }, { id: '3', type: '2' }, { id: '4' }, null])
      client.emit('interactionCreate', interaction as never);
    client.emit('interactionCreate', { id: '5', type: 3 } as never);
    expect(received('unknown')).toBe(5);
    expect(received('component')).toBe(1);
    expect(received('undefined')).toBe(0);
    expect(errors()).toEqual([]);
  });

  it('counts a gateway dispatch whose name is not a string as unknown, as a string label', () => {
    const { client, backend } = attach();
    for (const t of [42, { evil: true }, ['A'], 'MESSAGE_CREATE']) client.emit('raw', { t } as never);
    client.emit('raw', { t: null } as never);
    client.emit('raw', null as never);
    expect(backend.counters.get('discord_gateway_events_total{unknown}')).toBe(3);
    expect(backend.counters.get('discord_gateway_events_total{MESSAGE_CREATE}')).toBe(1);
    const labels = [...backend.counters.keys()].filter((k) => k.startsWith('discord_gateway_events_total'));
    expect(labels.sort()).toEqual([
      'discord_gateway_events_total{MESSAGE_CREATE}',
      'discord_gateway_events_total{unknown}',
    ]);
  });

  it('survives REST responses and events with missing or wrong fields', async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    // What the manager's request strategy resolves with, as no well-behaved one would.
    const answers: unknown[] = [null, { status: '200' }, { status: 204 }];
    const rest = client.rest as unknown as {
      options: { makeRequest: (...args: unknown[]) => Promise<unknown> };
    };
    rest.options.makeRequest = async () => answers.shift();
    const { backend, errors } = attachTo(client);
    const request = rest.options.makeRequest;
    await request('https://discord.com/api/v10/channels/1/messages', { method: 7 });
    await request('https://discord.com/api/v10/channels/1/messages', {});
    await request(42, undefined);
    client.rest.emit('rateLimited', null as never);
    expect(errors()).toEqual([]);
    expect(backend.counters.get('discord_rest_responses_total{GET,/channels/:id/messages,unknown}')).toBe(2);
    expect(backend.counters.get('discord_ratelimits_total{user,GET,/}')).toBe(1);
  });
});

describe('a subscriber that scopes the delivery of interactions', () => {
  function scoping() {
    const scope = { inside: 0, entered: [] as string[] };
    const subscriber: LifecycleSubscriber = {
      name: 'scope',
      runInteraction<R>(interaction: InteractionRecord, run: () => R): R {
        scope.entered.push(interaction.id);
        scope.inside++;
        try {
          return run();
        } finally {
          scope.inside--;
        }
      },
    };
    return { scope, subscriber };
  }

  it("runs the bot's own plain listeners inside the scope, and passes every other event through unchanged", () => {
    const { scope, subscriber } = scoping();
    const { client, received } = attach([subscriber]);
    const seen: number[] = [];
    client.on('interactionCreate', () => seen.push(scope.inside));
    const raw: unknown[][] = [];
    client.on('raw', (...args: unknown[]) => raw.push(args));
    client.emit('interactionCreate', { id: '7', type: 2 } as never);
    client.emit('raw', { t: 'READY' } as never, 0 as never);
    client.emit('raw', { t: 'READY' } as never);
    (client.emit as (...args: unknown[]) => boolean)('raw');
    (client.emit as (...args: unknown[]) => boolean)('raw', 1, 2, 3);
    expect(seen).toEqual([1]);
    expect(scope.entered).toEqual(['7']);
    expect(received('application_command')).toBe(1);
    // The same arguments, the same count: a listener with rest parameters sees no extra undefined.
    expect(raw).toEqual([[{ t: 'READY' }, 0], [{ t: 'READY' }], [], [1, 2, 3]]);
  });

  it('delivers an interaction emitted with more arguments with all of them, inside the scope', () => {
    const { scope, subscriber } = scoping();
    const { client } = attach([subscriber]);
    const heard: unknown[][] = [];
    client.on('interactionCreate', (...args: unknown[]) => heard.push([scope.inside, ...args]));
    (client.emit as (...args: unknown[]) => boolean)('interactionCreate', { id: '10', type: 2 }, 'extra', 3);
    expect(heard).toEqual([[1, { id: '10', type: 2 }, 'extra', 3]]);
    expect(scope.entered).toEqual(['10']);
  });

  it('delivers exactly once when the scope throws, and counts it', () => {
    const broken: LifecycleSubscriber = {
      name: 'broken',
      runInteraction: () => {
        throw new Error('no');
      },
    };
    const { client, backend } = attach([broken]);
    let delivered = 0;
    client.on('interactionCreate', () => delivered++);
    client.emit('interactionCreate', { id: '8', type: 2 } as never);
    expect(delivered).toBe(1);
    expect(backend.counters.get('argus_instrumentation_errors_total{lifecycle:broken}')).toBe(1);
  });

  it("gives the client its own emit back on close, or stays a pass-through under someone else's wrapper", () => {
    const { scope, subscriber } = scoping();
    const bare = new Client({ intents: [GatewayIntentBits.Guilds] });
    const original = bare.emit;
    const first = attachTo(bare, [subscriber]);
    first.close();
    expect(bare.emit).toBe(original);

    const second = attachTo(bare, [subscriber]);
    const theirs = bare.emit;
    bare.emit = function (this: Client, ...args: Parameters<Client['emit']>) {
      return theirs.apply(this, args);
    } as Client['emit'];
    const wrappedAfter = bare.emit;
    second.close();
    expect(bare.emit).toBe(wrappedAfter);
    let delivered = 0;
    bare.on('interactionCreate', () => delivered++);
    bare.emit('interactionCreate', { id: '9', type: 2 } as never);
    expect(delivered).toBe(1);
    expect(scope.entered).toEqual([]);
  });
});
