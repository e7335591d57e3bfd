import { describe, expect, it } from 'vitest';
import {
  type ArgusEvent,
  EVENT_TYPES,
  findEventProblem,
  MAX_EVENT_TEXT_LENGTH,
  normalizeEvent,
} from './events';

const good: ArgusEvent = {
  time: 1_780_000_000_123,
  cluster: 'default',
  shard: 3,
  guildId: '123456789012345678',
  event: 'command',
  type: 'application_command',
  command: 'ping',
  status: 'error',
  errorType: 'TypeError',
  durationMs: 12.5,
  responseMs: null,
};

describe('normalizeEvent', () => {
  it('keeps a well-formed event as it is', () => {
    expect(normalizeEvent(good)).toEqual(good);
    const interaction = { ...good, event: 'interaction', status: 'answered', responseMs: 40 } as const;
    expect(normalizeEvent(interaction)).toEqual(interaction);
    expect(EVENT_TYPES).toContain('prefix');
  });

  it('falls back to shard 0 for a negative, fractional, huge or non-number shard', () => {
    for (const shard of [-1, 1.5, 70_000, Number.NaN, '2'])
      expect(normalizeEvent({ ...good, shard } as unknown as ArgusEvent).shard).toBe(0);
  });

  it('replaces lone surrogates and bounds text, never splitting a pair', () => {
    const e = normalizeEvent({ ...good, command: 'a\ud800b', errorType: '\udfffErr', cluster: 'c\ud83d' });
    expect(e.command).toBe('a\ufffdb');
    expect(e.errorType).toBe('\ufffdErr');
    expect(e.cluster).toBe('c\ufffd');
    const long = normalizeEvent({ ...good, command: `${'x'.repeat(MAX_EVENT_TEXT_LENGTH - 1)}😀tail` });
    expect(long.command).toBe('x'.repeat(MAX_EVENT_TEXT_LENGTH - 1));
    expect(normalizeEvent({ ...good, guildId: '9'.repeat(100) }).guildId).toHaveLength(32);
  });

  it('keeps status, event and type within their sets', () => {
    const odd = (patch: object) => normalizeEvent({ ...good, ...patch } as unknown as ArgusEvent);
    expect(odd({ type: 'bogus' }).type).toBe('unknown');
    expect(odd({ status: 'answered' }).status).toBe('error'); // a command has an errorType
    expect(odd({ status: 'weird', errorType: '' }).status).toBe('success');
    expect(odd({ event: 'x', status: 'success' }).event).toBe('command');
    expect(odd({ event: 'x', status: 'x', responseMs: 5 })).toMatchObject({
      event: 'interaction',
      status: 'answered',
    });
    expect(odd({ event: 'interaction', status: 'success' }).status).toBe('unanswered');
  });

  it('turns broken numbers into null and a broken time into now', () => {
    const before = Date.now();
    const e = normalizeEvent({
      ...good,
      time: Number.POSITIVE_INFINITY,
      durationMs: -1,
      responseMs: Number.NaN,
    });
    expect(e.time).toBeGreaterThanOrEqual(before);
    expect(e.time).toBeLessThanOrEqual(Date.now());
    expect(e.durationMs).toBeNull();
    expect(e.responseMs).toBeNull();
    expect(normalizeEvent({ ...good, time: -5 }).time).toBeGreaterThanOrEqual(before);
  });

  it('never throws, whatever it is given', () => {
    for (const junk of [null, undefined, 42, 'text', [], { guildId: 7, command: {} }]) {
      const e = normalizeEvent(junk as unknown as ArgusEvent);
      expect(e).toMatchObject({ shard: 0, event: 'interaction', status: 'unanswered', type: 'unknown' });
      expect(e.guildId).toBeNull();
    }
  });
});

describe('findEventProblem', () => {
  it('names the first field the table cannot store, and passes every normalised event', () => {
    expect(findEventProblem(good)).toBeUndefined();
    const problem = (patch: object) => findEventProblem({ ...good, ...patch } as unknown as ArgusEvent);
    expect(problem({ shard: -1 })).toMatch(/^shard/);
    expect(problem({ shard: 1.5 })).toMatch(/^shard/);
    expect(problem({ command: 'a\ud800' })).toMatch(/^command/);
    expect(problem({ errorType: 'x'.repeat(MAX_EVENT_TEXT_LENGTH + 1) })).toMatch(/^errorType/);
    expect(problem({ status: 'bogus' })).toMatch(/^status/);
    // Storable, if odd: the normaliser is what makes a status fit its event.
    expect(problem({ status: 'answered' })).toBeUndefined();
    expect(problem({ type: 7 })).toMatch(/^type/);
    expect(problem({ type: 'message_component' })).toBeUndefined();
    expect(problem({ time: Number.NaN })).toMatch(/^time/);
    expect(problem({ durationMs: -1 })).toMatch(/^durationMs/);
    expect(problem({ guildId: '' })).toMatch(/^guildId/);
    expect(findEventProblem(null as unknown as ArgusEvent)).toBe('not an object');
    for (const junk of [
      null,
      { shard: -1, command: '\udfff', status: 'x', time: -1 },
      { ...good, event: 'x' },
    ])
      expect(findEventProblem(normalizeEvent(junk as unknown as ArgusEvent))).toBeUndefined();
  });
});
