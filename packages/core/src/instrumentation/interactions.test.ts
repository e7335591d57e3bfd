import { describe, expect, it } from 'vitest';
import { RecordingBackend } from '../../test/recording-backend';
import { RecordingSubscriber } from '../../test/recording-subscriber';
import { defineCatalogue } from '../catalogue';
import { FailOpenGuard } from '../guard';
import { HealthState } from '../health';
import { type InteractionRecord, Lifecycle } from '../lifecycle';
import { MetricsRecorder } from '../recorders/metrics-recorder';
import { MetricRegistry } from '../registry';
import { InteractionTracker, trackingKey } from './interactions';

function setup(cap = 100) {
  const registry = new MetricRegistry();
  const backend = new RecordingBackend();
  registry.attach(backend);
  const catalogue = defineCatalogue(registry, {
    namespace: 'discord',
    sources: {},
    health: new HealthState(),
  });
  const recording = new RecordingSubscriber();
  const lifecycle = new Lifecycle([new MetricsRecorder(catalogue), recording], new FailOpenGuard());
  let evicted = 0;
  const tracker = new InteractionTracker(cap, lifecycle, () => evicted++);
  return { tracker, backend, recording, evicted: () => evicted };
}

const record = (id: string, receivedAt: number, command = 'ping'): InteractionRecord => ({
  id,
  receivedAt,
  typeIndex: 2,
  command,
  guildId: '1',
  channelId: '2',
  userId: null,
  shard: 0,
});

describe('InteractionTracker', () => {
  it('finds an interaction only while it is tracked, the newest one included', () => {
    const { tracker } = setup(2);
    const first = record('1400000000000000001', 0);
    tracker.receive(first);
    expect(tracker.get(first.id)).toBe(first);
    // Answered: no longer tracked, even though it was the newest received.
    tracker.answered(first.id, 10);
    expect(tracker.get(first.id)).toBeUndefined();

    const late = record('1400000000000000002', 0);
    tracker.receive(late);
    tracker.sweep(3_500); // past the deadline: still tracked, as late
    expect(tracker.get(late.id)).toBe(late);
    tracker.sweep(61_000); // given up on
    expect(tracker.get(late.id)).toBeUndefined();

    // Evicted at the cap: the newest is the one that pushed it out, the evicted one is gone.
    const a = record('1400000000000000003', 70_000);
    const b = record('1400000000000000004', 70_000);
    const c = record('1400000000000000005', 70_000);
    tracker.receive(a);
    tracker.receive(b);
    tracker.receive(c);
    expect(tracker.get(a.id)).toBeUndefined();
    expect(tracker.get(c.id)).toBe(c);
    // Re-received under the same id: the new record replaces the old one.
    const again = record(c.id, 70_001);
    tracker.receive(again);
    expect(tracker.get(c.id)).toBe(again);
    tracker.clear();
    expect(tracker.get(again.id)).toBeUndefined();
  });

  it('publishes receipt, response and finish once, and the recorder counts and times them', () => {
    const { tracker, backend, recording } = setup();
    tracker.receive(record('a', 1_000));
    tracker.answered('a', 1_250);
    tracker.answered('a', 2_000);
    expect(recording.events).toEqual(['received a ping', 'responded a', 'finished a answered']);
    expect(recording.timings.get('a')).toEqual({ responded: 250 });
    expect(backend.counters.get('discord_interactions_total{application_command,received}')).toBe(1);
    expect(
      backend.observations.get('discord_interaction_response_seconds{application_command,ping}'),
    ).toEqual([0.25]);
  });

  it('publishes a missed deadline once, and still a late answer', () => {
    const { tracker, backend, recording } = setup();
    tracker.receive(record('late', 0, 'slow'));
    tracker.receive(record('fresh', 2_500));
    tracker.sweep(3_100);
    tracker.sweep(3_200);
    expect(backend.counters.get('discord_interactions_unanswered_total{application_command,slow}')).toBe(1);
    expect(
      backend.counters.get('discord_interactions_unanswered_total{application_command,ping}'),
    ).toBeUndefined();
    tracker.answered('late', 4_000);
    expect(recording.about('late')).toEqual([
      'received late slow',
      'deadline-missed late',
      'responded late',
      'finished late answered',
    ]);
    expect(recording.timings.get('late')).toEqual({ 'deadline-missed': 3_000, responded: 4_000 });
    expect(
      backend.observations.get('discord_interaction_response_seconds{application_command,slow}'),
    ).toEqual([4]);
  });

  it('publishes a missed deadline before a late answer even when no sweep ran in between', () => {
    const { tracker, backend, recording } = setup();
    tracker.receive(record('a', 0, 'slow'));
    tracker.sweep(2_900);
    tracker.answered('a', 3_300);
    tracker.sweep(3_400);
    expect(recording.about('a')).toEqual([
      'received a slow',
      'deadline-missed a',
      'responded a',
      'finished a answered',
    ]);
    expect(backend.counters.get('discord_interactions_unanswered_total{application_command,slow}')).toBe(1);
  });

  it('finishes a late interaction when its id is received again, so each record finishes once', () => {
    const { tracker, recording } = setup();
    tracker.receive(record('x', 0, 'first'));
    tracker.sweep(3_500);
    tracker.receive(record('x', 4_000, 'second'));
    expect(recording.events).toEqual([
      'received x first',
      'deadline-missed x',
      'received x second',
      'finished x unanswered',
    ]);
    expect(tracker.size).toBe(1);
    tracker.answered('x', 4_100);
    expect(recording.events.slice(-2)).toEqual(['responded x', 'finished x answered']);
    expect(tracker.size).toBe(0);
  });

  it('finishes a never-answered interaction once it is given up on', () => {
    const { tracker, recording } = setup();
    tracker.receive(record('x', 0));
    tracker.sweep(3_500);
    tracker.sweep(59_000);
    expect(recording.about('x')).toEqual(['received x ping', 'deadline-missed x']);
    tracker.sweep(61_000);
    expect(recording.about('x')).toEqual(['received x ping', 'deadline-missed x', 'finished x unanswered']);
    expect(tracker.size).toBe(0);
  });

  it('stays bounded by the cap, counts evictions and finishes what it evicts', () => {
    const { tracker, evicted, recording } = setup(10);
    for (let i = 0; i < 25; i++) tracker.receive(record(String(i), i));
    expect(tracker.size).toBe(10);
    expect(evicted()).toBe(15);
    expect(recording.events.filter((e) => e.startsWith('finished'))).toHaveLength(15);
    expect(recording.about('0')).toEqual(['received 0 ping', 'finished 0 unanswered']);
  });

  it('finishes at once an interaction without an id (nothing could ever match it)', () => {
    const { tracker, recording } = setup();
    tracker.receive(record('', 0));
    expect(recording.events).toEqual(['received  ping', 'finished  unanswered']);
    expect(tracker.size).toBe(0);
  });

  it('matches a snowflake answered through a fresh copy of its id, and never another with the same key', () => {
    const { tracker, recording } = setup();
    const a = '1400000000000000123';
    const b = '2400000000000000123'; // the same last 15 digits: one key, two interactions
    tracker.receive(record(a, 0));
    const fromPath = `/interactions/${a}/tok/callback`.slice(14, 14 + a.length);
    tracker.answered(fromPath, 100);
    expect(recording.about(a)).toEqual([`received ${a} ping`, `responded ${a}`, `finished ${a} answered`]);

    tracker.receive(record(a, 200));
    tracker.receive(record(b, 300));
    // The one it displaced can never be matched again: finished at once, unanswered.
    expect(recording.events.at(-1)).toBe(`finished ${a} unanswered`);
    tracker.answered(a, 400);
    expect(recording.events.at(-1)).toBe(`finished ${a} unanswered`);
    expect(tracker.get(a)).toBeUndefined();
    expect(tracker.get(b)?.id).toBe(b);
    tracker.answered(b, 500);
    expect(recording.events.at(-1)).toBe(`finished ${b} answered`);
    expect(tracker.size).toBe(0);
  });

  it('keys snowflakes by number and anything else by the string', () => {
    expect(trackingKey('1400000000000000123')).toBe(123);
    expect(trackingKey('1234567890123456789')).toBe(567_890_123_456_789);
    expect(trackingKey('0')).toBe(0);
    expect(trackingKey('12a')).toBe('12a');
    expect(trackingKey('')).toBe('');
  });
});
