/**
 * Which Argus subsystems are enabled and whether each is up. Read at scrape time by
 * `argus_subsystem_up{subsystem}`; only enabled subsystems are reported.
 */
export class HealthState {
  private readonly states = new Map<string, boolean>();

  /** Marks a subsystem as configured; it starts down until it reports up. */
  enable(subsystem: string, up = false): void {
    if (!this.states.has(subsystem)) this.states.set(subsystem, up);
  }

  set(subsystem: string, up: boolean): void {
    this.states.set(subsystem, up);
  }

  isUp(subsystem: string): boolean {
    return this.states.get(subsystem) === true;
  }

  /** Every enabled subsystem with its state, in the order they were enabled. */
  entries(): [subsystem: string, up: boolean][] {
    return [...this.states];
  }
}
