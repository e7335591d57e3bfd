// DEMO_OTLP=1: the demo also pushes its metrics over OTLP (http/json, every 5 s) into a small
// receiver it starts here, and prints what each export carried, so OTLP can be seen working
// without a collector. With ARGUS_OTLP_ENDPOINT set, the demo pushes there instead.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArgusOptions } from '@argus/discordjs';

export interface DemoOtlp {
  options: ArgusOptions;
  stop(): Promise<void>;
}

interface JsonExport {
  resourceMetrics?: {
    scopeMetrics?: {
      metrics?: { name: string; sum?: { dataPoints?: { asDouble?: number }[] }; [kind: string]: unknown }[];
    }[];
  }[];
}

export async function startDemoOtlp(): Promise<DemoOtlp | undefined> {
  if (!['1', 'true', 'yes', 'on'].includes((process.env.DEMO_OTLP ?? '').toLowerCase())) return undefined;
  if ((process.env.ARGUS_OTLP_ENDPOINT ?? '').trim() !== '') return { options: {}, stop: async () => {} };
  let exports = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonExport;
      const metrics =
        body.resourceMetrics?.flatMap((r) => r.scopeMetrics ?? []).flatMap((s) => s.metrics ?? []) ?? [];
      const interactions = metrics
        .find((m) => m.name.endsWith('_interactions_total'))
        ?.sum?.dataPoints?.reduce((n, p) => n + (p.asDouble ?? 0), 0);
      exports++;
      console.log(
        `[demo] OTLP export #${exports} received: ${metrics.length} metrics` +
          (interactions !== undefined ? `, ${interactions} interactions so far` : ''),
      );
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } catch {
      res.writeHead(400).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
  console.log(`[demo] DEMO_OTLP: pushing OTLP metrics every 5 s to a receiver at ${url}`);
  return {
    options: { otlpEndpoint: url, otlpProtocol: 'http/json', otlpInterval: 5 },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
