import { errorType } from '../ergonomics';
import { type ArgusEvent, normalizeEvent } from '../events';
import {
  type CommandRecord,
  INTERACTION_TYPES,
  type InteractionRecord,
  type LifecycleSubscriber,
} from '../lifecycle';
import type { EventSink } from '../sink';

/**
 * Builds the analytical path's rows (invariant 7): one per finished interaction, one per
 * finished command, each to the event sink and never to a metric. Every row is normalised on
 * the way, so a field the store cannot take (a lone surrogate in a command name, an odd shard)
 * never reaches it.
 */
export class PerGuildRecorder implements LifecycleSubscriber {
  readonly name = 'per-guild';

  constructor(
    private readonly sink: EventSink<ArgusEvent>,
    private readonly clusterId: string,
    private readonly wallClock: () => number = Date.now,
  ) {}

  interactionFinished(interaction: InteractionRecord, respondedAt: number | null): void {
    this.sink.record(
      normalizeEvent({
        time: this.wallClock(),
        cluster: this.clusterId,
        shard: interaction.shard,
        guildId: interaction.guildId,
        event: 'interaction',
        type: INTERACTION_TYPES[interaction.typeIndex]!,
        command: interaction.command,
        status: respondedAt === null ? 'unanswered' : 'answered',
        errorType: '',
        durationMs: null,
        responseMs: respondedAt === null ? null : respondedAt - interaction.receivedAt,
      }),
    );
  }

  commandFinished(command: CommandRecord, at: number, error: unknown): void {
    this.sink.record(
      normalizeEvent({
        time: this.wallClock(),
        cluster: this.clusterId,
        shard: command.shard,
        guildId: command.guildId,
        event: 'command',
        type: command.kind === 'app' ? 'application_command' : 'prefix',
        command: command.command,
        status: error === undefined ? 'success' : 'error',
        errorType: error === undefined ? '' : errorType(error),
        durationMs: at - command.startedAt,
        responseMs: null,
      }),
    );
  }
}
