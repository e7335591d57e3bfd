import { version as argusVersion, type Counter, type FailOpenGuard } from '@argus/core';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { CountingExporter } from './internal/counting-exporter';
import { SnapshotProducer } from './internal/snapshot-producer';
import type { OtlpAdapter, OtlpContext, OtlpOptions, OtlpPush } from './types';

export const EXPORTS_METRIC = 'argus_otlp_exports_total';
const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_DEADLINE_MS = 5_000;
const PROTOCOLS = ['http/protobuf', 'http/json'];
const COMPRESSIONS = ['gzip', 'none'];
const TEMPORALITIES = ['cumulative', 'delta'];

/** A bad `otlp()` option, named with its value (headers are never shown). */
export class OtlpOptionError extends Error {
  override readonly name = 'OtlpOptionError';
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`@argus/otlp option ${option}: ${reason}`);
  }
}

/**
 * OTLP metric push: every `intervalMs`, Argus' metrics are read once and sent to an OTLP/HTTP
 * endpoint with the OpenTelemetry SDK's exporter. Nothing is recorded on the hot path. Throws
 * an {@link OtlpOptionError} on a bad option; once started it never throws into the bot.
 */
export function otlp(options: OtlpOptions): OtlpAdapter {
  const resolved = checkOptions(options);
  return {
    kind: 'otlp',
    role: 'metrics',
    options: resolved,
    start: (context) => startPush(resolved, context),
  };
}

function checkOptions(options: OtlpOptions): OtlpAdapter['options'] {
  if (typeof options !== 'object' || options === null)
    throw new OtlpOptionError('options', 'expected an object');
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new OtlpOptionError('url', `${JSON.stringify(options.url)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OtlpOptionError('url', `must be an http:// or https:// URL (OTLP/HTTP), not ${url.protocol}//`);
  // Like OTEL_EXPORTER_OTLP_ENDPOINT: a bare collector address gets the metrics path.
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/metrics';
  const oneOf = (option: string, value: string | undefined, values: string[], fallback: string) => {
    if (value === undefined) return fallback;
    if (!values.includes(value))
      throw new OtlpOptionError(option, `${JSON.stringify(value)} is not one of ${values.join(', ')}`);
    return value;
  };
  const millis = (option: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1 || value > 86_400_000)
      throw new OtlpOptionError(
        option,
        `${JSON.stringify(value)} must be a whole number of milliseconds from 1 to 86400000`,
      );
    return value;
  };
  const intervalMs = millis('intervalMs', options.intervalMs, DEFAULT_INTERVAL_MS);
  const timeoutMs = Math.min(millis('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS), intervalMs);
  for (const [key, value] of Object.entries(options.headers ?? {}))
    if (typeof value !== 'string' || /[\r\n]/.test(value))
      throw new OtlpOptionError('headers', `the value of ${key} must be a single-line string`);
  return Object.freeze({
    url: url.href,
    protocol: oneOf('protocol', options.protocol, PROTOCOLS, 'http/protobuf') as OtlpOptions['protocol'] &
      string,
    compression: oneOf('compression', options.compression, COMPRESSIONS, 'none') as 'gzip' | 'none',
    temporality: oneOf('temporality', options.temporality, TEMPORALITIES, 'cumulative') as
      | 'cumulative'
      | 'delta',
    intervalMs,
    timeoutMs,
    headers: options.headers,
    serviceName: options.serviceName,
    serviceVersion: options.serviceVersion,
    resourceAttributes: options.resourceAttributes,
  });
}

function startPush(options: OtlpAdapter['options'], context: OtlpContext): OtlpPush {
  const guard: FailOpenGuard = context.guard ?? context.registry.guard;
  const exports = exportsCounter(context);
  const success = exports.labels('success');
  const failure = exports.labels('failure');
  context.health?.enable('otlp');
  let lastOk: boolean | undefined;
  const onResult = (ok: boolean) => {
    (ok ? success : failure).inc(1);
    context.health?.set('otlp', ok);
    if (ok === lastOk) return;
    if (!ok)
      context.logger?.warn(
        `OTLP metric export to ${redactedUrl(options.url)} failed; retrying every interval`,
      );
    else if (lastOk === false) context.logger?.info('OTLP metric export recovered');
    lastOk = ok;
  };

  const started = guard.run('otlp:start', () => {
    const resource = buildResource(options, context.clusterId);
    const producer = new SnapshotProducer({
      snapshot: context.snapshot,
      temporality: options.temporality,
      clusterId: context.clusterId,
      resource,
      scope: { name: '@argus/otlp', version: argusVersion },
      guard,
    });
    const reader = new PeriodicExportingMetricReader({
      exporter: new CountingExporter(createExporter(options), onResult),
      exportIntervalMillis: options.intervalMs,
      exportTimeoutMillis: options.timeoutMs,
      metricProducers: [producer],
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    return { reader, provider };
  });

  let closing: Promise<void> | undefined;
  return {
    async flush() {
      if (!started || closing) return;
      await guard.run('otlp:flush', () => started.reader.forceFlush());
    },
    close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS) {
      closing ??= started
        ? withDeadline(
            // Past the deadline the SDK rejects: that is the deadline doing its job, not a fault
            // (the unfinished export is counted as failed by the exporter's own timeout).
            guard.run('otlp:close', () =>
              started.provider.shutdown({ timeoutMillis: deadlineMs }).catch(() => undefined),
            ),
            deadlineMs,
          )
        : Promise.resolve();
      return closing;
    },
  };
}

function exportsCounter(context: OtlpContext): Counter {
  if (!context.registry.has(EXPORTS_METRIC))
    context.registry.define({
      kind: 'counter',
      name: EXPORTS_METRIC,
      help: 'OTLP metric exports, by result (success or failure: collector down, slow, refusing or resetting).',
      labelNames: ['result'],
    });
  return context.registry.counter(EXPORTS_METRIC);
}

function createExporter(options: OtlpAdapter['options']): PushMetricExporter {
  const config = {
    url: options.url,
    timeoutMillis: options.timeoutMs,
    // The SDK's CompressionAlgorithm enum holds these very strings.
    compression: options.compression as never,
    ...(options.headers ? { headers: { ...options.headers } } : {}),
  };
  return options.protocol === 'http/json' ? new JsonExporter(config) : new ProtobufExporter(config);
}

/** service.name, service.version and service.instance.id (the cluster) over the given attributes. */
function buildResource(options: OtlpAdapter['options'], clusterId: string): Resource {
  const given = options.resourceAttributes ?? {};
  const attributes: Record<string, string> = { ...given };
  attributes['service.name'] = options.serviceName ?? given['service.name'] ?? 'discord-bot';
  const serviceVersion = options.serviceVersion ?? given['service.version'];
  if (serviceVersion !== undefined) attributes['service.version'] = serviceVersion;
  attributes['service.instance.id'] = clusterId;
  return defaultResource().merge(resourceFromAttributes(attributes));
}

/** Origin and path only: credentials can sit in the user info or the query. */
function redactedUrl(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

/** Resolves when `work` settles or at the deadline, whichever comes first; never rejects. */
function withDeadline(work: Promise<unknown> | undefined, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deadlineMs);
    timer.unref();
  });
  return Promise.race([
    Promise.resolve(work).then(
      () => undefined,
      () => undefined,
    ),
    deadline,
  ]).finally(() => clearTimeout(timer));
}
