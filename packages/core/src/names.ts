// The catalogue's metric names, with no Node.js import: the dashboard bundles this file
// (`@argus/core/names`) so the browser and the bot can never disagree on a name.

/** Every catalogue metric name for a namespace. `argus_*` names are never namespaced. */
export function metricNames(namespace: string) {
  const ns = namespace;
  return Object.freeze({
    shardLatency: `${ns}_shard_latency_seconds`,
    shardUp: `${ns}_shard_up`,
    shardsConnected: `${ns}_shards_connected`,
    shardsConfigured: `${ns}_shards_configured`,
    guilds: `${ns}_guilds`,
    cachedUsers: `${ns}_cached_users`,
    channels: `${ns}_channels`,
    emojis: `${ns}_emojis`,
    stickers: `${ns}_stickers`,
    voiceConnections: `${ns}_voice_connections`,
    appCommandsRegistered: `${ns}_app_commands_registered`,
    uptime: `${ns}_uptime_seconds`,
    eventLoopLag: `${ns}_event_loop_lag_seconds`,
    botInfo: `${ns}_bot_info`,
    interactions: `${ns}_interactions_total`,
    interactionsUnanswered: `${ns}_interactions_unanswered_total`,
    interactionResponse: `${ns}_interaction_response_seconds`,
    appCommands: `${ns}_app_commands_total`,
    appCommandDuration: `${ns}_app_command_duration_seconds`,
    commands: `${ns}_commands_total`,
    commandDuration: `${ns}_command_duration_seconds`,
    commandErrors: `${ns}_command_errors_total`,
    gatewayEvents: `${ns}_gateway_events_total`,
    shardDisconnects: `${ns}_shard_disconnects_total`,
    shardReconnects: `${ns}_shard_reconnects_total`,
    logRecords: `${ns}_log_records_total`,
    rateLimits: `${ns}_ratelimits_total`,
    restResponses: `${ns}_rest_responses_total`,
    restInvalidRequests: `${ns}_rest_invalid_requests_total`,
    restDuration: `${ns}_rest_request_duration_seconds`,
    up: 'argus_up',
    subsystemUp: 'argus_subsystem_up',
    instrumentationErrors: 'argus_instrumentation_errors_total',
    labelValuesFolded: 'argus_label_values_folded_total',
    timersEvicted: 'argus_timers_evicted_total',
    eventsDropped: 'argus_history_events_dropped_total',
    eventsWritten: 'argus_history_events_written_total',
    historyQueued: 'argus_history_queue_events',
    // Defined by the optional adapters when they run; named here so boards and rules agree.
    otlpExports: 'argus_otlp_exports_total',
    pushgatewayPushes: 'argus_pushgateway_pushes_total',
    tracingSpansDropped: 'argus_tracing_spans_dropped_total',
  });
}

export type MetricNames = ReturnType<typeof metricNames>;
