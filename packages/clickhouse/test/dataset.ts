import type { ArgusEvent } from '@argus/core';

export const GUILD = '123456789012345678';
export const OTHER_GUILD = '223456789012345678';
/** The clock the queries measure windows against. */
export const NOW = Date.parse('2026-03-10T12:00:00.000Z');

function at(iso: string): number {
  return Date.parse(iso);
}

function interaction(time: number, guildId: string, responseMs: number | null, cluster = 'a'): ArgusEvent {
  return {
    time,
    cluster,
    shard: 0,
    guildId,
    event: 'interaction',
    type: 'application_command',
    command: '',
    status: responseMs === null ? 'unanswered' : 'answered',
    errorType: '',
    durationMs: null,
    responseMs,
  };
}

export function command(
  time: number,
  guildId: string | null,
  name: string,
  durationMs: number | null,
  error = false,
): ArgusEvent {
  return {
    time,
    cluster: 'a',
    shard: 1,
    guildId,
    event: 'command',
    type: 'application_command',
    command: name,
    status: error ? 'error' : 'success',
    errorType: error ? 'TypeError' : '',
    durationMs,
    responseMs: null,
  };
}

/**
 * A dataset whose answers are known. For GUILD over the last 30 days before NOW:
 * - interactions: 2026-03-08 ×3 (two on cluster b), 2026-03-09 ×2, 2026-03-10 ×1; response times
 *   100, 2500, 3000 | 3001, unanswered | 50 → 4 of 6 within 3 s (3000 counts as within);
 * - commands: ping ×20 (1..20 ms, 2 errors), echo ×5 (100 ms, all errors), roll ×5 (10..50 ms);
 * - outside the window (2026-01-01): one interaction and one `old` command.
 * OTHER_GUILD has traffic on the same days, which must never leak into GUILD's answers.
 */
export function dataset(): ArgusEvent[] {
  const events: ArgusEvent[] = [
    interaction(at('2026-03-08T01:00:00.000Z'), GUILD, 100),
    interaction(at('2026-03-08T10:00:00.000Z'), GUILD, 2500, 'b'),
    interaction(at('2026-03-08T23:59:59.999Z'), GUILD, 3000, 'b'),
    interaction(at('2026-03-09T00:00:00.000Z'), GUILD, 3001),
    interaction(at('2026-03-09T12:00:00.000Z'), GUILD, null),
    interaction(at('2026-03-10T11:59:59.000Z'), GUILD, 50),
    interaction(at('2026-01-01T12:00:00.000Z'), GUILD, 10),
    command(at('2026-01-01T12:00:00.000Z'), GUILD, 'old', 5),
  ];
  for (let i = 1; i <= 20; i++)
    events.push(command(at('2026-03-09T08:00:00.000Z') + i, GUILD, 'ping', i, i <= 2));
  for (let i = 0; i < 5; i++)
    events.push(command(at('2026-03-09T09:00:00.000Z') + i, GUILD, 'echo', 100, true));
  for (let i = 1; i <= 5; i++)
    events.push(command(at('2026-03-09T10:00:00.000Z') + i, GUILD, 'roll', i * 10));
  for (let i = 0; i < 4; i++) events.push(interaction(at('2026-03-09T05:00:00.000Z') + i, OTHER_GUILD, 5000));
  for (let i = 0; i < 3; i++)
    events.push(command(at('2026-03-09T05:00:00.000Z') + i, OTHER_GUILD, 'ping', 999, true));
  return events;
}

/** The reference p95: linear interpolation between order statistics (numpy's default, type 7). */
export function quantileType7(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}
