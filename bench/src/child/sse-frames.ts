// Counts `/api/stream` frames in a byte stream read chunk by chunk, without keeping the data.
// A frame is `id: <time>\ndata: <json>\n\n` and JSON holds no raw newline, so `\ndata: ` appears
// once per frame and never inside one; retry lines and `: ping` comments do not contain it.

const NEEDLE = Buffer.from('\ndata: ');
/** A needle split between two chunks has at most this many bytes in each. */
const CARRY = NEEDLE.length - 1;

function occurrences(data: Uint8Array): number {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let n = 0;
  for (let at = buffer.indexOf(NEEDLE); at !== -1; at = buffer.indexOf(NEEDLE, at + NEEDLE.length)) n++;
  return n;
}

export class FrameCounter {
  /** Frames seen so far. */
  frames = 0;
  /** Bytes seen so far. */
  bytes = 0;
  /** The last CARRY bytes seen (a copy, so no chunk stays reachable). */
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    // Needles straddling the previous chunk and this one; tail + head can hold no whole other one.
    const seam = Buffer.concat([this.tail, chunk.subarray(0, CARRY)]);
    this.frames += occurrences(seam) + occurrences(chunk);
    const last = chunk.length >= CARRY ? chunk.subarray(chunk.length - CARRY) : seam.subarray(-CARRY);
    this.tail = Buffer.from(last);
  }
}
