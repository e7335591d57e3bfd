// The per gateway event hook: what Argus' `raw` listener costs a bot on every dispatch.
//
// In process and without a network: a real discord.js Client, never logged in, receives synthetic
// `raw` packets emitted the way discord.js' WebSocketManager emits them (`client.emit('raw', packet,
// shardId)`). The baseline is an identical client with one no-op `raw` listener, so the difference
// is Argus' hook over the cheapest possible listener.

import { type Argus, argus } from '@argus/discordjs';
import { tracing } from '@argus/tracing';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { Client } from 'discord.js';
import { ARGUS_INIT, offlineClient } from '../fixtures/discord';
import { goals, type ResultRow, type Workload } from '../harness';

/** A busy bot's mix: 11 dispatch types, weighted towards messages, typing and presences (16 slots). */
const MIX = [
  'MESSAGE_CREATE',
  'TYPING_START',
  'MESSAGE_CREATE',
  'PRESENCE_UPDATE',
  'MESSAGE_UPDATE',
  'MESSAGE_CREATE',
  'GUILD_MEMBER_UPDATE',
  'TYPING_START',
  'MESSAGE_REACTION_ADD',
  'MESSAGE_CREATE',
  'PRESENCE_UPDATE',
  'INTERACTION_CREATE',
  'MESSAGE_DELETE',
  'VOICE_STATE_UPDATE',
  'CHANNEL_UPDATE',
  'THREAD_UPDATE',
] as const;

interface Packet {
  op: 0;
  t: string;
  s: number;
  d: Record<string, never>;
}

const packets: Packet[] = MIX.map((t, i) => ({ op: 0, t, s: i + 1, d: {} }));
const single: Packet = { op: 0, t: 'MESSAGE_CREATE', s: 1, d: {} };

/** Calls of the no-op listener: observable, so the call cannot be dropped, and a sanity check. */
let noOpCalls = 0;

const NO_OP = 'no-op raw listener';
const ARGUS = 'argus, 11-type mix';

export const gatewayHook: Workload = {
  name: 'gateway-hook',
  title: 'Per gateway event hook',
  description:
    "client.emit('raw', packet, 0) on a real discord.js Client (not logged in) with Argus attached, " +
    'over a mix of 11 dispatch types; baseline: an identical client with one no-op raw listener.',
  unit: 'ns/op',
  baseline: NO_OP,
  reference: 'argus-dpy: 3 µs per gateway event hook',
  setup() {
    const clients: Client[] = [];
    const handles: Argus[] = [];
    const client = () => {
      const c = offlineClient();
      clients.push(c);
      return c;
    };

    const bare = client();
    const noOp = client();
    noOp.on('raw', () => {
      noOpCalls++;
    });
    const withArgus = client();
    const mixHandle = argus(withArgus, ARGUS_INIT);
    handles.push(mixHandle);
    let mixEmitted = 0;
    const withArgusSingle = client();
    handles.push(argus(withArgusSingle, ARGUS_INIT));
    // Tracing on: the client's emit runs interactionCreate inside the trace and passes every other
    // event through; this is what that pass-through costs a dispatch.
    const provider = new TracerProvider();
    const withTracing = client();
    handles.push(argus(withTracing, { ...ARGUS_INIT, tracing: tracing({ tracerProvider: provider }) }));

    return {
      notes: [
        `mix: ${new Set(MIX).size} types over ${MIX.length} slots (MESSAGE_CREATE 4, TYPING_START 2, PRESENCE_UPDATE 2, others 1)`,
        'ns/op = ns per event, emit included; the hook alone is the difference over the baseline (below)',
      ],
      variants: [
        {
          name: 'no listener (emit floor)',
          run(n) {
            for (let i = 0; i < n; i++) bare.emit('raw', packets[i & 15], 0);
          },
        },
        {
          name: NO_OP,
          run(n) {
            for (let i = 0; i < n; i++) noOp.emit('raw', packets[i & 15], 0);
          },
        },
        {
          name: ARGUS,
          goal: goals.overheadBelow(1000, 'ns', 'no-op'),
          run(n) {
            mixEmitted += n;
            for (let i = 0; i < n; i++) withArgus.emit('raw', packets[i & 15], 0);
          },
        },
        {
          name: 'argus with tracing, 11-type mix',
          run(n) {
            for (let i = 0; i < n; i++) withTracing.emit('raw', packets[i & 15], 0);
          },
        },
        {
          name: 'argus, MESSAGE_CREATE only',
          run(n) {
            for (let i = 0; i < n; i++) withArgusSingle.emit('raw', single, 0);
          },
        },
      ],
      async conclude(rows) {
        const exposition = await mixHandle.prometheus!.render('text');
        let counted = 0;
        for (const m of exposition.matchAll(/_gateway_events_total\{[^}]*\} (\d+)/g)) counted += Number(m[1]);
        return [
          ...overheads(rows),
          `check: argus counted ${counted} of the ${mixEmitted} mixed events emitted; the no-op listener ran ${noOpCalls} times`,
        ];
      },
      async teardown() {
        for (const h of handles) await h.close();
        await provider.shutdown();
        for (const c of clients) await c.destroy();
      },
    };
  },
};

/** "argus ...: +X ns/event over the no-op listener" for every Argus row. */
function overheads(rows: readonly ResultRow[]): string[] {
  const base = rows.find((r) => r.variant === NO_OP);
  if (!base) return [];
  return rows
    .filter((r) => r.variant.startsWith('argus'))
    .map(
      (r) => `${r.variant}: hook = +${(r.median - base.median).toFixed(1)} ns/event over the no-op listener`,
    );
}
