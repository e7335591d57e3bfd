// The SDK Argus starts when the bot registered no tracer provider: a NodeSDK exporting over
// OTLP/HTTP through Argus' span processor. The three packages are optional peers, loaded only
// here; a variable specifier keeps them out of the build.
import type { ArgusSpanProcessorOptions } from './argus-span-processor';
import { ArgusSpanProcessor } from './argus-span-processor';
import type { SpanExporterLike } from './span-shapes';

export const SDK_PACKAGES = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/resources',
] as const;

export interface OwnSdkOptions extends Omit<ArgusSpanProcessorOptions, 'exporter'> {
  endpoint: string;
  headers?: Readonly<Record<string, string>>;
  serviceName: string;
  serviceInstanceId: string;
}

export interface OwnSdk {
  readonly processor: ArgusSpanProcessor;
  shutdown(): Promise<void>;
}

interface SdkNode {
  NodeSDK: new (config: Record<string, unknown>) => { start(): void; shutdown(): Promise<void> };
}
interface OtlpHttp {
  OTLPTraceExporter: new (config: Record<string, unknown>) => SpanExporterLike;
}
interface Resources {
  resourceFromAttributes(attributes: Record<string, string>): unknown;
}

async function load<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}

export async function startOwnSdk(options: OwnSdkOptions): Promise<OwnSdk> {
  const [sdkNode, otlpHttp, resources] = await Promise.all([
    load<SdkNode>(SDK_PACKAGES[0]),
    load<OtlpHttp>(SDK_PACKAGES[1]),
    load<Resources>(SDK_PACKAGES[2]),
  ]);
  const { endpoint, headers, serviceName, serviceInstanceId, ...processorOptions } = options;
  const exporter = new otlpHttp.OTLPTraceExporter({
    url: endpoint,
    ...(headers ? { headers: { ...headers } } : {}),
    // Argus' own queue enforces the deadline; the exporter may give up a little later.
    timeoutMillis: options.exportTimeoutMs ?? 10_000,
  });
  const processor = new ArgusSpanProcessor({ ...processorOptions, exporter });
  const sdk = new sdkNode.NodeSDK({
    resource: resources.resourceFromAttributes({
      'service.name': serviceName,
      'service.instance.id': serviceInstanceId,
    }),
    spanProcessors: [processor],
    instrumentations: [],
    // The process detector records the command line, where a bot token may sit.
    autoDetectResources: false,
  });
  sdk.start();
  return { processor, shutdown: () => sdk.shutdown() };
}
