import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type {
  BlastEvent,
  BlastResult,
  IdentifyEvent,
  Payload,
  ResumedEvent,
  ShardCloseEvent,
  ShardStats,
} from '../types.js';
import { guildCreatePayload, memberPayload, userPayload, type World } from './fixtures.js';
import { randomToken, shardOf } from './ids.js';

/** Gateway opcodes used here. */
const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  reconnect: 7,
  requestGuildMembers: 8,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

/** Close codes after which Discord (and discord.js) start a new session rather than resume. */
const SESSION_ENDING_CODES = new Set([
  1000, 1001, 4003, 4004, 4005, 4007, 4008, 4010, 4011, 4012, 4013, 4014,
]);

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  conn: Conn | null;
  /** Ring buffer of the last N dispatch frames, for RESUME replay. */
  ring: { s: number; frame: string }[];
  ringNext: number;
}

interface Conn {
  ws: WebSocket;
  session: Session | null;
  /** Set when the sim closes the socket, to tell sim-initiated closes from the client's. */
  closedBySim: boolean;
}

interface ShardState {
  ackDelayMs: number;
  zombie: boolean;
  outageUntil: number | null;
  outageTimer: NodeJS.Timeout | null;
  outageDone: (() => void) | null;
  identifies: number;
  resumes: number;
  heartbeats: number;
  acks: number;
}

export interface GatewayHooks {
  world: World;
  token: string;
  shardCount: number;
  heartbeatIntervalMs: number;
  replayBufferSize: number;
  /** ws://host:port, without a path. */
  wsBase(): string;
  onIdentify(e: IdentifyEvent): void;
  onResumed(e: ResumedEvent): void;
  onClose(e: ShardCloseEvent): void;
  onDispatch(t: string, count: number): void;
}

export interface IdentifyFailure {
  shardId: number | null;
  code: number;
  remaining: number;
}

/** Strips an optional `Bot ` prefix, as Discord accepts both in IDENTIFY. */
function bareToken(token: unknown): string {
  return typeof token === 'string' ? token.replace(/^Bot\s+/i, '') : '';
}

/**
 * The fake gateway: sessions per shard, HELLO / IDENTIFY / RESUME / heartbeats, dispatch with a replay
 * buffer, and the fault controls (closes, invalid sessions, zombie heartbeats, outages).
 */
export class Gateway {
  readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 4 * 1024 * 1024,
  });
  private readonly conns = new Set<Conn>();
  private readonly sessions = new Map<string, Session>();
  /** The current session of each shard id (the last one to IDENTIFY). */
  private readonly shardSessions = new Map<number, Session>();
  private readonly shards = new Map<number, ShardState>();
  private readonly identifyFailures: IdentifyFailure[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly hooks: GatewayHooks,
    ackDelayMs: number | readonly number[],
  ) {
    for (let i = 0; i < hooks.shardCount; i++) {
      const delay = typeof ackDelayMs === 'number' ? ackDelayMs : (ackDelayMs[i] ?? 0);
      this.shard(i).ackDelayMs = Math.max(0, delay);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Connection handling
  // -------------------------------------------------------------------------------------------

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const conn: Conn = { ws, session: null, closedBySim: false };
    this.conns.add(conn);
    ws.on('error', () => {
      // A reset from the client is normal during disconnect tests; the close handler cleans up.
    });
    ws.on('close', (code) => this.onSocketClose(conn, code));
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    const url = new URL(req.url ?? '/', 'http://sim');
    const encoding = url.searchParams.get('encoding');
    if (encoding && encoding !== 'json') {
      // Only JSON is spoken here (discord.js 14 never asks for ETF).
      this.closeConn(conn, 4002, 'Only encoding=json is supported by the sim');
      return;
    }
    this.sendOp(conn, OP.hello, {
      heartbeat_interval: this.hooks.heartbeatIntervalMs,
      _trace: ['argus-discord-sim'],
    });
  }

  private onSocketClose(conn: Conn, code: number): void {
    this.conns.delete(conn);
    const session = conn.session;
    if (session && session.conn === conn) {
      session.conn = null;
      // Discord ends the session when the client closes with 1000/1001 or on fatal codes.
      if (SESSION_ENDING_CODES.has(code)) this.dropSession(session);
    }
    this.hooks.onClose({
      shardId: session?.shardId ?? null,
      sessionId: session?.id ?? null,
      code,
      by: conn.closedBySim ? 'sim' : 'client',
      at: Date.now(),
    });
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.closeConn(conn, 4002, 'Binary payloads are not supported by the sim');
      return;
    }
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(data.toString());
    } catch {
      this.closeConn(conn, 4002, 'Error while decoding payload');
      return;
    }
    const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Payload;
    switch (payload.op) {
      case OP.heartbeat:
        this.onHeartbeat(conn);
        break;
      case OP.identify:
        this.onIdentify(conn, d);
        break;
      case OP.resume:
        this.onResume(conn, d);
        break;
      case OP.requestGuildMembers:
        this.onRequestGuildMembers(conn, d);
        break;
      default:
        // Presence (3), voice state (4) and newer ops are accepted and ignored.
        break;
    }
  }

  private onHeartbeat(conn: Conn): void {
    const shardId = conn.session?.shardId;
    const state = shardId === undefined ? null : this.shard(shardId);
    if (state) state.heartbeats++;
    if (state?.zombie) return; // zombie mode: the client notices the missing ACK and reconnects
    const delay = state?.ackDelayMs ?? 0;
    const ack = (): void => {
      if (conn.ws.readyState !== WebSocket.OPEN) return;
      if (state) state.acks++;
      this.sendOp(conn, OP.heartbeatAck, null);
    };
    if (delay > 0) this.later(delay, ack);
    else ack();
  }

  private onIdentify(conn: Conn, d: Payload): void {
    if (conn.session) {
      this.closeConn(conn, 4005, 'Already authenticated');
      return;
    }
    if (bareToken(d.token) !== this.hooks.token) {
      this.closeConn(conn, 4004, 'Authentication failed');
      return;
    }
    const shardPair = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shardId = Number(shardPair[0]);
    const shardCount = Number(shardPair[1]);
    if (
      !Number.isInteger(shardId) ||
      !Number.isInteger(shardCount) ||
      shardCount < 1 ||
      shardId >= shardCount
    ) {
      this.closeConn(conn, 4010, 'Invalid shard');
      return;
    }
    const failure = this.takeIdentifyFailure(shardId);
    if (failure !== null) {
      this.closeConn(conn, failure, 'Injected identify failure');
      return;
    }
    if (this.inOutage(shardId)) {
      this.terminateConn(conn);
      return;
    }
    const previous = this.shardSessions.get(shardId);
    if (previous) this.dropSession(previous);
    const session: Session = {
      id: randomToken('sim_'),
      shardId,
      shardCount,
      intents: typeof d.intents === 'number' ? d.intents : 0,
      seq: 0,
      conn,
      ring: [],
      ringNext: 0,
    };
    conn.session = session;
    this.sessions.set(session.id, session);
    this.shardSessions.set(shardId, session);
    this.shard(shardId).identifies++;

    const { world } = this.hooks;
    const guilds = world.guilds.filter((g) => shardOf(g.id, shardCount) === shardId);
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: { ...userPayload(world.bot, true), verified: true, mfa_enabled: false, email: null, flags: 0 },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: `${this.hooks.wsBase()}/resume`,
      shard: [shardId, shardCount],
      application: { id: world.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      auth: {},
      geo_ordered_rtc_regions: [],
      _trace: ['argus-discord-sim'],
    });
    for (const g of guilds) this.dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(g, world));
    this.hooks.onIdentify({
      shardId,
      shardCount,
      sessionId: session.id,
      intents: session.intents,
      at: Date.now(),
    });
  }

  private onResume(conn: Conn, d: Payload): void {
    if (bareToken(d.token) !== this.hooks.token) {
      this.closeConn(conn, 4004, 'Authentication failed');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session) {
      this.sendOp(conn, OP.invalidSession, false);
      return;
    }
    if (this.inOutage(session.shardId)) {
      this.terminateConn(conn);
      return;
    }
    const clientSeq = typeof d.seq === 'number' ? d.seq : 0;
    const replay = session.ring
      .filter((e) => e.s > clientSeq)
      .sort((a, b) => a.s - b.s)
      .map((e) => e.frame);
    const oldest = replay.length > 0 ? session.seq - replay.length + 1 : session.seq + 1;
    if (clientSeq > session.seq || clientSeq + 1 < oldest) {
      // The gap cannot be replayed (buffer overrun or a seq from the future): Discord invalidates.
      this.dropSession(session);
      this.sendOp(conn, OP.invalidSession, false);
      return;
    }
    const old = session.conn;
    if (old && old !== conn) {
      old.session = null;
      this.terminateConn(old);
    }
    session.conn = conn;
    conn.session = session;
    this.shardSessions.set(session.shardId, session);
    this.shard(session.shardId).resumes++;
    for (const frame of replay) conn.ws.send(frame);
    this.dispatchTo(session, 'RESUMED', { _trace: ['argus-discord-sim'] });
    this.hooks.onResumed({
      shardId: session.shardId,
      sessionId: session.id,
      replayed: replay.length,
      at: Date.now(),
    });
  }

  /** Answers `guild.members.fetch()` with the fake user pool, so it resolves instead of timing out. */
  private onRequestGuildMembers(conn: Conn, d: Payload): void {
    const session = conn.session;
    if (!session) return;
    const { world } = this.hooks;
    const guildIds = Array.isArray(d.guild_id) ? d.guild_id : [d.guild_id];
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const userIds = Array.isArray(d.user_ids) ? new Set(d.user_ids.map(String)) : null;
    for (const gid of guildIds) {
      const guild = world.guildById.get(String(gid));
      if (!guild) continue;
      const users = world.users
        .filter((u) => (userIds ? userIds.has(u.id) : u.username.startsWith(query)))
        .slice(0, limit);
      this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
        guild_id: guild.id,
        members: users.map((u) => memberPayload(u)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: [],
        ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Dispatch
  // -------------------------------------------------------------------------------------------

  /** The current session of a shard, if the bot has identified it. */
  sessionOf(shardId: number): Session | undefined {
    return this.shardSessions.get(shardId);
  }

  /** The shard (as the connected client counts shards) that owns a guild; falls back to the sim's count. */
  shardForGuild(guildId: string): number {
    for (const s of this.shardSessions.values()) {
      if (shardOf(guildId, s.shardCount) === s.shardId) return s.shardId;
    }
    return shardOf(guildId, this.hooks.shardCount);
  }

  isConnected(shardId: number): boolean {
    const s = this.shardSessions.get(shardId);
    return !!s?.conn && s.conn.ws.readyState === WebSocket.OPEN;
  }

  /** Sends (or, while the shard is down, buffers for replay) one dispatch. Returns its seq, or null. */
  dispatch(shardId: number, t: string, d: unknown): number | null {
    const session = this.shardSessions.get(shardId);
    if (!session) return null;
    return this.dispatchTo(session, t, d);
  }

  private dispatchTo(session: Session, t: string, d: unknown): number {
    // Serialise before taking a sequence number: a payload that cannot be serialised must not leave a gap.
    const data = JSON.stringify(d) ?? 'null';
    const s = ++session.seq;
    const frame = `{"op":0,"t":${JSON.stringify(t)},"s":${s},"d":${data}}`;
    this.pushFrame(session, s, frame);
    const conn = session.conn;
    if (conn && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(frame);
    this.hooks.onDispatch(t, 1);
    return s;
  }

  private pushFrame(session: Session, s: number, frame: string): void {
    const size = this.hooks.replayBufferSize;
    if (size <= 0) return;
    const entry = { s, frame };
    if (session.ring.length < size) session.ring.push(entry);
    else session.ring[session.ringNext] = entry;
    session.ringNext = (session.ringNext + 1) % size;
  }

  /**
   * Pushes `count` dispatches built from a template as fast as the socket takes them. `parts` is the
   * JSON of `d` split at each place a fresh id goes; `onId` sees each id (e.g. to track interactions).
   */
  async blast(
    shardId: number,
    event: BlastEvent,
    count: number,
    parts: string[],
    nextId: () => string,
    onId?: (id: string) => void,
  ): Promise<BlastResult> {
    const session = this.shardSessions.get(shardId);
    const started = performance.now();
    const result: BlastResult = { shardId, event, sent: 0, firstSeq: -1, lastSeq: -1, durationMs: 0 };
    if (!session?.conn) return result;
    const conn = session.conn;
    const head = `{"op":0,"t":"${event}","s":`;
    const BATCH = 256;
    for (let i = 0; i < count; i++) {
      if (session.conn !== conn || conn.ws.readyState !== WebSocket.OPEN || this.closed) break;
      const id = nextId();
      onId?.(id);
      const s = ++session.seq;
      const frame = `${head}${s},"d":${parts.join(id)}}`;
      this.pushFrame(session, s, frame);
      if (result.firstSeq < 0) result.firstSeq = s;
      result.lastSeq = s;
      result.sent++;
      if ((i + 1) % BATCH === 0 || i === count - 1) {
        // Wait for the batch to reach the kernel: natural backpressure, and it lets an in-process bot read.
        await new Promise<void>((resolve) => conn.ws.send(frame, () => resolve()));
      } else {
        conn.ws.send(frame);
      }
    }
    this.hooks.onDispatch(event, result.sent);
    result.durationMs = performance.now() - started;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Fault controls
  // -------------------------------------------------------------------------------------------

  /** Closes the shard's socket with `code` (1006: drop the TCP connection without a close frame). */
  disconnect(shardId: number, code: number, reason = 'Simulated disconnect'): boolean {
    const conn = this.shardSessions.get(shardId)?.conn;
    if (!conn) return false;
    if (code === 1006) this.terminateConn(conn);
    else this.closeConn(conn, code, reason);
    return true;
  }

  /** Sends op 9. With `resumable: false` the session is forgotten, so the client must IDENTIFY again. */
  invalidateSession(shardId: number, resumable: boolean): boolean {
    const session = this.shardSessions.get(shardId);
    if (!session?.conn) return false;
    const conn = session.conn;
    if (!resumable) this.dropSession(session, false);
    this.sendOp(conn, OP.invalidSession, resumable);
    return true;
  }

  /** Sends op 7 RECONNECT: the client closes and resumes. */
  requestReconnect(shardId: number): boolean {
    const conn = this.shardSessions.get(shardId)?.conn;
    if (!conn) return false;
    this.sendOp(conn, OP.reconnect, null);
    return true;
  }

  /** The next `count` IDENTIFYs (of `shardId`, or any shard) are closed with `code` (4004 by default). */
  failIdentify(shardId: number | null, code: number, count: number): void {
    this.identifyFailures.push({ shardId, code, remaining: Math.max(1, count) });
  }

  private takeIdentifyFailure(shardId: number): number | null {
    for (const f of this.identifyFailures) {
      if (f.remaining > 0 && (f.shardId === null || f.shardId === shardId)) {
        f.remaining--;
        if (f.remaining === 0) this.identifyFailures.splice(this.identifyFailures.indexOf(f), 1);
        return f.code;
      }
    }
    return null;
  }

  /**
   * Drops the shard's connection and refuses its reconnects (IDENTIFY or RESUME) for `ms`. The session
   * is kept, so after the outage the client resumes and gets what was dispatched meanwhile.
   */
  outage(shardId: number, ms: number): Promise<void> {
    const state = this.shard(shardId);
    if (state.outageTimer) clearTimeout(state.outageTimer);
    state.outageDone?.();
    state.outageUntil = Date.now() + ms;
    const conn = this.shardSessions.get(shardId)?.conn;
    if (conn) this.terminateConn(conn);
    return new Promise<void>((resolve) => {
      state.outageDone = resolve;
      state.outageTimer = setTimeout(() => this.endOutage(shardId), ms);
      state.outageTimer.unref();
    });
  }

  private endOutage(shardId: number): void {
    const state = this.shard(shardId);
    if (state.outageTimer) clearTimeout(state.outageTimer);
    state.outageTimer = null;
    state.outageUntil = null;
    const done = state.outageDone;
    state.outageDone = null;
    done?.();
  }

  private inOutage(shardId: number): boolean {
    const until = this.shards.get(shardId)?.outageUntil;
    return until != null && Date.now() < until;
  }

  setAckDelay(shardId: number, ms: number): void {
    this.shard(shardId).ackDelayMs = Math.max(0, ms);
  }

  setZombie(shardId: number, zombie: boolean): void {
    this.shard(shardId).zombie = zombie;
  }

  // -------------------------------------------------------------------------------------------
  // State and lifecycle
  // -------------------------------------------------------------------------------------------

  get connectionCount(): number {
    return this.conns.size;
  }

  shardIds(): number[] {
    const ids = new Set<number>(this.shards.keys());
    for (const id of this.shardSessions.keys()) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  shardStats(): ShardStats[] {
    return this.shardIds().map((shardId) => {
      const st = this.shard(shardId);
      const session = this.shardSessions.get(shardId);
      return {
        shardId,
        connected: this.isConnected(shardId),
        sessionId: session?.id ?? null,
        seq: session?.seq ?? 0,
        identifies: st.identifies,
        resumes: st.resumes,
        heartbeats: st.heartbeats,
        acks: st.acks,
        ackDelayMs: st.ackDelayMs,
        zombie: st.zombie,
        outageUntil: st.outageUntil,
      };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const id of this.shards.keys()) this.endOutage(id);
    for (const conn of this.conns) this.terminateConn(conn);
    this.conns.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private shard(shardId: number): ShardState {
    let st = this.shards.get(shardId);
    if (!st) {
      st = {
        ackDelayMs: 0,
        zombie: false,
        outageUntil: null,
        outageTimer: null,
        outageDone: null,
        identifies: 0,
        resumes: 0,
        heartbeats: 0,
        acks: 0,
      };
      this.shards.set(shardId, st);
    }
    return st;
  }

  private dropSession(session: Session, detach = true): void {
    this.sessions.delete(session.id);
    if (this.shardSessions.get(session.shardId) === session) this.shardSessions.delete(session.shardId);
    if (detach && session.conn) session.conn.session = null;
  }

  private sendOp(conn: Conn, op: number, d: unknown): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify({ op, d, s: null, t: null }));
  }

  private closeConn(conn: Conn, code: number, reason: string): void {
    conn.closedBySim = true;
    if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) {
      conn.ws.close(code, reason);
      // A client that never answers the close frame is cut off, so tests cannot hang on it.
      this.later(2000, () => conn.ws.terminate());
    }
  }

  private terminateConn(conn: Conn): void {
    conn.closedBySim = true;
    conn.ws.terminate();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }
}
