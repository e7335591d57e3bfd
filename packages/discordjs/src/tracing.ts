// Tracing as argus() wires it: @argus/tracing is loaded only when enableTracing is on, in the
// background, behind a subscriber that forwards to it once it is there (the seam takes its
// subscribers synchronously; the bot is not logged in yet by the time the import resolves).
import { createRequire } from 'node:module';
import type {
  ArgusConfig,
  CommandRecord,
  FailOpenGuard,
  InteractionRecord,
  LifecycleSubscriber,
  Logger,
  MetricRegistry,
  NotableTrace,
} from '@argus/core';
import { isInstalled, MissingPackageError } from './optional';

type TracingModule = typeof import('@argus/tracing');
type Tracing = ReturnType<TracingModule['tracing']>;

/** Fails at start when enableTracing is on and a package it needs is missing. */
export function checkTracingPackages(
  installed: (pkg: string, from?: NodeJS.Require) => boolean = isInstalled,
): void {
  if (!installed('@argus/tracing'))
    throw new MissingPackageError('enableTracing', 'ARGUS_ENABLE_TRACING', '@argus/tracing');
  const from = createRequire(createRequire(import.meta.url).resolve('@argus/tracing'));
  if (!installed('@opentelemetry/api', from))
    throw new MissingPackageError('enableTracing', 'ARGUS_ENABLE_TRACING', '@opentelemetry/api');
}

export interface TracingHandle {
  readonly subscriber: LifecycleSubscriber;
  /** The trace of an interaction or command run, for exemplars; undefined until loaded. */
  traceIdOf(subject: InteractionRecord | CommandRecord): string | undefined;
  /** The newest failed, late and unanswered interactions with their trace ids (empty until loaded). */
  recentNotable(): NotableTrace[];
  /** The loaded tracing subscriber, once there. */
  readonly loaded: Promise<Tracing | undefined>;
  shutdown(): Promise<void>;
}

const FORWARDED = [
  'interactionReceived',
  'interactionResponded',
  'interactionDeadlineMissed',
  'interactionFinished',
  'commandStarted',
  'commandFinished',
  'restRequestStarted',
  'restRequestFinished',
  'rateLimited',
] as const;

export function createTracing(
  config: ArgusConfig,
  deps: {
    registry: MetricRegistry;
    guard: FailOpenGuard;
    logger: Logger;
    load?: () => Promise<TracingModule>;
  },
): TracingHandle {
  const load = deps.load ?? (() => import('@argus/tracing'));
  let target: Tracing | undefined;
  const loaded = load()
    .then(async (module) => {
      const SDK_PACKAGES = module.SDK_PACKAGES;
      target = module.tracing({
        ...(config.tracingEndpoint !== undefined ? { endpoint: config.tracingEndpoint } : {}),
        ...(config.tracingHeaders !== undefined ? { headers: config.tracingHeaders } : {}),
        sampleRatio: config.tracingSampleRatio,
        ids: {
          guild: config.tracingGuildIds,
          channel: config.tracingChannelIds,
          user: config.tracingUserIds,
        },
        serviceName: config.tracingServiceName,
        clusterId: config.clusterId,
        registry: deps.registry,
      });
      const mode = await target.ready;
      if (mode === 'provider')
        deps.logger.info('tracing: spans go to the tracer provider the bot registered');
      else if (mode === 'sdk') deps.logger.info(`tracing: spans go to ${originOf(config.tracingEndpoint!)}`);
      else if (config.tracingEndpoint === undefined)
        deps.logger.warn(
          'tracing is on, but no tracer provider is registered and no endpoint is set (ARGUS_TRACING_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT): spans go nowhere',
        );
      else
        deps.logger.warn(
          `tracing could not start its OpenTelemetry SDK; install ${SDK_PACKAGES.join(', ')} (spans go nowhere)`,
        );
      return target;
    })
    .catch((error: unknown) => {
      deps.guard.report('tracing:load', error);
      return undefined;
    });

  const subscriber: Record<string, unknown> = { name: 'tracing' };
  for (const event of FORWARDED) {
    subscriber[event] = (a: unknown, b: unknown, c: unknown) => {
      const t = target as unknown as Record<string, (a: unknown, b: unknown, c: unknown) => void> | undefined;
      t?.[event]?.(a, b, c);
    };
  }
  subscriber.runCommand = <R>(command: CommandRecord, run: () => R): R =>
    target?.runCommand ? target.runCommand(command, run) : run();
  // Declared up front (the seam reads its scopes once): plain interactionCreate listeners run
  // inside the interaction's span as soon as the module is there.
  subscriber.runInteraction = <R>(interaction: InteractionRecord, run: () => R): R =>
    target?.runInteraction ? target.runInteraction(interaction, run) : run();
  return {
    subscriber: subscriber as unknown as LifecycleSubscriber,
    traceIdOf(subject) {
      try {
        return target?.traceIdOf(subject);
      } catch {
        return undefined;
      }
    },
    recentNotable: () => target?.recentNotable() ?? [],
    loaded,
    async shutdown() {
      const t = await loaded;
      await t?.shutdown();
    },
  };
}

/** The endpoint as a log line may show it: no credentials, no query. */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the configured endpoint';
  }
}
