import { describe, expect, it } from 'vitest';
import { RecordingBackend } from '../test/recording-backend';
import { defineCatalogue, metricNames } from './catalogue';
import { HealthState } from './health';
import { MetricRegistry } from './registry';

describe('catalogue', () => {
  // A reviewed list: any change to a name, kind or label set of the catalogue must update it.
  it('defines exactly the reviewed metrics, kinds and labels', () => {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'c' } });
    defineCatalogue(registry, { namespace: 'discord', sources: {}, health: new HealthState() });
    const listing = registry
      .definitions()
      .map((d) => `${d.kind.padEnd(9)} ${d.name}{${d.labelNames.join(',')}}`);
    expect(listing).toMatchInlineSnapshot(`
      [
        "counter   argus_label_values_folded_total{metric,cluster}",
        "counter   argus_instrumentation_errors_total{hook,cluster}",
        "gauge     discord_shard_latency_seconds{shard,cluster}",
        "gauge     discord_shard_up{shard,cluster}",
        "gauge     discord_shards_connected{cluster}",
        "gauge     discord_shards_configured{cluster}",
        "gauge     discord_guilds{cluster}",
        "gauge     discord_cached_users{cluster}",
        "gauge     discord_channels{cluster}",
        "gauge     discord_emojis{cluster}",
        "gauge     discord_stickers{cluster}",
        "gauge     discord_voice_connections{cluster}",
        "gauge     discord_app_commands_registered{cluster}",
        "gauge     discord_uptime_seconds{cluster}",
        "gauge     discord_event_loop_lag_seconds{cluster}",
        "gauge     argus_up{cluster}",
        "gauge     argus_subsystem_up{subsystem,cluster}",
        "info      discord_bot_info{discordjs_version,argus_version,node_version,cluster}",
        "counter   discord_interactions_total{type,status,cluster}",
        "counter   discord_interactions_unanswered_total{type,command,cluster}",
        "histogram discord_interaction_response_seconds{type,command,cluster}",
        "counter   discord_app_commands_total{command,status,cluster}",
        "histogram discord_app_command_duration_seconds{command,cluster}",
        "counter   discord_commands_total{command,status,cluster}",
        "histogram discord_command_duration_seconds{command,cluster}",
        "counter   discord_command_errors_total{command,error_type,cluster}",
        "counter   discord_gateway_events_total{event,cluster}",
        "counter   discord_shard_disconnects_total{shard,cluster}",
        "counter   discord_shard_reconnects_total{shard,cluster}",
        "counter   discord_log_records_total{logger,level,cluster}",
        "counter   discord_ratelimits_total{scope,method,route,cluster}",
        "counter   discord_rest_responses_total{method,route,status_class,cluster}",
        "counter   discord_rest_invalid_requests_total{status,cluster}",
        "histogram discord_rest_request_duration_seconds{method,route,cluster}",
        "counter   argus_timers_evicted_total{cluster}",
        "counter   argus_history_events_dropped_total{reason,cluster}",
        "counter   argus_history_events_written_total{cluster}",
      ]
    `);
  });

  it('applies the namespace to bot metrics but never to argus_* self-metrics', () => {
    const n = metricNames('mybot');
    expect(n.interactions).toBe('mybot_interactions_total');
    expect(n.instrumentationErrors).toBe('argus_instrumentation_errors_total');
    expect(n.up).toBe('argus_up');
  });

  it('emits no sample for a missing source and reads the sources it has', () => {
    const registry = new MetricRegistry();
    const backend = new RecordingBackend();
    registry.attach(backend);
    const health = new HealthState();
    health.enable('server');
    health.enable('sink', true);
    let guilds = 3;
    defineCatalogue(registry, {
      namespace: 'discord',
      health,
      sources: {
        guilds: () => guilds,
        shards: () => [
          { id: 0, latencySeconds: 0.05, up: true },
          { id: 1, latencySeconds: Number.NaN, up: false },
        ],
      },
    });
    expect(backend.readGauge('discord_emojis').samples).toEqual([]);
    expect(backend.readGauge('discord_guilds').samples).toEqual([[3, []]]);
    guilds = 4;
    expect(backend.readGauge('discord_guilds').samples).toEqual([[4, []]]);
    expect(backend.readGauge('discord_shard_latency_seconds').samples).toEqual([[0.05, ['0']]]);
    expect(backend.readGauge('discord_shard_up').samples).toEqual([
      [1, ['0']],
      [0, ['1']],
    ]);
    expect(backend.readGauge('discord_shards_connected').samples).toEqual([[1, []]]);
    expect(backend.readGauge('argus_subsystem_up').samples).toEqual([
      [0, ['server']],
      [1, ['sink']],
    ]);
  });
});
