import { describe, expect, it } from 'vitest';
import { fmtSince, parseAlerts } from './alerts';

describe('parseAlerts', () => {
  it('keeps well-formed alerts and drops the rest', () => {
    expect(
      parseAlerts({
        evaluatedAt: 5,
        webhook: true,
        active: [
          {
            alert: 'DiscordShardDown',
            status: 'firing',
            severity: 'critical',
            summary: 's',
            value: 0,
            activeAt: 1,
          },
          42,
          null,
        ],
        recent: 'nope',
      }),
    ).toEqual({
      evaluatedAt: 5,
      webhook: true,
      active: [
        {
          alert: 'DiscordShardDown',
          status: 'firing',
          severity: 'critical',
          summary: 's',
          value: 0,
          activeAt: 1,
          resolvedAt: null,
        },
      ],
      recent: [],
    });
    expect(parseAlerts(null)).toEqual({ evaluatedAt: null, active: [], recent: [], webhook: false });
  });

  it('says how long ago', () => {
    expect(fmtSince(0, 30_000)).toBe('30 s ago');
    expect(fmtSince(0, 600_000)).toBe('10 min ago');
    expect(fmtSince(0, 7_200_000)).toBe('2 h ago');
  });
});
