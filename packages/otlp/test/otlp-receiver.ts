// An in-process OTLP/HTTP metrics receiver for the tests: no collector installs here, so this
// decodes what the real SDK exporter sends with the protobufjs module generated from the official
// opentelemetry-proto definitions (shipped in @opentelemetry/otlp-transformer 0.52, installed as
// `otlp-decoder`). It can also misbehave on purpose: answer an error status, stall, or reset.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

interface ProtoType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  create(message: unknown): unknown;
}
const root = createRequire(import.meta.url)('otlp-decoder/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { metrics: { v1: Record<string, ProtoType> } } } };
};
const { ExportMetricsServiceRequest, ExportMetricsServiceResponse } = root.opentelemetry.proto.collector
  .metrics.v1 as {
  ExportMetricsServiceRequest: ProtoType;
  ExportMetricsServiceResponse: ProtoType;
};

/** One received export, in OTLP's JSON mapping (camelCase, 64-bit integers as strings). */
export interface ReceivedExport {
  contentType: string;
  contentEncoding: string | undefined;
  headers: IncomingHttpHeaders;
  body: OtlpRequest;
}

export interface OtlpRequest {
  resourceMetrics: {
    resource: { attributes: KeyValue[] };
    scopeMetrics: { scope: { name: string; version?: string }; metrics: OtlpMetric[] }[];
  }[];
}
export interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}
export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  sum?: { dataPoints: NumberPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  gauge?: { dataPoints: NumberPoint[] };
  histogram?: { dataPoints: HistogramPoint[]; aggregationTemporality: number };
}
export interface NumberPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano: string;
  asDouble?: number;
  asInt?: string | number;
}
export interface HistogramPoint {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano: string;
  count: string | number;
  sum?: number;
  bucketCounts: (string | number)[];
  explicitBounds: number[];
}

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  | { kind: 'stall' }
  | { kind: 'reset' };

export interface OtlpReceiver {
  url: string;
  received: ReceivedExport[];
  /** Requests that reached the receiver, whatever it answered. */
  attempts: number;
  behave(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** Starts a receiver on `port` (default: a free one), e.g. to bring a collector back where it was. */
export async function startOtlpReceiver(port = 0): Promise<OtlpReceiver> {
  let behaviour: Behaviour = { kind: 'ok' };
  const sockets = new Set<Socket>();
  const state = { attempts: 0 };
  const received: ReceivedExport[] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/metrics') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    state.attempts++;
    if (behaviour.kind === 'stall') return; // never answers; the exporter's timeout must end it
    if (behaviour.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('refused on purpose');
      return;
    }
    let raw = Buffer.concat(chunks);
    const encoding = req.headers['content-encoding'];
    if (encoding === 'gzip') raw = gunzipSync(raw);
    const contentType = req.headers['content-type'] ?? '';
    let body: OtlpRequest;
    if (contentType.startsWith('application/x-protobuf')) {
      body = ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(raw), {
        longs: String,
        enums: Number,
        defaults: false,
        arrays: true,
      }) as OtlpRequest;
      received.push({ contentType, contentEncoding: encoding, headers: req.headers, body });
      const reply = ExportMetricsServiceResponse.encode(ExportMetricsServiceResponse.create({})).finish();
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(reply));
      return;
    }
    body = JSON.parse(raw.toString('utf8')) as OtlpRequest;
    received.push({ contentType, contentEncoding: encoding, headers: req.headers, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/v1/metrics`,
    received,
    get attempts() {
      return state.attempts;
    },
    behave(next) {
      behaviour = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One data point flattened: what a test compares with the Prometheus exposition. */
export interface FlatPoint {
  name: string;
  kind: 'sum' | 'gauge' | 'histogram';
  unit: string;
  monotonic: boolean | undefined;
  temporality: number | undefined;
  attributes: Record<string, string>;
  start: bigint | undefined;
  end: bigint;
  value?: number;
  histogram?: { bounds: number[]; counts: number[]; sum: number; count: number };
}

export function attributesOf(list: KeyValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of list ?? [])
    out[key] = String(value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue ?? '');
  return out;
}

export function flatten(body: OtlpRequest): FlatPoint[] {
  const out: FlatPoint[] = [];
  for (const rm of body.resourceMetrics)
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics) {
        const common = { name: m.name, unit: m.unit ?? '' };
        const time = (p: { startTimeUnixNano?: string; timeUnixNano: string }) => ({
          start: p.startTimeUnixNano === undefined ? undefined : BigInt(p.startTimeUnixNano),
          end: BigInt(p.timeUnixNano),
        });
        if (m.sum)
          for (const p of m.sum.dataPoints)
            out.push({
              ...common,
              kind: 'sum',
              monotonic: m.sum.isMonotonic,
              temporality: m.sum.aggregationTemporality,
              attributes: attributesOf(p.attributes),
              ...time(p),
              value: Number(p.asDouble ?? p.asInt ?? 0),
            });
        if (m.gauge)
          for (const p of m.gauge.dataPoints)
            out.push({
              ...common,
              kind: 'gauge',
              monotonic: undefined,
              temporality: undefined,
              attributes: attributesOf(p.attributes),
              ...time(p),
              value: Number(p.asDouble ?? p.asInt ?? 0),
            });
        if (m.histogram)
          for (const p of m.histogram.dataPoints)
            out.push({
              ...common,
              kind: 'histogram',
              monotonic: undefined,
              temporality: m.histogram.aggregationTemporality,
              attributes: attributesOf(p.attributes),
              ...time(p),
              histogram: {
                bounds: p.explicitBounds ?? [],
                counts: (p.bucketCounts ?? []).map(Number),
                sum: p.sum ?? 0,
                count: Number(p.count),
              },
            });
      }
  return out;
}
