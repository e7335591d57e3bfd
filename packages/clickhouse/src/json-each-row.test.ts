import { describe, expect, it } from 'vitest';
import { jsonEachRowSlices, ROWS_PER_SLICE } from './json-each-row';

describe('jsonEachRowSlices', () => {
  it('gives one JSONEachRow string per slice, and lets the event loop turn between slices', async () => {
    const rows = Array.from({ length: ROWS_PER_SLICE * 2 + 1 }, (_, i) => ({ i, s: `r${i}` }));
    const slices: string[] = [];
    const turnedBefore: boolean[] = [];
    let turned = false;
    for await (const slice of jsonEachRowSlices(rows)) {
      turnedBefore.push(turned);
      slices.push(slice);
      // Runs at the loop's next check phase: before the next slice only if the generator yields.
      turned = false;
      setImmediate(() => {
        turned = true;
      });
    }
    expect(slices).toHaveLength(3);
    expect(slices.join('')).toBe(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    expect(slices[2]).toBe(`${JSON.stringify(rows.at(-1))}\n`);
    expect(turnedBefore).toEqual([false, true, true]);
  });
});
