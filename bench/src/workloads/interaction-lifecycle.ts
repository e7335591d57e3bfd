// The interaction lifecycle: receipt (interactionCreate) → initial response (the callback POST's
// answer, as the REST manager's request strategy returns it) → the response-time histogram, as
// Argus sees it on a live bot.
//
// In process: a real discord.js Client, never logged in. Each operation emits `interactionCreate`
// with an interaction-like object (what discord.js hands listeners: id, type 2, commandName,
// guildId, guild.shardId, isChatInputCommand() and options), then makes the callback request's
// attempt as @discordjs/rest does: its strategy answers 204 at once, in process. The baseline is
// an identical client with a no-op `interactionCreate` listener and a pass-through strategy
// wrapper, the same way of seeing the response Argus uses.
import { type Argus, argus } from '@argus/discordjs';
import type { Client } from 'discord.js';
import {
  ARGUS_INIT,
  callbackRequest,
  offlineClient,
  type RestRequestStub,
  restAttempt,
  restStrategy,
} from '../fixtures/discord';
import { goals, type ResultRow, type Workload } from '../harness';
import { prng } from '../measure';

/** Command names, two of them with subcommands (the label is then "config set"). */
const COMMANDS = ['ping', 'help', 'play', 'queue', 'ban', 'stats', 'config', 'rank'] as const;
const SUBCOMMANDS: Record<string, string> = { config: 'set', rank: 'show' };
/** In-flight interactions cycle over this many distinct ids and tokens (a power of two). */
const POOL = 256;

interface OptionsStub {
  getSubcommandGroup(required: false): string | null;
  getSubcommand(required: false): string | null;
}

/** The fields of a discord.js ChatInputCommandInteraction that a listener (Argus) reads. */
class InteractionStub {
  readonly type = 2;
  readonly guild: { readonly shardId: number };
  readonly options: OptionsStub;

  constructor(
    readonly id: string,
    readonly token: string,
    readonly commandName: string,
    readonly guildId: string,
    shardId: number,
  ) {
    this.guild = { shardId };
    const sub = SUBCOMMANDS[commandName] ?? null;
    this.options = { getSubcommandGroup: () => null, getSubcommand: () => sub };
  }

  isChatInputCommand(): boolean {
    return true;
  }
}

function fixtures(): { interactions: InteractionStub[]; requests: RestRequestStub[] } {
  const random = prng(42);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const interactions: InteractionStub[] = [];
  const requests: RestRequestStub[] = [];
  let snowflake = 1_300_000_000_000_000_000n;
  for (let i = 0; i < POOL; i++) {
    snowflake += BigInt(1 + Math.floor(random() * 1e9));
    const id = String(snowflake);
    // Discord interaction tokens are long opaque strings (~160-200 characters).
    let token = 'aW50ZXJhY3Rpb246';
    while (token.length < 180) token += alphabet[Math.floor(random() * alphabet.length)];
    const command = COMMANDS[Math.floor(random() * COMMANDS.length)]!;
    const guildId = String(1_100_000_000_000_000_000n + BigInt(i % 10));
    interactions.push(new InteractionStub(id, token, command, guildId, i % 2));
    requests.push(callbackRequest(id, token));
  }
  return { interactions, requests };
}

/** Calls of the no-op listeners: observable, so the calls cannot be dropped, and a sanity check. */
let noOpCalls = 0;

const NO_OP = 'no-op listeners';

export const interactionLifecycle: Workload = {
  name: 'interaction-lifecycle',
  title: 'Interaction lifecycle (receipt → response → histogram)',
  description:
    'emit interactionCreate, then the REST strategy answers POST /interactions/:id/:token/callback (204), ' +
    'on a real discord.js Client (not logged in) with Argus attached; baseline: a no-op listener and a pass-through strategy wrapper.',
  unit: 'ns/op',
  baseline: NO_OP,
  reference: 'argus-dpy: 16 µs per interaction (full lifecycle)',
  setup() {
    const { interactions, requests } = fixtures();
    const clients: Client[] = [];
    const handles: Argus[] = [];

    const bare = offlineClient();
    clients.push(bare);
    const noOp = offlineClient();
    clients.push(noOp);
    noOp.on('interactionCreate', () => {
      noOpCalls++;
    });
    const strategy = restStrategy(noOp);
    const send = strategy.makeRequest;
    strategy.makeRequest = (url, init) =>
      send(url, init).then((response) => {
        noOpCalls++;
        return response;
      });
    const withArgus = offlineClient();
    clients.push(withArgus);
    const handle = argus(withArgus, ARGUS_INIT);
    handles.push(handle);
    let answered = 0;

    return {
      notes: [
        `${POOL} distinct interactions (ids, 180-character tokens) over ${COMMANDS.length} commands, 2 with a subcommand; ` +
          'one op = receipt + callback response, each answered before the next arrives',
      ],
      variants: [
        {
          name: 'no listeners (emit floor)',
          async run(n) {
            for (let i = 0; i < n; i++) {
              const k = i & (POOL - 1);
              bare.emit('interactionCreate', interactions[k] as never);
              await restAttempt(bare, requests[k]!);
            }
          },
        },
        {
          name: NO_OP,
          async run(n) {
            for (let i = 0; i < n; i++) {
              const k = i & (POOL - 1);
              noOp.emit('interactionCreate', interactions[k] as never);
              await restAttempt(noOp, requests[k]!);
            }
          },
        },
        {
          name: 'argus',
          goal: goals.overheadBelow(1000, 'ns', 'no-op'),
          async run(n) {
            answered += n;
            for (let i = 0; i < n; i++) {
              const k = i & (POOL - 1);
              withArgus.emit('interactionCreate', interactions[k] as never);
              await restAttempt(withArgus, requests[k]!);
            }
          },
        },
      ],
      async conclude(rows) {
        const notes = overheads(rows);
        const exposition = await handle.prometheus!.render('text');
        let observed = 0;
        for (const m of exposition.matchAll(/_interaction_response_seconds_count\{[^}]*\} (\d+)/g)) {
          observed += Number(m[1]);
        }
        notes.push(
          `check: the response histogram counted ${observed} of the ${answered} interactions answered; ` +
            `the no-op listeners ran ${noOpCalls} times`,
        );
        return notes;
      },
      async teardown() {
        for (const h of handles) await h.close();
        for (const c of clients) await c.destroy();
      },
    };
  },
};

function overheads(rows: readonly ResultRow[]): string[] {
  const base = rows.find((r) => r.variant === NO_OP);
  const row = rows.find((r) => r.variant === 'argus');
  if (!base || !row) return [];
  return [`argus: +${(row.median - base.median).toFixed(0)} ns per interaction over the no-op listeners`];
}
