import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, demoBuffer, FakeMetrics, RESPONSE_BUCKETS, statsInput } from '../../test/fixtures';
import { SnapshotBuffer } from '../buffer';
import { metricNames } from '../names';
import { APPLICATION_COMMAND, commandRows, interactionsByType, sortCommandRows } from './interactions';

describe('commands', () => {
  it("reads slash commands by core's label value for Discord's interaction type 2", () => {
    expect(APPLICATION_COMMAND).toBe('application_command');
  });

  const rows = commandRows(statsInput(demoBuffer()));
  const ping = rows.find((r) => r.command === 'ping')!;
  const slow = rows.find((r) => r.command === 'slow')!;

  it('has one row per command with windowed numbers', () => {
    expect(rows.map((r) => r.command).sort()).toEqual(['ping', 'slow']);
    expect(ping.kind).toBe('slash');
    expect(ping.rate).toBeCloseTo(1.6, 10);
    expect(ping.errorRatio).toBe(0);
    expect(ping.unanswered).toBe(0);
    expect(ping.p50).toBeCloseTo(0.075, 10);
    expect(slow.errorRatio).toBeCloseTo(0.5, 10);
    expect(slow.unanswered).toBe(10);
    expect(slow.responseP95).toBeGreaterThan(3);
  });

  it('falls back to answered interactions for commands without the wrapper', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    b.push(m.define(n.interactionResponse, 'histogram').snapshot(0));
    m.observe(
      n.interactionResponse,
      RESPONSE_BUCKETS,
      0.3,
      { type: 'application_command', command: 'hello' },
      20,
    );
    b.push(m.snapshot(10_000));
    const [row] = commandRows(statsInput(b));
    expect(row!.command).toBe('hello');
    expect(row!.rate).toBeCloseTo(2, 10);
    expect(row!.errorRatio).toBeNull();
    expect(row!.p95).toBeNull();
    expect(row!.responseP95).toBeGreaterThan(0.25);
  });

  it('lists prefix commands separately', () => {
    const n = metricNames('discord');
    const m = new FakeMetrics();
    const b = new SnapshotBuffer();
    b.push(m.define(n.commands).snapshot(0));
    m.inc(n.commands, { command: 'help', status: 'success' }, 5).observe(
      n.commandDuration,
      DURATION_BUCKETS,
      0.2,
      { command: 'help' },
      5,
    );
    b.push(m.snapshot(5000));
    const [row] = commandRows(statsInput(b));
    expect(row).toMatchObject({ command: 'help', kind: 'prefix', calls: 5, errorRatio: 0 });
  });

  it('sorts by any column, missing values last', () => {
    const withNull = [...rows, { ...ping, command: 'zzz', p95: null, rate: null }];
    expect(sortCommandRows(withNull, 'rate', true).map((r) => r.command)).toEqual(['ping', 'slow', 'zzz']);
    expect(sortCommandRows(withNull, 'rate', false).map((r) => r.command)).toEqual(['slow', 'ping', 'zzz']);
    expect(sortCommandRows(withNull, 'command', false).map((r) => r.command)).toEqual([
      'ping',
      'slow',
      'zzz',
    ]);
    expect(sortCommandRows(withNull, 'unanswered', true)[0]!.command).toBe('slow');
    expect(sortCommandRows(withNull, 'p95', true).at(-1)!.command).toBe('zzz');
  });

  it('gives interactions by type', () => {
    expect(interactionsByType(statsInput(demoBuffer()))).toEqual([{ type: 'application_command', rate: 2 }]);
  });
});
