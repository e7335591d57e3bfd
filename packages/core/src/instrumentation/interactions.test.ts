import { describe, expect, it } from 'vitest';
import { RecordingBackend } from '../../test/recording-backend';
import { defineCatalogue, metricNames } from '../catalogue';
import { HealthState } from '../health';
import { MetricRegistry } from '../registry';
import { type InteractionOutcome, InteractionTracker } from './interactions';

function setup(cap = 100) {
  const registry = new MetricRegistry();
  const backend = new RecordingBackend();
  registry.attach(backend);
  defineCatalogue(registry, { namespace: 'discord', sources: {}, health: new HealthState() });
  const n = metricNames('discord');
  let evicted = 0;
  const outcomes: InteractionOutcome[] = [];
  const tracker = new InteractionTracker(
    cap,
    () => evicted++,
    registry.counter(n.interactions),
    registry.histogram(n.interactionResponse),
    registry.counter(n.interactionsUnanswered),
    (o) => outcomes.push(o),
  );
  return { tracker, backend, outcomes, evicted: () => evicted };
}

const entry = (at: number, command = 'ping') => ({ at, typeIndex: 2, command, guildId: '1', shard: 0 });

describe('InteractionTracker', () => {
  it('counts receipt by type and times the initial response', () => {
    const { tracker, backend, outcomes } = setup();
    tracker.receive('a', entry(1_000));
    tracker.answered('a', 1_250);
    expect(backend.counters.get('discord_interactions_total{application_command,received}')).toBe(1);
    expect(
      backend.observations.get('discord_interaction_response_seconds{application_command,ping}'),
    ).toEqual([0.25]);
    expect(outcomes[0]?.responseMs).toBe(250);
    tracker.answered('a', 2_000);
    expect(outcomes).toHaveLength(1);
  });

  it('counts an interaction unanswered past 3 s once, and still times a late answer', () => {
    const { tracker, backend } = setup();
    tracker.receive('late', entry(0, 'slow'));
    tracker.receive('fresh', entry(2_500, 'ping'));
    tracker.sweep(3_100);
    tracker.sweep(3_200);
    expect(backend.counters.get('discord_interactions_unanswered_total{application_command,slow}')).toBe(1);
    expect(
      backend.counters.get('discord_interactions_unanswered_total{application_command,ping}'),
    ).toBeUndefined();
    tracker.answered('late', 4_000);
    expect(
      backend.observations.get('discord_interaction_response_seconds{application_command,slow}'),
    ).toEqual([4]);
  });

  it('counts a late answer as unanswered even when no sweep ran in between', () => {
    const { tracker, backend } = setup();
    tracker.receive('a', entry(0, 'slow'));
    tracker.sweep(2_900);
    tracker.answered('a', 3_300);
    tracker.sweep(3_400);
    expect(backend.counters.get('discord_interactions_unanswered_total{application_command,slow}')).toBe(1);
    expect(
      backend.observations.get('discord_interaction_response_seconds{application_command,slow}'),
    ).toEqual([3.3]);
  });

  it('reports a never-answered interaction as an outcome after it is forgotten', () => {
    const { tracker, outcomes } = setup();
    tracker.receive('x', entry(0));
    tracker.sweep(3_500);
    tracker.sweep(61_000);
    expect(outcomes).toEqual([{ inFlight: entry(0), responseMs: null }]);
    expect(tracker.size).toBe(0);
  });

  it('stays bounded by the cap and counts evictions', () => {
    const { tracker, evicted } = setup(10);
    for (let i = 0; i < 25; i++) tracker.receive(String(i), entry(i));
    expect(tracker.size).toBe(10);
    expect(evicted()).toBe(15);
  });
});
