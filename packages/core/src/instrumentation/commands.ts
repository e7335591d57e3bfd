import type { MetricNames } from '../catalogue';
import { errorType } from '../ergonomics';
import type { MetricRegistry } from '../registry';

export type CommandKind = 'app' | 'prefix';

export interface CommandResult {
  kind: CommandKind;
  command: string;
  /** Handler duration in seconds. */
  seconds: number;
  error?: unknown;
}

/**
 * Command outcomes, durations and error types, shared by the handler wrapper and by framework
 * integrations (Sapphire's success/error events). Like argus-dpy, a failed command records no
 * duration, so duration quantiles describe commands that completed.
 */
export class CommandMetrics {
  private readonly totals;
  private readonly durations;
  private readonly errors;

  constructor(registry: MetricRegistry, names: MetricNames) {
    this.totals = { app: registry.counter(names.appCommands), prefix: registry.counter(names.commands) };
    this.durations = {
      app: registry.histogram(names.appCommandDuration),
      prefix: registry.histogram(names.commandDuration),
    };
    this.errors = registry.counter(names.commandErrors);
  }

  record(result: CommandResult): void {
    const { kind, command } = result;
    if (result.error === undefined) {
      this.totals[kind].labels(command, 'success').inc();
      this.durations[kind].labels(command).observe(result.seconds);
    } else {
      this.totals[kind].labels(command, 'error').inc();
      this.errors.labels(command, errorType(result.error)).inc();
    }
  }
}
