// A lifecycle subscriber that writes down every event it hears, as compact strings, for tests
// that assert the exact sequence the discord.js layer publishes.
import type {
  CommandRecord,
  InteractionRecord,
  LifecycleSubscriber,
  RateLimitInfo,
  RestRequestRecord,
  ShardLifecycleState,
} from '../src/lifecycle';

export class RecordingSubscriber implements LifecycleSubscriber {
  readonly name = 'recording';
  readonly events: string[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  readonly commands: { record: CommandRecord; at: number; error: unknown }[] = [];
  readonly rest: { request: RestRequestRecord; at: number; status: number }[] = [];
  /** Milliseconds from receipt, per interaction id: `responded`, `deadline-missed`. */
  readonly timings = new Map<string, Record<string, number>>();

  private time(id: string, what: string, ms: number): void {
    const entry = this.timings.get(id) ?? {};
    entry[what] = ms;
    this.timings.set(id, entry);
  }

  interactionReceived(i: InteractionRecord): void {
    this.interactions.set(i.id, i);
    this.events.push(`received ${i.id} ${i.command}`);
  }
  interactionResponded(i: InteractionRecord, at: number): void {
    this.time(i.id, 'responded', at - i.receivedAt);
    this.events.push(`responded ${i.id}`);
  }
  interactionDeadlineMissed(i: InteractionRecord, at: number): void {
    this.time(i.id, 'deadline-missed', at - i.receivedAt);
    this.events.push(`deadline-missed ${i.id}`);
  }
  interactionFinished(i: InteractionRecord, respondedAt: number | null): void {
    this.events.push(`finished ${i.id} ${respondedAt === null ? 'unanswered' : 'answered'}`);
  }
  commandStarted(c: CommandRecord): void {
    this.events.push(`command-started ${c.kind} ${c.command}${c.interaction ? ` ${c.interaction.id}` : ''}`);
  }
  commandFinished(c: CommandRecord, at: number, error: unknown): void {
    this.commands.push({ record: c, at, error });
    this.events.push(
      `command-finished ${c.kind} ${c.command}${c.interaction ? ` ${c.interaction.id}` : ''} ${error === undefined ? 'ok' : 'error'}`,
    );
  }
  restRequestStarted(r: RestRequestRecord): void {
    this.events.push(`rest-started ${r.method} ${r.route}`);
  }
  restRequestFinished(r: RestRequestRecord, at: number, status: number): void {
    this.rest.push({ request: r, at, status });
    this.events.push(`rest-finished ${r.method} ${r.route} ${status}`);
  }
  restResponse(method: string, route: string, status: number): void {
    this.events.push(`rest-response ${method} ${route} ${status}`);
  }
  rateLimited(info: RateLimitInfo): void {
    this.events.push(`rate-limited ${info.scope} ${info.method} ${info.route}`);
  }
  shardStateChanged(shard: number, state: ShardLifecycleState): void {
    this.events.push(`shard ${shard} ${state}`);
  }

  /** The events about one interaction, in order (its id is in the line). */
  about(id: string): string[] {
    return this.events.filter((e) => e.split(' ').includes(id));
  }
}
