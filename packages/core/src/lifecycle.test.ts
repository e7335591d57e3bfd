import { describe, expect, it } from 'vitest';
import { RecordingBackend } from '../test/recording-backend';
import { FailOpenGuard } from './guard';
import { type CommandRecord, type InteractionRecord, Lifecycle, type LifecycleSubscriber } from './lifecycle';
import { MetricRegistry } from './registry';

const command: CommandRecord = {
  kind: 'app',
  command: 'ping',
  startedAt: 0,
  interaction: undefined,
  guildId: null,
  shard: 0,
};

const interactionRecord = (id: string): InteractionRecord => ({
  id,
  receivedAt: 0,
  typeIndex: 2,
  command: 'ping',
  guildId: null,
  channelId: null,
  userId: null,
  shard: 0,
});

function counted() {
  const registry = new MetricRegistry();
  const backend = new RecordingBackend();
  registry.attach(backend);
  const errors = (hook: string) => backend.counters.get(`argus_instrumentation_errors_total{${hook}}`) ?? 0;
  return { guard: registry.guard, errors };
}

describe('Lifecycle', () => {
  it('publishes nothing for an event no subscriber wants', () => {
    const lifecycle = new Lifecycle([{ name: 'a', restResponse() {} }], new FailOpenGuard());
    expect(lifecycle.restResponse).toBeTypeOf('function');
    expect(lifecycle.interactionReceived).toBeUndefined();
    expect(lifecycle.shardStateChanged).toBeUndefined();
    expect(new Lifecycle([], new FailOpenGuard()).empty).toBe(true);
    expect(lifecycle.empty).toBe(false);
  });

  it('calls every subscriber in order, with the arguments as published', () => {
    const heard: string[] = [];
    const sub = (name: string): LifecycleSubscriber => ({
      name,
      restResponse: (method, route, status) => heard.push(`${name} ${method} ${route} ${status}`),
    });
    const lifecycle = new Lifecycle([sub('a'), sub('b')], new FailOpenGuard());
    lifecycle.restResponse?.('GET', '/gateway/bot', 200);
    expect(heard).toEqual(['a GET /gateway/bot 200', 'b GET /gateway/bot 200']);
  });

  it('isolates a subscriber that throws, counts it under its name, and keeps calling the others', () => {
    const { guard, errors } = counted();
    const heard: number[] = [];
    const lifecycle = new Lifecycle(
      [
        {
          name: 'broken',
          shardStateChanged() {
            throw new Error('boom');
          },
        },
        { name: 'fine', shardStateChanged: (shard) => heard.push(shard) },
      ],
      guard,
    );
    expect(() => lifecycle.shardStateChanged?.(3, 'ready')).not.toThrow();
    lifecycle.shardStateChanged?.(4, 'resumed');
    expect(heard).toEqual([3, 4]);
    expect(errors('lifecycle:broken')).toBe(2);
  });

  it('runs a command inside every scope, outermost first, and returns what the handler returned', () => {
    const order: string[] = [];
    const scope = (name: string): LifecycleSubscriber => ({
      name,
      runCommand<R>(_c: CommandRecord, run: () => R): R {
        order.push(`enter ${name}`);
        const result = run();
        order.push(`leave ${name}`);
        return result;
      },
    });
    const lifecycle = new Lifecycle([scope('a'), scope('b')], new FailOpenGuard());
    const result = lifecycle.runCommand(command, () => {
      order.push('handler');
      return 42;
    });
    expect(result).toBe(42);
    expect(order).toEqual(['enter a', 'enter b', 'handler', 'leave b', 'leave a']);
  });

  it("passes the handler's own error through a scope untouched, and counts nothing for it", () => {
    const { guard, errors } = counted();
    const failure = new Error('handler failed');
    const lifecycle = new Lifecycle([{ name: 'scope', runCommand: (_c, run) => run() }], guard);
    expect(() =>
      lifecycle.runCommand(command, () => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(errors('lifecycle:scope')).toBe(0);
  });

  it('runs the handler exactly once whatever a broken scope does, and counts the scope', () => {
    const { guard, errors } = counted();
    const scopes: Record<string, LifecycleSubscriber['runCommand']> = {
      'throws before': () => {
        throw new Error('no');
      },
      'never runs': () => undefined as never,
      'throws after': (_c, run) => {
        run();
        throw new Error('late');
      },
      'swallows the error': <R>(_c: CommandRecord, run: () => R): R => {
        try {
          return run();
        } catch {
          return 'swallowed' as R;
        }
      },
      'runs twice': (_c, run) => {
        run();
        return run();
      },
    };
    for (const [name, runCommand] of Object.entries(scopes)) {
      const lifecycle = new Lifecycle([{ name, runCommand } as LifecycleSubscriber], guard);
      let calls = 0;
      expect(
        lifecycle.runCommand(command, () => ++calls),
        name,
      ).toBe(1);
      expect(calls, name).toBe(1);
      const failure = new Error(`handler ${name}`);
      expect(
        () =>
          lifecycle.runCommand(command, () => {
            throw failure;
          }),
        name,
      ).toThrow(failure);
    }
    expect(errors('lifecycle:throws before')).toBe(2);
    expect(errors('lifecycle:never runs')).toBe(2);
    expect(errors('lifecycle:throws after')).toBe(1);
    expect(errors('lifecycle:swallows the error')).toBe(0);
    expect(errors('lifecycle:runs twice')).toBe(1);
  });

  it('never runs the handler again when a scope calls it after returning', async () => {
    const { guard, errors } = counted();
    let later: (() => unknown) | undefined;
    const lifecycle = new Lifecycle(
      [
        {
          name: 'deferred',
          runCommand: <R>(_c: CommandRecord, run: () => R): R => {
            later = run;
            return undefined as R;
          },
        },
      ],
      guard,
    );
    let calls = 0;
    expect(lifecycle.runCommand(command, () => ++calls)).toBe(1);
    expect(() => later?.()).toThrow('ran the handler twice');
    await Promise.resolve();
    expect(calls).toBe(1);
    expect(errors('lifecycle:deferred')).toBe(1);
  });

  it('scopes the delivery of an interaction like a command: outermost first, exactly once', () => {
    const { guard, errors } = counted();
    const interaction = interactionRecord('1');
    const order: string[] = [];
    const scope = (name: string): LifecycleSubscriber => ({
      name,
      runInteraction<R>(i: InteractionRecord, run: () => R): R {
        order.push(`enter ${name} ${i.id}`);
        const result = run();
        order.push(`leave ${name}`);
        return result;
      },
    });
    const broken: LifecycleSubscriber = {
      name: 'broken',
      runInteraction: () => {
        throw new Error('no');
      },
    };
    const lifecycle = new Lifecycle([scope('a'), broken, scope('b')], guard);
    expect(lifecycle.interactionScoped).toBe(true);
    expect(lifecycle.scoped).toBe(false);
    expect(lifecycle.empty).toBe(false);
    expect(
      lifecycle.runInteraction(interaction, () => {
        order.push('deliver');
        return true;
      }),
    ).toBe(true);
    expect(order).toEqual(['enter a 1', 'enter b 1', 'deliver', 'leave b', 'leave a']);
    expect(errors('lifecycle:broken')).toBe(1);
  });

  it('skips the command scope of a subscriber whose interaction scope the handler already runs in', () => {
    const entered: string[] = [];
    const both: LifecycleSubscriber = {
      name: 'both',
      runInteraction: (i, run) => {
        entered.push(`both:interaction ${i.id}`);
        return run();
      },
      runCommand: (c, run) => {
        entered.push(`both:command ${c.interaction?.id}`);
        return run();
      },
    };
    const commandsOnly: LifecycleSubscriber = {
      name: 'commands-only',
      runCommand: (c, run) => {
        entered.push(`commands-only:command ${c.interaction?.id}`);
        return run();
      },
    };
    const lifecycle = new Lifecycle([both, commandsOnly], new FailOpenGuard());
    const a = interactionRecord('a');
    const ran = (i: InteractionRecord) => lifecycle.runCommand({ ...command, interaction: i }, () => i.id);
    let later: (() => string) | undefined;
    lifecycle.runInteraction(a, () => {
      expect(ran(a)).toBe('a');
      // Another interaction's handler during this delivery is not in its scope.
      expect(ran(interactionRecord('b'))).toBe('b');
      later = () => ran(a);
    });
    expect(entered).toEqual([
      'both:interaction a',
      'commands-only:command a',
      'both:command b',
      'commands-only:command b',
    ]);
    // After the delivery, the same interaction's handler enters every command scope again.
    entered.length = 0;
    expect(later?.()).toBe('a');
    expect(entered).toEqual(['both:command a', 'commands-only:command a']);
  });
});
