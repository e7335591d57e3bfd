// Child process of the scrape-under-load workload: a scraper outside the bot's process, as
// Prometheus is. On each IPC request it GETs the URL every `intervalMs` for `durationMs` (over one
// keep-alive connection) and answers with the latencies in ms. Exits when the parent disconnects.
import { Agent, get } from 'node:http';

export interface ScrapeRequest {
  url: string;
  durationMs: number;
  intervalMs: number;
}

export type ScrapeReply = { latencies: number[]; bytes: number } | { error: string };

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function scrape(url: string): Promise<{ ms: number; size: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = get(url, { agent }, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        else resolve({ ms: performance.now() - start, size });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function series({ url, durationMs, intervalMs }: ScrapeRequest): Promise<ScrapeReply> {
  const latencies: number[] = [];
  let bytes = 0;
  const start = performance.now();
  for (let k = 1; performance.now() - start < durationMs; k++) {
    const { ms, size } = await scrape(url);
    latencies.push(ms);
    bytes = size;
    // Fixed cadence; a scrape that overran its slot is followed at once by the next.
    const wait = start + k * intervalMs - performance.now();
    if (wait > 1) await sleep(wait);
  }
  return { latencies, bytes };
}

process.on('message', (request: ScrapeRequest) => {
  series(request).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => agent.destroy());
