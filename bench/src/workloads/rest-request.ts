// What watching REST costs each request of the bot: real discord.js REST managers send real HTTP
// requests (POST /channels/:id/messages, a message object back) over 127.0.0.1 to a stand-in for
// Discord's API in a child process, with and without Argus, in alternating rounds. Also shown: the
// same manager with a no-op listener on its `response` event, the usual way to watch REST, which
// makes @discordjs/rest clone every response.
//
// CPU time of this process per request: the REST client's alone, the server runs elsewhere. Each
// variant talks to its own port, so no variant sees another's requests (undici's diagnostics
// channels are process-wide, and Argus follows only its client's API origin).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Argus, argus } from '@argus/discordjs';
import { Client, GatewayIntentBits, Routes } from 'discord.js';
import { ARGUS_INIT } from '../fixtures/discord';
import type { Workload } from '../harness';
import { collectGarbage } from '../measure';

const BARE = 'REST, no listener';
const LISTENER = 'REST, a no-op response listener';
const ARGUS = 'REST, argus';
const CONTROL = 'REST, no listener (A/A)';
/** Requests in flight at once, as a busy bot has. */
const CONCURRENCY = 4;
const API_STUB = fileURLToPath(new URL('../child/discord-api-stub.mjs', import.meta.url));

/** Starts the API stand-in; resolves with its base URL once it listens. */
async function startApiStub(children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, [API_STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the Discord API stand-in exited before listening');
    }),
  ])) as [string];
  lines.close();
  const { port } = JSON.parse(line) as { port: number };
  return `http://127.0.0.1:${port}/api`;
}

export const restRequest: Workload = {
  name: 'rest-request',
  title: 'REST requests, CPU time with and without Argus',
  description:
    'POST /channels/:id/messages through a real discord.js REST manager to a stand-in for Discord on 127.0.0.1 ' +
    `(another process), ${CONCURRENCY} in flight; this process's CPU time per request, with Argus, ` +
    'with a no-op REST `response` listener, and with neither.',
  unit: 'cpu-µs/request',
  baseline: BARE,
  rounds: 7,
  warmupRounds: 1,
  async setup(ctx) {
    const requests = ctx.quick ? 500 : 3_000;
    const children: ChildProcess[] = [];
    const clients: Client[] = [];
    const handles: Argus[] = [];
    let sent = 0;

    const variant = async (name: string, attach: (client: Client) => void) => {
      const api = await startApiStub(children);
      const client = new Client({
        intents: [GatewayIntentBits.Guilds],
        // The stand-in answers at once: no global 50/s pacing, so CPU is what is measured.
        rest: { api, globalRequestsPerSecond: 1_000_000 },
      });
      clients.push(client);
      client.rest.setToken('bench.token.rest');
      attach(client);
      const route = Routes.channelMessages('1200000000000000000');
      return {
        name,
        async sample() {
          let next = 0;
          const worker = async () => {
            while (next < requests) {
              next++;
              await client.rest.post(route, { body: { content: 'hello' } });
            }
          };
          // Each variant pays for its own garbage (the clones of the listener variant are a
          // lot of it): none is left before the round, and the round ends with collecting it.
          collectGarbage();
          const start = process.cpuUsage();
          await Promise.all(Array.from({ length: CONCURRENCY }, worker));
          collectGarbage();
          const used = process.cpuUsage(start);
          sent += requests;
          return (used.user + used.system) / requests;
        },
      };
    };

    const bare = await variant(BARE, () => {});
    const listener = await variant(LISTENER, (client) => client.rest.on('response', () => {}));
    const withArgus = await variant(ARGUS, (client) => handles.push(argus(client, ARGUS_INIT)));
    // A second copy of the baseline: its ratio is the run's noise floor, and where rounds fall.
    const control = await variant(CONTROL, () => {});
    return {
      notes: [
        `${requests} requests per round, ${CONCURRENCY} in flight; a message object (about 400 bytes) in each answer`,
      ],
      variants: [bare, listener, withArgus, control],
      conclude(rows) {
        const median = (name: string) => rows.find((r) => r.variant === name)?.median ?? Number.NaN;
        return [
          `argus: ${(median(ARGUS) - median(BARE)).toFixed(1)} cpu-µs per request over no listener; ` +
            `a response listener: ${(median(LISTENER) - median(BARE)).toFixed(1)}; ` +
            `the A/A copy: ${(median(CONTROL) - median(BARE)).toFixed(1)}`,
          `check: ${sent} requests answered`,
        ];
      },
      async teardown() {
        for (const h of handles) await h.close();
        for (const c of clients) await c.destroy();
        for (const child of children) child.kill();
      },
    };
  },
};
