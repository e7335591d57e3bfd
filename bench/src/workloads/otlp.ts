// OTLP metric push. Two questions: what one export of the 16-shard, 100-command bot costs next to
// the OpenTelemetry SDK exporting the same metrics recorded through its own API, and whether the
// hot path changes at all with the push on (it should not: OTLP reads the snapshot at export
// time and adds nothing to a counter or the gateway hook).
//
// The goal compares what an export costs the bot's CPU: collect plus protobuf serialisation, with
// the SDK's own reader on both sides (Argus' side reads through its MetricProducer). The full
// export over HTTP to an in-process receiver is measured beside it, for reference.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Argus, argus } from '@argus/discordjs';
import { argusMetricProducer, otlp } from '@argus/otlp';
import type { Attributes } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Client } from 'discord.js';
import { BOUND_SERIES, BUMPS, buildArgus, COMMAND_COUNT, SHARD_COUNT } from '../fixtures/catalogue';
import { ARGUS_INIT, offlineClient } from '../fixtures/discord';
import { goals, type Workload } from '../harness';

const HOUR = 3_600_000;

interface Sink {
  url: string;
  bodies: number;
  bytes: number;
  server: Server;
}

async function startSink(): Promise<Sink> {
  const sink = { url: '', bodies: 0, bytes: 0, server: undefined as unknown as Server };
  sink.server = createServer(async (req, res) => {
    for await (const chunk of req) sink.bytes += (chunk as Buffer).length;
    sink.bodies++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  sink.server.listen(0, '127.0.0.1');
  await once(sink.server, 'listening');
  sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/v1/metrics`;
  return sink;
}

/** A reader that only collects when asked: the serialisation is done by the workload. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const SDK = 'OpenTelemetry SDK, recorded through the API: collect + serialise';
const ARGUS = 'argus (snapshot read at export): collect + serialise';
const SDK_HTTP = 'OpenTelemetry SDK: full export over HTTP';
const ARGUS_HTTP = 'argus otlp(): full export over HTTP';

export const otlpExport: Workload = {
  name: 'otlp-export',
  title: `One OTLP export, ${SHARD_COUNT} shards x ${COMMAND_COUNT} commands`,
  description:
    `One export of the render-catalogue bot (${BOUND_SERIES} bound series) over OTLP/HTTP protobuf to an in-process ` +
    "receiver: @argus/otlp reading Argus' snapshot vs the OpenTelemetry SDK exporting the same instruments, " +
    'recorded with the same values through the OpenTelemetry API (observable gauges for gauges and info).',
  unit: 'ms/op',
  baseline: SDK,
  async setup() {
    const sink = await startSink();
    const bot = buildArgus();
    const push = otlp({ url: sink.url, intervalMs: HOUR, timeoutMs: HOUR }).start({
      snapshot: () => bot.adapter.snapshot(),
      registry: bot.registry,
      clusterId: 'default',
    });

    // The baseline: the same families, recorded through the OpenTelemetry API.
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: sink.url, timeoutMillis: HOUR }),
      exportIntervalMillis: HOUR,
      exportTimeoutMillis: HOUR,
    });
    const sdkCollector = new CollectingReader();
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'bench' }),
      readers: [reader, sdkCollector],
    });
    const argusCollector = new CollectingReader({
      metricProducers: [
        argusMetricProducer({ snapshot: () => bot.adapter.snapshot(), clusterId: 'default' }),
      ],
    });
    const argusProvider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'bench' }),
      readers: [argusCollector],
    });
    const meter = provider.getMeter('bench');
    const defs = new Map(bot.registry.definitions().map((d) => [d.name, d]));
    const snapshot = await bot.adapter.snapshot();
    const attributesOf = (labelNames: readonly string[], values: readonly string[]): Attributes =>
      Object.fromEntries(labelNames.map((name, i) => [name, values[i] ?? '']));
    for (const [name, def] of defs) {
      if (def.kind === 'counter') {
        const counter = meter.createCounter(name, { description: def.help });
        for (const bump of BUMPS)
          if (bump.metric === name)
            for (const v of bump.values)
              counter.add(v, attributesOf(def.labelNames, [...bump.labels, 'default']));
      } else if (def.kind === 'histogram') {
        const histogram = meter.createHistogram(name, {
          description: def.help,
          unit: name.endsWith('_seconds') ? 's' : '',
          advice: { explicitBucketBoundaries: [...def.buckets] },
        });
        for (const bump of BUMPS)
          if (bump.metric === name)
            for (const v of bump.values)
              histogram.record(v, attributesOf(def.labelNames, [...bump.labels, 'default']));
      } else {
        const family = snapshot.metrics[name];
        if (!family || family.type === 'histogram') continue;
        const series = family.series.map(
          ([values, value]) => [attributesOf(family.labelNames, values), value] as const,
        );
        meter.createObservableGauge(name, { description: def.help }).addCallback((result) => {
          for (const [attributes, value] of series) result.observe(value, attributes);
        });
      }
    }

    await push.flush();
    const argusBytes = sink.bytes;
    await reader.forceFlush();
    const sdkBytes = sink.bytes - argusBytes;
    const notes = [
      `payload: argus ${(argusBytes / 1024).toFixed(0)} KiB, SDK ${(sdkBytes / 1024).toFixed(0)} KiB of protobuf per export`,
      'the HTTP rows include the round trip to the same in-process receiver (which reads the body and answers 200)',
    ];
    let sunk = 0;
    const sdkOnce = async () => {
      const { resourceMetrics } = await sdkCollector.collect();
      sunk += ProtobufMetricsSerializer.serializeRequest(resourceMetrics)?.length ?? 0;
    };
    const argusOnce = async () => {
      const { resourceMetrics } = await argusCollector.collect();
      sunk += ProtobufMetricsSerializer.serializeRequest(resourceMetrics)?.length ?? 0;
    };
    return {
      notes,
      variants: [
        {
          name: SDK,
          async run(n) {
            for (let i = 0; i < n; i++) await sdkOnce();
          },
        },
        {
          name: ARGUS,
          goal: goals.ratioAtMost(1.0, SDK),
          async run(n) {
            for (let i = 0; i < n; i++) await argusOnce();
          },
        },
        {
          name: SDK_HTTP,
          async run(n) {
            for (let i = 0; i < n; i++) await reader.forceFlush();
          },
        },
        {
          name: ARGUS_HTTP,
          compareTo: SDK_HTTP,
          async run(n) {
            for (let i = 0; i < n; i++) await push.flush();
          },
        },
      ],
      async conclude() {
        // CPU time (process.cpuUsage), which a machine shared with other work disturbs far less
        // than wall time: interleaved blocks of each side, medians per export.
        const perOp = async (once: () => Promise<void>) => {
          const start = process.cpuUsage();
          for (let i = 0; i < 20; i++) await once();
          const used = process.cpuUsage(start);
          return (used.user + used.system) / 20;
        };
        const sdkCpu: number[] = [];
        const argusCpu: number[] = [];
        for (let block = 0; block < 15; block++) {
          sdkCpu.push(await perOp(sdkOnce));
          argusCpu.push(await perOp(argusOnce));
        }
        const mid = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
        const [sdkMs, argusMs] = [mid(sdkCpu) / 1000, mid(argusCpu) / 1000];
        if (sunk < 0) throw new Error('unreachable');
        return [
          `CPU time per collect + serialise (median of 15 interleaved blocks of 20): SDK ${sdkMs.toFixed(2)} ms, ` +
            `argus ${argusMs.toFixed(2)} ms = ${(argusMs / sdkMs).toFixed(2)}x (goal ≤ 1.0x)`,
        ];
      },
      async teardown() {
        await push.close(1_000);
        await provider.shutdown();
        await argusProvider.shutdown();
        bot.adapter.close();
        sink.server.close();
      },
    };
  },
};

const OFF = 'argus, OTLP off';
const ON = 'argus, OTLP push on';

export const otlpHotPath: Workload = {
  name: 'otlp-hot-path',
  title: 'Hot path with OTLP push on',
  description:
    "A pre-bound counter increment and client.emit('raw') on a real discord.js Client (not logged in), " +
    'with argus() attached without and with otlpEndpoint (pushing every hour to an in-process receiver).',
  unit: 'ns/op',
  baseline: OFF,
  async setup() {
    const sink = await startSink();
    const clients: Client[] = [];
    const client = () => {
      const c = offlineClient();
      clients.push(c);
      return c;
    };
    const off: Argus = argus(client(), ARGUS_INIT);
    const on: Argus = argus(client(), { ...ARGUS_INIT, otlpEndpoint: sink.url, otlpInterval: 3_600 });
    const offClient = clients[0]!;
    const onClient = clients[1]!;
    const offCounter = off.registry.counter('argus_instrumentation_errors_total').labels('bench');
    const onCounter = on.registry.counter('argus_instrumentation_errors_total').labels('bench');
    const packet = { op: 0, t: 'MESSAGE_CREATE', s: 1, d: {} };
    const backends = (a: Argus) => a.registry.attachedBackends.map((b) => b.name).join(', ');
    return {
      notes: [
        `metric backends attached: OTLP off [${backends(off)}], OTLP on [${backends(on)}]: the push adds none, ` +
          'so both rows run the same code; any difference is noise on a shared machine',
      ],
      variants: [
        {
          name: OFF,
          run(n) {
            for (let i = 0; i < n; i++) offClient.emit('raw', packet, 0);
          },
        },
        {
          name: ON,
          goal: goals.ratioAtMost(1.2, OFF),
          run(n) {
            for (let i = 0; i < n; i++) onClient.emit('raw', packet, 0);
          },
        },
        {
          name: 'counter inc, OTLP off',
          compareTo: 'counter inc, OTLP off',
          run(n) {
            for (let i = 0; i < n; i++) offCounter.inc(1);
          },
        },
        {
          name: 'counter inc, OTLP push on',
          compareTo: 'counter inc, OTLP off',
          goal: goals.ratioAtMost(1.2, 'counter inc, OTLP off'),
          run(n) {
            for (let i = 0; i < n; i++) onCounter.inc(1);
          },
        },
      ],
      async teardown() {
        await off.close();
        await on.close();
        for (const c of clients) await c.destroy();
        sink.server.close();
      },
    };
  },
};
