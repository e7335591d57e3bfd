import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  BlastOptions,
  GarbageKind,
  InteractionSpec,
  LatencyRule,
  MessageSpec,
  Payload,
  RateLimitRule,
  ScenarioSpec,
  StatusRule,
} from '../types.js';
import { TrafficDriver } from './driver.js';
import type { World } from './fixtures.js';
import { HttpError, parseJson, readBody, sendJson } from './http.js';
import { isScenarioName, SCENARIOS } from './scenarios.js';
import type { DiscordSim } from './sim.js';

export interface ControlContext {
  sim: DiscordSim;
  world: World;
}

/** One traffic driver per sim, started through `POST /_sim/scenario`. */
const drivers = new WeakMap<DiscordSim, TrafficDriver>();

function obj(value: unknown): Payload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, { message: 'expected a JSON object body' });
  }
  return value as Payload;
}

function int(body: Payload, key: string, fallback?: number): number {
  const v = body[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new HttpError(400, { message: `'${key}' must be an integer` });
  }
  return v;
}

/** Starts a scenario by name (with overrides) or from a full spec; replaces a running one. */
export function startScenario(sim: DiscordSim, body: Payload): TrafficDriver {
  let spec: ScenarioSpec;
  const name = body.name;
  if (typeof name === 'string' && isScenarioName(name)) {
    spec = { ...SCENARIOS[name], ...(body as Partial<ScenarioSpec>), name };
  } else if (typeof body.rate === 'number') {
    spec = body as unknown as ScenarioSpec;
  } else {
    throw new HttpError(400, {
      message: `unknown scenario '${String(name)}'; use one of ${Object.keys(SCENARIOS).join(', ')} or send a spec with 'rate'`,
    });
  }
  drivers.get(sim)?.stop();
  const driver = new TrafficDriver(sim, spec).start();
  drivers.set(sim, driver);
  return driver;
}

/**
 * The control API under `/_sim`, so a bot in another process (the demo) can be driven:
 * GET state, POST interaction | message | dispatch | blast | disconnect | invalidate | reconnect |
 * outage | heartbeat | identify-failure | ratelimit | status | latency | faults/clear | garbage |
 * scenario | scenario/stop.
 */
export async function handleControl(
  ctx: ControlContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const { sim } = ctx;
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    const raw = await readBody(req);
    const body = method === 'POST' ? obj(parseJson(raw) ?? {}) : {};
    const key = `${method} ${path.replace(/\/+$/, '') || '/'}`;
    const interactionMatch = /^GET \/interactions\/([^/]+)$/.exec(key);
    if (interactionMatch) {
      const record = sim.interaction(interactionMatch[1] ?? '');
      if (!record) throw new HttpError(404, { message: 'unknown interaction' });
      sendJson(res, 200, record);
      return;
    }
    switch (key) {
      case 'GET /':
      case 'GET /state':
        sendJson(res, 200, {
          url: sim.url,
          apiUrl: sim.apiUrl,
          gatewayUrl: sim.gatewayUrl,
          controlUrl: sim.controlUrl,
          token: sim.token,
          applicationId: sim.applicationId,
          shardCount: sim.shardCount,
          bot: sim.bot,
          users: sim.users,
          guilds: sim.guilds,
          commands: sim.commands(),
          stats: sim.stats(),
          scenario: drivers.get(sim)?.report() ?? null,
        });
        return;
      case 'GET /stats':
        sendJson(res, 200, sim.stats());
        return;
      case 'POST /interaction': {
        const sent = sim.sendInteraction(body as unknown as InteractionSpec);
        const { callback: _ignored, ...plain } = sent;
        const waitMs = typeof body.waitMs === 'number' ? body.waitMs : 0;
        let callback = null;
        if (waitMs > 0) callback = await sim.waitForCallback(sent.id, waitMs).catch(() => null);
        sendJson(res, 200, { ...plain, callback });
        return;
      }
      case 'POST /message':
        sendJson(res, 200, sim.sendMessage(body as unknown as MessageSpec));
        return;
      case 'POST /dispatch': {
        if (typeof body.t !== 'string') throw new HttpError(400, { message: "'t' must be a string" });
        const seq = sim.dispatch(int(body, 'shardId', 0), body.t, body.d ?? {});
        if (seq === null) throw new HttpError(409, { message: 'shard has no session' });
        sendJson(res, 200, { seq });
        return;
      }
      case 'POST /blast':
        sendJson(res, 200, await sim.blast(body as unknown as BlastOptions));
        return;
      case 'POST /disconnect':
        sendJson(res, 200, {
          ok: sim.disconnect(
            int(body, 'shardId', 0),
            int(body, 'code', 4000),
            body.reason as string | undefined,
          ),
        });
        return;
      case 'POST /invalidate':
        sendJson(res, 200, { ok: sim.invalidateSession(int(body, 'shardId', 0), body.resumable === true) });
        return;
      case 'POST /reconnect':
        sendJson(res, 200, { ok: sim.requestReconnect(int(body, 'shardId', 0)) });
        return;
      case 'POST /outage': {
        const ms = int(body, 'ms');
        void sim.outage(int(body, 'shardId', 0), ms);
        sendJson(res, 200, { until: Date.now() + ms });
        return;
      }
      case 'POST /heartbeat': {
        const shardId = int(body, 'shardId', 0);
        if (typeof body.ackDelayMs === 'number') sim.setAckDelay(shardId, body.ackDelayMs);
        if (typeof body.zombie === 'boolean') sim.setZombie(shardId, body.zombie);
        sendJson(res, 200, { ok: true });
        return;
      }
      case 'POST /identify-failure':
        sim.failIdentify({
          shardId: typeof body.shardId === 'number' ? body.shardId : undefined,
          code: typeof body.code === 'number' ? body.code : undefined,
          count: typeof body.count === 'number' ? body.count : undefined,
        });
        sendJson(res, 200, { ok: true });
        return;
      case 'POST /ratelimit':
        sendJson(res, 200, { id: sim.injectRateLimit(body as RateLimitRule).id });
        return;
      case 'POST /status':
        sendJson(res, 200, { id: sim.injectStatus(body as unknown as StatusRule).id });
        return;
      case 'POST /latency':
        sendJson(res, 200, { id: sim.injectLatency(body as unknown as LatencyRule).id });
        return;
      case 'POST /faults/clear':
        sim.clearFaults();
        sendJson(res, 200, { ok: true });
        return;
      case 'POST /garbage': {
        const seq = sim.sendGarbage(
          int(body, 'shardId', 0),
          (body.kind as GarbageKind | undefined) ?? 'malformed',
        );
        if (seq === null) throw new HttpError(409, { message: 'shard has no session' });
        sendJson(res, 200, { seq });
        return;
      }
      case 'GET /scenario':
        sendJson(res, 200, drivers.get(sim)?.report() ?? null);
        return;
      case 'POST /scenario':
        sendJson(res, 200, startScenario(sim, body).report());
        return;
      case 'POST /scenario/stop': {
        const driver = drivers.get(sim);
        drivers.delete(sim);
        sendJson(res, 200, driver ? driver.stop() : null);
        return;
      }
      default:
        throw new HttpError(404, { message: `no control route ${key}` });
    }
  } catch (error) {
    if (error instanceof HttpError) sendJson(res, error.status, error.body);
    else if (error instanceof RangeError || error instanceof TypeError)
      sendJson(res, 400, { message: error.message });
    else sendJson(res, 409, { message: error instanceof Error ? error.message : String(error) });
  }
}
