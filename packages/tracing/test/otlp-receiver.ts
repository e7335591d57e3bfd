// An OTLP/HTTP trace receiver in the test process: decodes protobuf with the definitions
// generated from opentelemetry-proto (shipped in @opentelemetry/otlp-transformer 0.52, installed
// as otlp-decoder) and JSON as the exporters send it. It can also answer 500, hang, or be down.
import { once } from 'node:events';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

interface ProtoType {
  decode(buffer: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  create(properties: Record<string, unknown>): unknown;
}
const root = createRequire(import.meta.url)('otlp-decoder/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: Record<string, ProtoType> } } } };
};
const TraceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest!;
const TraceResponse = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse!;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  events: { name: string; timeNs: bigint; attributes: Record<string, string | number | boolean> }[];
  status: { code: number; message?: string };
  scope: string;
  resource: Record<string, string | number | boolean>;
}

export type ReceiverMode = 'ok' | 'fail' | 'hang';

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Every request body as it arrived (after gunzip), for the secret scan. */
  readonly raw: Buffer[] = [];
  readonly contentTypes: string[] = [];
  mode: ReceiverMode = 'ok';
  requests = 0;
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    return receiver;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1/traces`;
  }

  /** Spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  rawText(): string {
    return Buffer.concat(this.raw).toString('latin1');
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (this.mode === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (this.mode === 'fail') {
      res.statusCode = 500;
      res.end('collector on fire');
      return;
    }
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
    const type = String(req.headers['content-type'] ?? '');
    this.raw.push(body);
    this.contentTypes.push(type);
    const json = type.includes('json');
    const decoded = json
      ? JSON.parse(body.toString('utf8'))
      : TraceRequest.toObject(TraceRequest.decode(body), { longs: String, bytes: String, defaults: false });
    this.collect(decoded as Request, json);
    if (json) {
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    } else {
      res.setHeader('content-type', 'application/x-protobuf');
      res.end(Buffer.from(TraceResponse.encode(TraceResponse.create({})).finish()));
    }
  }

  private collect(request: Request, json: boolean): void {
    // OTLP/JSON carries ids as hex; protobuf's bytes come out of toObject as base64.
    const id = (value: string | undefined) =>
      value === undefined || value === '' ? '' : json ? value : Buffer.from(value, 'base64').toString('hex');
    for (const rs of request.resourceSpans ?? []) {
      const resource = attributesOf(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            traceId: id(s.traceId),
            spanId: id(s.spanId),
            parentSpanId: id(s.parentSpanId),
            name: s.name,
            kind: kindOf(s.kind),
            startNs: BigInt(s.startTimeUnixNano),
            endNs: BigInt(s.endTimeUnixNano),
            attributes: attributesOf(s.attributes),
            events: (s.events ?? []).map((e) => ({
              name: e.name,
              timeNs: BigInt(e.timeUnixNano),
              attributes: attributesOf(e.attributes),
            })),
            status: {
              code: statusOf(s.status?.code),
              ...(s.status?.message ? { message: s.status.message } : {}),
            },
            scope: ss.scope?.name ?? '',
            resource,
          });
        }
      }
    }
  }
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
type KeyValue = { key: string; value: AnyValue };
interface Request {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      scope?: { name: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number | string;
        startTimeUnixNano: string;
        endTimeUnixNano: string;
        attributes?: KeyValue[];
        events?: { name: string; timeUnixNano: string; attributes?: KeyValue[] }[];
        status?: { code?: number | string; message?: string };
      }[];
    }[];
  }[];
}

const KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT'];
const STATUSES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
function kindOf(kind: number | string | undefined): number {
  return typeof kind === 'string' ? KINDS.indexOf(kind) : (kind ?? 0);
}
function statusOf(code: number | string | undefined): number {
  return typeof code === 'string' ? STATUSES.indexOf(code) : (code ?? 0);
}

function attributesOf(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}
