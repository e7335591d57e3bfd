import type {
  InteractionCallbackEvent,
  LatencySummary,
  ScenarioSpec,
  SimGuild,
  SimMode,
  TrafficKind,
  TrafficReport,
} from '../types.js';
import { MODE_OPTION } from './demo.js';
import { seededRandom } from './ids.js';
import type { DiscordSim } from './sim.js';

const KINDS: readonly TrafficKind[] = ['command', 'autocomplete', 'button', 'select', 'modal', 'prefix'];
const TICK_MS = 50;
/** Pending (unanswered) interaction ids kept for matching callbacks; bounded so `ignore` traffic cannot grow it. */
const MAX_PENDING = 100_000;
const LATENCY_SAMPLES = 10_000;

function pickWeighted<T>(items: readonly T[], weight: (item: T) => number, r: number): T | undefined {
  let total = 0;
  for (const item of items) total += Math.max(0, weight(item));
  if (total <= 0) return undefined;
  let x = r * total;
  for (const item of items) {
    x -= Math.max(0, weight(item));
    if (x < 0) return item;
  }
  return items[items.length - 1];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/**
 * Plays a scenario against a running sim and a connected bot: a steady rate of mixed events, the
 * error/slow/ignore shares, rate-limit bursts, outages and disconnects. Timers are unref'd and all of
 * them stop on `stop()`, after `durationMs`, or when the sim closes.
 */
export class TrafficDriver {
  readonly scenario: ScenarioSpec;
  /** Resolves with the final report when the driver stops. */
  readonly done: Promise<TrafficReport>;

  private readonly random: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<string>();
  private readonly latencies: number[] = [];
  private latencyCursor = 0;
  private resolveDone: (report: TrafficReport) => void = () => {};
  private startPerf = 0;
  private startedAt = 0;
  private issued = 0;
  private running = false;
  private stopped = false;
  private unhookClose: (() => void) | null = null;
  private finalReport: TrafficReport | null = null;
  private readonly counts = {
    byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<TrafficKind, number>,
    byCommand: {} as Record<string, number>,
    byAutocomplete: {} as Record<string, number>,
    byCustomId: {} as Record<string, number>,
    byPrefix: {} as Record<string, number>,
    byMode: { ok: 0, slow: 0, error: 0, ignore: 0 } as Record<SimMode, number>,
    total: 0,
    answered: 0,
    skipped: 0,
    errors: 0,
    rateLimitsInjected: 0,
    outages: 0,
    disconnects: 0,
  };

  constructor(
    private readonly sim: DiscordSim,
    scenario: ScenarioSpec,
  ) {
    if (!(scenario.rate >= 0) || !Number.isFinite(scenario.rate)) {
      throw new RangeError(
        `@argus/discord-sim: scenario rate must be a finite number >= 0, got ${scenario.rate}`,
      );
    }
    this.scenario = scenario;
    this.random = seededRandom(scenario.seed ?? 1);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts sending. Calling it twice, or after stop(), does nothing. */
  start(): this {
    if (this.running || this.stopped) return this;
    this.running = true;
    this.startPerf = performance.now();
    this.startedAt = Date.now();
    this.sim.on('interactionCallback', this.onCallback);
    this.unhookClose = this.sim.onClose(() => {
      this.stop();
    });
    const s = this.scenario;
    this.every(TICK_MS, () => this.tick());
    if (s.rateLimitBursts && s.rateLimitBursts.everyMs > 0) {
      const b = s.rateLimitBursts;
      this.every(b.everyMs, () => {
        this.sim.injectRateLimit({
          count: b.count,
          method: b.method,
          route: b.route ?? '^/(channels|webhooks)/',
          retryAfter: b.retryAfter ?? 1,
          global: b.global ?? false,
        });
        this.counts.rateLimitsInjected += b.count;
      });
    }
    for (const o of s.outages ?? []) {
      this.after(o.atMs, () => {
        this.counts.outages++;
        void this.sim.outage(o.shardId, o.durationMs);
      });
    }
    for (const d of s.disconnects ?? []) {
      this.after(d.atMs, () => {
        if (this.sim.disconnect(d.shardId, d.code ?? 4000)) this.counts.disconnects++;
      });
    }
    if (s.durationMs !== undefined) this.after(s.durationMs, () => this.stop());
    return this;
  }

  /** Stops all traffic and timers; returns (and resolves `done` with) the final report. */
  stop(): TrafficReport {
    if (this.finalReport) return this.finalReport;
    this.stopped = true;
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.sim.off('interactionCallback', this.onCallback);
    this.unhookClose?.();
    this.unhookClose = null;
    this.finalReport = this.report();
    this.resolveDone(this.finalReport);
    return this.finalReport;
  }

  /** A snapshot of what was sent so far. */
  report(): TrafficReport {
    if (this.finalReport) return this.finalReport;
    const c = this.counts;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const latency: LatencySummary = {
      count: c.answered,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted[sorted.length - 1] ?? 0,
    };
    return {
      scenario: this.scenario.name ?? 'custom',
      running: this.running,
      startedAt: this.startedAt,
      elapsedMs: this.startedAt ? performance.now() - this.startPerf : 0,
      sent: {
        total: c.total,
        byKind: { ...c.byKind },
        byCommand: { ...c.byCommand },
        byAutocomplete: { ...c.byAutocomplete },
        byCustomId: { ...c.byCustomId },
        byPrefix: { ...c.byPrefix },
        byMode: { ...c.byMode },
      },
      answered: c.answered,
      callbackLatencyMs: latency,
      skipped: c.skipped,
      errors: c.errors,
      rateLimitsInjected: c.rateLimitsInjected,
      outages: c.outages,
      disconnects: c.disconnects,
    };
  }

  private readonly onCallback = (e: InteractionCallbackEvent): void => {
    if (!this.pending.delete(e.interactionId)) return;
    this.counts.answered++;
    if (this.latencies.length < LATENCY_SAMPLES) this.latencies.push(e.latencyMs);
    else {
      this.latencies[this.latencyCursor] = e.latencyMs;
      this.latencyCursor = (this.latencyCursor + 1) % LATENCY_SAMPLES;
    }
  };

  private tick(): void {
    if (!this.running) return;
    const rate = this.scenario.rate;
    const elapsed = (performance.now() - this.startPerf) / 1000;
    let due = Math.floor(rate * elapsed) - this.issued;
    // After a stalled event loop, catch up by at most one second of traffic rather than a burst.
    const cap = Math.max(1, Math.ceil(rate));
    if (due > cap) {
      this.issued += due - cap;
      due = cap;
    }
    for (let i = 0; i < due; i++) {
      this.issued++;
      this.sendOne();
    }
  }

  private sendOne(): void {
    const guild = this.pickGuild();
    if (!guild) {
      this.counts.skipped++;
      return;
    }
    const s = this.scenario;
    const mix = s.mix ?? { command: 70, button: 15, prefix: 15 };
    const available = KINDS.filter((k) => this.hasTraffic(k));
    const kind = pickWeighted(available, (k) => mix[k] ?? 0, this.random());
    if (!kind) {
      this.counts.skipped++;
      return;
    }
    const channel = guild.channels[Math.floor(this.random() * guild.channels.length)] ?? guild.channels[0];
    const user = this.sim.users[Math.floor(this.random() * this.sim.users.length)];
    const target = { guildId: guild.id, channelId: channel?.id, userId: user?.id };
    try {
      switch (kind) {
        case 'command': {
          const cmd = pickWeighted(s.commands ?? [], (c) => c.weight ?? 1, this.random());
          if (!cmd) return;
          const mode = cmd.modes === false ? 'ok' : this.pickMode();
          const options: Record<string, string | number | boolean> = { ...cmd.options };
          if (mode !== 'ok') options[MODE_OPTION] = mode;
          const sent = this.sim.sendInteraction({
            type: 'command',
            name: cmd.name,
            group: cmd.group,
            subcommand: cmd.subcommand,
            options,
            ...target,
          });
          this.track(sent.id);
          const full = [cmd.name, cmd.group, cmd.subcommand].filter(Boolean).join(' ');
          this.bump(this.counts.byCommand, full);
          this.counts.byMode[mode]++;
          break;
        }
        case 'autocomplete': {
          const ac = pickWeighted(s.autocomplete ?? [], (a) => a.weight ?? 1, this.random());
          if (!ac) return;
          const typed = ['', 'me', 'met', 'metr'][Math.floor(this.random() * 4)] ?? '';
          const sent = this.sim.sendInteraction({
            type: 'autocomplete',
            name: ac.name,
            subcommand: ac.subcommand,
            options: { [ac.focused]: typed },
            focused: ac.focused,
            ...target,
          });
          this.track(sent.id);
          this.bump(this.counts.byAutocomplete, ac.name);
          this.counts.byMode.ok++;
          break;
        }
        case 'button': {
          const base = s.buttons?.[Math.floor(this.random() * s.buttons.length)];
          if (!base) return;
          const mode = this.pickMode();
          const sent = this.sim.sendInteraction({
            type: 'button',
            customId: withMode(base, mode),
            ...target,
          });
          this.track(sent.id);
          this.bump(this.counts.byCustomId, base);
          this.counts.byMode[mode]++;
          break;
        }
        case 'select': {
          const sel = pickWeighted(s.selects ?? [], (x) => x.weight ?? 1, this.random());
          if (!sel) return;
          const mode = this.pickMode();
          const value = sel.values[Math.floor(this.random() * sel.values.length)] ?? '';
          const sent = this.sim.sendInteraction({
            type: 'select',
            customId: withMode(sel.customId, mode),
            values: [value],
            ...target,
          });
          this.track(sent.id);
          this.bump(this.counts.byCustomId, sel.customId);
          this.counts.byMode[mode]++;
          break;
        }
        case 'modal': {
          const modal = pickWeighted(s.modals ?? [], (x) => x.weight ?? 1, this.random());
          if (!modal) return;
          const mode = this.pickMode();
          const sent = this.sim.sendInteraction({
            type: 'modal',
            customId: withMode(modal.customId, mode),
            fields: modal.fields,
            ...target,
          });
          this.track(sent.id);
          this.bump(this.counts.byCustomId, modal.customId);
          this.counts.byMode[mode]++;
          break;
        }
        case 'prefix': {
          const name = s.prefixCommands?.[Math.floor(this.random() * s.prefixCommands.length)];
          if (!name) return;
          const mode = this.pickMode();
          const content = `${s.prefix ?? '!'}${name}${mode === 'ok' ? '' : ` --mode=${mode}`}`;
          this.sim.sendMessage({ content, ...target });
          this.bump(this.counts.byPrefix, name);
          this.counts.byMode[mode]++;
          break;
        }
      }
      this.counts.byKind[kind]++;
      this.counts.total++;
    } catch {
      // The shard's session ended between the pick and the send (e.g. a 4004); counted, not fatal.
      this.counts.errors++;
    }
  }

  private hasTraffic(kind: TrafficKind): boolean {
    const s = this.scenario;
    switch (kind) {
      case 'command':
        return (s.commands?.length ?? 0) > 0;
      case 'autocomplete':
        return (s.autocomplete?.length ?? 0) > 0;
      case 'button':
        return (s.buttons?.length ?? 0) > 0;
      case 'select':
        return (s.selects?.length ?? 0) > 0;
      case 'modal':
        return (s.modals?.length ?? 0) > 0;
      case 'prefix':
        return (s.prefixCommands?.length ?? 0) > 0;
    }
  }

  /**
   * A random guild on a shard that has a session. A shard that is down (outage, reconnecting) keeps
   * getting traffic, as on Discord: its dispatches are buffered and replayed when it resumes.
   */
  private pickGuild(): SimGuild | undefined {
    const shards = this.sim.sessionShards();
    if (shards.length === 0) return undefined;
    const shardId = shards[Math.floor(this.random() * shards.length)] ?? 0;
    const guilds = this.sim.guildsOfShard(shardId);
    return guilds[Math.floor(this.random() * guilds.length)];
  }

  private pickMode(): SimMode {
    const s = this.scenario;
    const r = this.random();
    const error = s.errorShare ?? 0;
    const slow = s.slowShare ?? 0;
    const ignore = s.ignoreShare ?? 0;
    if (r < error) return 'error';
    if (r < error + slow) return 'slow';
    if (r < error + slow + ignore) return 'ignore';
    return 'ok';
  }

  private track(id: string): void {
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.values().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
    this.pending.add(id);
  }

  private bump(map: Record<string, number>, key: string): void {
    map[key] = (map[key] ?? 0) + 1;
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.add(t);
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }
}

function withMode(base: string, mode: SimMode): string {
  return mode === 'ok' ? base : `${base}:${mode}`;
}

/** Starts a traffic driver for `scenario` on `sim`. Await `driver.done` or call `driver.stop()`. */
export function playScenario(sim: DiscordSim, scenario: ScenarioSpec): TrafficDriver {
  return new TrafficDriver(sim, scenario).start();
}
