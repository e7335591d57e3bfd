import type { HrTime } from '@opentelemetry/api';

const ORIGIN_MS = performance.timeOrigin;

/**
 * A `performance.now()` value (what core's lifecycle records carry) as an OpenTelemetry time.
 * Always explicit, so span start and end share one clock and a trace's timings add up.
 */
export function hrTimeOf(performanceMs: number): HrTime {
  const epochMs = ORIGIN_MS + performanceMs;
  let seconds = Math.floor(epochMs / 1_000);
  let nanos = Math.round((epochMs - seconds * 1_000) * 1_000_000);
  if (nanos >= 1_000_000_000) {
    seconds += 1;
    nanos -= 1_000_000_000;
  }
  return [seconds, nanos];
}
