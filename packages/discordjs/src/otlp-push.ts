// OTLP metric push as argus() wires it from the config: @argus/otlp is loaded only when
// otlpEndpoint is set, in the background, and reads the same snapshot the dashboard uses.

import { createRequire } from 'node:module';
import type {
  ArgusConfig,
  FailOpenGuard,
  HealthState,
  Logger,
  MetricRegistry,
  MetricsSnapshot,
} from '@argus/core';
import { isInstalled, MissingPackageError } from './optional';

type OtlpModule = typeof import('@argus/otlp');

export interface OtlpPushHooks {
  snapshot: () => MetricsSnapshot | Promise<MetricsSnapshot>;
  registry: MetricRegistry;
  health: HealthState;
  guard: FailOpenGuard;
  logger: Logger;
  /** How @argus/otlp is loaded; tests replace it. */
  load?: () => Promise<OtlpModule>;
}

export interface OtlpPushHandle {
  /** Sends a last export within `deadlineMs`, then stops. Never rejects. */
  close(deadlineMs: number): Promise<void>;
}

/** The OpenTelemetry packages @argus/otlp takes as peers. */
const OTLP_PEERS = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-metrics-otlp-proto',
  '@opentelemetry/exporter-metrics-otlp-http',
];

/**
 * Fails at start, naming the package, when OTLP push is configured but @argus/otlp, or one of
 * the OpenTelemetry packages it needs beside it, is missing.
 */
export function checkOtlpPackage(from: NodeJS.Require = createRequire(import.meta.url)): void {
  if (!isInstalled('@argus/otlp', from))
    throw new MissingPackageError('otlpEndpoint', 'ARGUS_OTLP_ENDPOINT', '@argus/otlp');
  let fromOtlp: NodeJS.Require;
  try {
    fromOtlp = createRequire(from.resolve('@argus/otlp'));
  } catch {
    return;
  }
  for (const peer of OTLP_PEERS)
    if (!isInstalled(peer, fromOtlp))
      throw new MissingPackageError('otlpEndpoint', 'ARGUS_OTLP_ENDPOINT', peer);
}

export function startOtlpPush(config: ArgusConfig, hooks: OtlpPushHooks): OtlpPushHandle {
  const { guard } = hooks;
  const load = hooks.load ?? (() => import('@argus/otlp'));
  let closed = false;
  let push: { close(deadlineMs?: number): Promise<void> } | undefined;
  const loading = guard.run('otlp:load', async () => {
    const { otlp } = await load();
    if (closed) return;
    push = otlp({
      url: config.otlpEndpoint!,
      protocol: config.otlpProtocol,
      headers: config.otlpHeaders,
      compression: config.otlpCompression,
      temporality: config.otlpTemporality,
      intervalMs: Math.round(config.otlpInterval * 1000),
      timeoutMs: Math.round(config.otlpTimeout * 1000),
      ...(config.otlpServiceName !== undefined ? { serviceName: config.otlpServiceName } : {}),
      ...(config.otlpServiceVersion !== undefined ? { serviceVersion: config.otlpServiceVersion } : {}),
      resourceAttributes: config.otlpResourceAttributes,
    }).start({
      snapshot: hooks.snapshot,
      registry: hooks.registry,
      clusterId: config.clusterId,
      health: hooks.health,
      guard,
      logger: hooks.logger,
    });
  });
  return {
    async close(deadlineMs) {
      closed = true;
      await loading;
      await push?.close(deadlineMs);
    },
  };
}
