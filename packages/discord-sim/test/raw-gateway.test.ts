import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DiscordSim, startDiscordSim } from '../src/index.js';

/**
 * The gateway driven by a bare WebSocket, to check the sim answers protocol errors the way Discord does
 * and never falls over on bad input.
 */
let sim: DiscordSim;

beforeAll(async () => {
  sim = await startDiscordSim({ shardCount: 2, guildCount: 2, heartbeatIntervalMs: 5000 });
});

afterAll(async () => {
  await sim.close();
});

interface Frame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** Opens a socket and collects frames; resolves once HELLO arrived. */
async function open(query = '?v=10&encoding=json') {
  const ws = new WebSocket(`${sim.gatewayUrl}${query}`);
  const frames: Frame[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const deadline = Date.now() + 5000;
  while (!frames.some((f) => f.op === 10) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  const next = async (pred: (f: Frame) => boolean): Promise<Frame> => {
    const until = Date.now() + 5000;
    for (;;) {
      const f = frames.find(pred);
      if (f) return f;
      if (Date.now() > until) throw new Error('frame not received');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { ws, frames, closed, next };
}

const identify = (shard: [number, number], token = sim.token) =>
  JSON.stringify({ op: 2, d: { token, intents: 513, properties: {}, shard } });

describe('gateway protocol errors', () => {
  it('sends HELLO with the configured interval and ACKs heartbeats', async () => {
    const c = await open();
    expect(c.frames[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 5000 } });
    c.ws.send(JSON.stringify({ op: 1, d: null }));
    await c.next((f) => f.op === 11);
    c.ws.close();
  });

  it('IDENTIFY -> READY with resume_gateway_url, session and shard, then one GUILD_CREATE per shard guild', async () => {
    const c = await open();
    c.ws.send(identify([1, 2], `Bot ${sim.token}`));
    const ready = await c.next((f) => f.t === 'READY');
    const d = ready.d as {
      session_id: string;
      resume_gateway_url: string;
      shard: number[];
      guilds: { id: string }[];
    };
    expect(ready.s).toBe(1);
    expect(d.session_id).toBeTruthy();
    expect(d.resume_gateway_url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
    expect(d.shard).toEqual([1, 2]);
    expect(d.guilds.map((g) => g.id)).toEqual(sim.guildsOfShard(1).map((g) => g.id));
    const guildCreate = await c.next((f) => f.t === 'GUILD_CREATE');
    expect(guildCreate.d).toMatchObject({ unavailable: false, id: d.guilds[0]?.id });
    c.ws.send(identify([1, 2]));
    expect(await c.closed).toBe(4005);
  });

  it('closes with 4002 on invalid JSON, binary frames and non-JSON encodings', async () => {
    const a = await open();
    a.ws.send('{not json');
    expect(await a.closed).toBe(4002);
    const b = await open();
    b.ws.send(Buffer.from([1, 2, 3]));
    expect(await b.closed).toBe(4002);
    const ws = new WebSocket(`${sim.gatewayUrl}?v=10&encoding=etf`);
    ws.on('error', () => {});
    const [code] = await new Promise<[number]>((resolve) => ws.on('close', (c) => resolve([c])));
    expect(code).toBe(4002);
  });

  it('closes with 4004 on a wrong token and 4010 on an invalid shard', async () => {
    const a = await open();
    a.ws.send(identify([0, 1], 'wrong'));
    expect(await a.closed).toBe(4004);
    const b = await open();
    b.ws.send(identify([2, 2]));
    expect(await b.closed).toBe(4010);
  });

  it('answers RESUME of an unknown session with op 9 false', async () => {
    const c = await open();
    c.ws.send(JSON.stringify({ op: 6, d: { token: sim.token, session_id: 'nope', seq: 3 } }));
    const invalid = await c.next((f) => f.op === 9);
    expect(invalid.d).toBe(false);
    c.ws.close();
  });

  it('RESUME replays exactly the dispatches after the given seq, then RESUMED', async () => {
    const c = await open();
    c.ws.send(identify([0, 2]));
    const ready = await c.next((f) => f.t === 'READY');
    const sessionId = (ready.d as { session_id: string }).session_id;
    const seqAfterGuilds = 1 + sim.guildsOfShard(0).length;
    await c.next((f) => f.s === seqAfterGuilds);
    c.ws.terminate();
    await c.closed;
    sim.dispatch(0, 'CUSTOM_A', { n: 1 });
    sim.dispatch(0, 'CUSTOM_B', { n: 2 });
    const r = await open();
    r.ws.send(JSON.stringify({ op: 6, d: { token: sim.token, session_id: sessionId, seq: seqAfterGuilds } }));
    const resumed = await r.next((f) => f.t === 'RESUMED');
    const types = r.frames.filter((f) => f.op === 0).map((f) => f.t);
    expect(types).toEqual(['CUSTOM_A', 'CUSTOM_B', 'RESUMED']);
    expect(resumed.s).toBe(seqAfterGuilds + 3);
    r.ws.close(1000);
    await r.closed;
  });

  it('RESUME with a seq older than the replay buffer gets op 9 false', async () => {
    const small = await startDiscordSim({ replayBufferSize: 3 });
    try {
      const ws = new WebSocket(`${small.gatewayUrl}?v=10&encoding=json`);
      const frames: Frame[] = [];
      ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
      await new Promise((r) => ws.once('open', r));
      ws.send(
        JSON.stringify({ op: 2, d: { token: small.token, intents: 1, properties: {}, shard: [0, 1] } }),
      );
      while (!frames.some((f) => f.t === 'READY')) await new Promise((r) => setTimeout(r, 5));
      const sessionId = (frames.find((f) => f.t === 'READY')?.d as { session_id?: string } | undefined)
        ?.session_id;
      ws.terminate();
      for (let i = 0; i < 20; i++) small.dispatch(0, 'FILLER', { i });
      const r = new WebSocket(`${small.gatewayUrl}?v=10&encoding=json`);
      const rFrames: Frame[] = [];
      r.on('message', (data) => rFrames.push(JSON.parse(String(data)) as Frame));
      await new Promise((res) => r.once('open', res));
      r.send(JSON.stringify({ op: 6, d: { token: small.token, session_id: sessionId, seq: 1 } }));
      while (!rFrames.some((f) => f.op === 9)) await new Promise((res) => setTimeout(res, 5));
      expect(rFrames.find((f) => f.op === 9)?.d).toBe(false);
      r.close();
    } finally {
      await small.close();
    }
  });

  it('answers REQUEST_GUILD_MEMBERS with a chunk from the user pool', async () => {
    const c = await open();
    c.ws.send(identify([0, 2]));
    await c.next((f) => f.t === 'READY');
    const guildId = sim.guildsOfShard(0)[0]?.id;
    c.ws.send(JSON.stringify({ op: 8, d: { guild_id: guildId, query: '', limit: 0, nonce: 'n1' } }));
    const chunk = await c.next((f) => f.t === 'GUILD_MEMBERS_CHUNK');
    expect(chunk.d).toMatchObject({ guild_id: guildId, nonce: 'n1', chunk_index: 0, chunk_count: 1 });
    expect((chunk.d as { members: unknown[] }).members).toHaveLength(sim.users.length);
    c.ws.close();
  });

  it('is still healthy after all of the above', async () => {
    const res = await fetch(`${sim.apiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${sim.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ shards: 2, session_start_limit: { max_concurrency: 16 } });
  });
});
