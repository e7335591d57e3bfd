import type { ArgusEvent } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { encodeRows, encodeRowsInSlices, InvalidEventError, toRow } from './rows';

const good: ArgusEvent = {
  time: Date.parse('2026-01-02T03:04:05.678Z'),
  cluster: 'a',
  shard: 2,
  guildId: '123456789012345678',
  event: 'interaction',
  type: 'component',
  command: 'menu',
  status: 'answered',
  errorType: '',
  durationMs: null,
  responseMs: 41.5,
};

describe('toRow', () => {
  it('encodes a valid event, and a non-finite duration as NULL', () => {
    expect(toRow({ ...good, durationMs: Number.NaN })).toMatchInlineSnapshot(`
      {
        "cluster": "a",
        "command": "menu",
        "duration_ms": null,
        "error_type": "",
        "event": "interaction",
        "guild_id": "123456789012345678",
        "response_ms": 41.5,
        "shard": 2,
        "status": "answered",
        "time": "2026-01-02 03:04:05.678",
        "type": "component",
      }
    `);
  });

  it('refuses, by name, every field the table cannot store', () => {
    const cases: [Partial<Record<keyof ArgusEvent, unknown>>, RegExp][] = [
      [{ shard: -1 }, /shard/],
      [{ shard: 0.5 }, /shard/],
      [{ command: 'a\ud800' }, /command/],
      [{ errorType: '\udc00' }, /errorType/],
      [{ cluster: 7 }, /cluster/],
      [{ status: 'done' }, /status/],
      [{ event: 'other' }, /event/],
      [{ type: null }, /type/],
      [{ responseMs: -3 }, /responseMs/],
      [{ time: 'yesterday' }, /time/],
    ];
    for (const [patch, field] of cases) {
      const bad = { ...good, ...patch } as ArgusEvent;
      expect(() => toRow(bad)).toThrow(InvalidEventError);
      expect(() => toRow(bad)).toThrow(field);
    }
    expect(() => toRow(null as unknown as ArgusEvent)).toThrow(InvalidEventError);
  });
});

describe('encodeRows', () => {
  it('sets aside what it cannot encode, keeps the order of the rest, and counts', () => {
    const batch = [good, { ...good, shard: -1 }, { ...good, command: 'b' }, 'junk' as unknown as ArgusEvent];
    const { rows, invalid, reason } = encodeRows(batch);
    expect(rows.map((r) => r.command)).toEqual(['menu', 'b']);
    expect(invalid).toBe(2);
    expect(reason?.message).toMatch(/^unstorable Argus event: shard/);
  });
});

describe('encodeRowsInSlices', () => {
  it('encodes a large batch like encodeRows, a slice at a time', async () => {
    const batch = Array.from({ length: 1_234 }, (_, i) =>
      i % 100 === 7 ? { ...good, shard: -1 } : { ...good, command: `c${i}` },
    );
    const sliced = await encodeRowsInSlices(batch);
    expect(sliced).toEqual(encodeRows(batch));
    expect(sliced.invalid).toBe(13);
  });
});
