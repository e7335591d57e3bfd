import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Event-loop delay from Node's native sampler (no JS timer loop on the hot path). The window
 * restarts every `windowMs`, and the gauge reports the p99 of the last complete window or of the
 * current one, whichever is larger, so a stall stays visible for at least one window.
 */
export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private lastWindowP99 = 0;

  constructor(windowMs = 10_000) {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.lastWindowP99 = this.currentP99();
      this.histogram.reset();
    }, windowMs);
    this.timer.unref();
  }

  /** Seconds. */
  p99Seconds(): number {
    return Math.max(this.lastWindowP99, this.currentP99());
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private currentP99(): number {
    return this.histogram.count > 0 ? this.histogram.percentile(99) / 1e9 : 0;
  }
}
