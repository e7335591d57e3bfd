import type { Catalogue } from '../catalogue';
import { errorType } from '../ergonomics';
import { statusClass } from '../internal/route-template';
import {
  type CommandRecord,
  INTERACTION_TYPES,
  type InteractionRecord,
  type LifecycleSubscriber,
  type RateLimitInfo,
  type RestRequestRecord,
  type ShardLifecycleState,
} from '../lifecycle';
import type { CounterHandle } from '../registry';

export interface MetricsRecorderOptions {
  /**
   * The trace an interaction or a command run belongs to (a tracing subscriber knows): the
   * response and command-duration observations then carry it as an exemplar.
   */
  traceIdOf?(subject: InteractionRecord | CommandRecord): string | undefined;
}

/**
 * Turns lifecycle events into the catalogue's counters and histograms. Like argus-dpy, a failed
 * command records no duration, so duration quantiles describe commands that completed.
 */
export class MetricsRecorder implements LifecycleSubscriber {
  readonly name = 'metrics';
  private readonly received: (CounterHandle | undefined)[] = [];
  private readonly invalid: Map<number, CounterHandle>;

  private readonly traceIdOf: MetricsRecorderOptions['traceIdOf'];

  constructor(
    private readonly catalogue: Catalogue,
    options: MetricsRecorderOptions = {},
  ) {
    this.traceIdOf = options.traceIdOf;
    const invalid = catalogue.restInvalidRequests;
    this.invalid = new Map([401, 403, 429].map((status) => [status, invalid.labels(String(status))]));
  }

  interactionReceived(interaction: InteractionRecord): void {
    // Bound on first use, so types a bot never sees leave no zero series behind.
    const type = interaction.typeIndex;
    let handle = this.received[type];
    if (handle === undefined) {
      handle = this.catalogue.interactions.labels(INTERACTION_TYPES[type]!, 'received');
      this.received[type] = handle;
    }
    handle.inc();
  }

  interactionResponded(interaction: InteractionRecord, at: number): void {
    this.catalogue.interactionResponse
      .labels(INTERACTION_TYPES[interaction.typeIndex]!, interaction.command)
      .observe((at - interaction.receivedAt) / 1000, this.traceIdOf?.(interaction));
  }

  interactionDeadlineMissed(interaction: InteractionRecord): void {
    this.catalogue.interactionsUnanswered
      .labels(INTERACTION_TYPES[interaction.typeIndex]!, interaction.command)
      .inc();
  }

  commandFinished(command: CommandRecord, at: number, error: unknown): void {
    const c = this.catalogue;
    const app = command.kind === 'app';
    if (error === undefined) {
      (app ? c.appCommands : c.commands).labels(command.command, 'success').inc();
      (app ? c.appCommandDuration : c.commandDuration)
        .labels(command.command)
        .observe((at - command.startedAt) / 1000, this.traceIdOf?.(command));
    } else {
      (app ? c.appCommands : c.commands).labels(command.command, 'error').inc();
      c.commandErrors.labels(command.command, errorType(error)).inc();
    }
  }

  restRequestFinished(request: RestRequestRecord, at: number, status: number): void {
    // A request that failed without a response has no duration worth a bucket.
    if (status === 0) return;
    this.catalogue.restDuration
      .labels(request.method, request.route)
      .observe((at - request.startedAt) / 1000);
  }

  restResponse(method: string, route: string, status: number): void {
    this.catalogue.restResponses.labels(method, route, statusClass(status)).inc();
    this.invalid.get(status)?.inc();
  }

  rateLimited(info: RateLimitInfo): void {
    this.catalogue.rateLimits.labels(info.scope, info.method, info.route).inc();
  }

  shardStateChanged(shard: number, state: ShardLifecycleState): void {
    if (state === 'disconnected' || state === 'reconnecting')
      this.catalogue.shardDisconnects.labels(String(shard)).inc();
    else if (state === 'resumed' || state === 'reidentified')
      this.catalogue.shardReconnects.labels(String(shard)).inc();
  }
}
