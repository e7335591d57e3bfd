// JSONEachRow bodies built a slice of rows at a time, with a turn of the event loop between
// slices, so a large insert never holds the bot's loop for long: the cost of one slice is the
// longest the loop waits.

/** Rows serialised (or encoded) between two turns of the event loop. */
export const ROWS_PER_SLICE = 500;

/** Resolves on the next turn of the event loop, after pending I/O. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One JSONEachRow string per slice of `rows`; between slices the event loop turns. */
export async function* jsonEachRowSlices(
  rows: readonly object[],
  perSlice = ROWS_PER_SLICE,
): AsyncGenerator<string> {
  for (let start = 0; start < rows.length; start += perSlice) {
    if (start > 0) await yieldToLoop();
    const end = Math.min(rows.length, start + perSlice);
    let text = '';
    for (let i = start; i < end; i++) text += `${JSON.stringify(rows[i])}\n`;
    yield text;
  }
}
