// The exposition as UTF-8 bytes, for an HTTP response: a string built from thousands of pieces
// is a rope that the response must flatten and then encode, two passes that cost several times
// what building it did. Written as bytes, it is ready to send.

import { formatValue } from '../format';

const NEWLINE = 0x0a;
const ZERO = 0x30;
/** Headroom over the previous exposition's size, so a growing one rarely has to be copied. */
const HEADROOM = 1.25;
const MIN_CAPACITY = 16 * 1024;

/** `text` as UTF-8 bytes; small ones land in Node's shared pool (a view, no allocation of its own). */
export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Whether every character of `text` is ASCII (one UTF-8 byte each). */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/** A growable byte buffer for one exposition. */
export class ExpositionBuffer {
  private buffer: Buffer;
  private pos = 0;

  /** `sizeHint`: about how many bytes will be written (the previous exposition's size). */
  constructor(sizeHint: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(Math.ceil(sizeHint * HEADROOM), MIN_CAPACITY));
  }

  /** Bytes written so far; pass it to `truncate` to undo what follows. */
  get length(): number {
    return this.pos;
  }

  truncate(length: number): void {
    this.pos = length;
  }

  bytes(bytes: Uint8Array): void {
    const end = this.pos + bytes.length;
    if (end > this.buffer.length) this.grow(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos = end;
  }

  /** Text known to be ASCII: copied byte for byte, with no UTF-8 encoding pass. */
  asciiText(text: string): void {
    if (this.pos + text.length > this.buffer.length) this.grow(text.length);
    this.pos += this.buffer.write(text, this.pos, 'latin1');
  }

  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.pos + text.length * 3 > this.buffer.length) this.grow(text.length * 3);
    this.pos += this.buffer.write(text, this.pos, 'utf8');
  }

  newline(): void {
    if (this.pos >= this.buffer.length) this.grow(1);
    this.buffer[this.pos++] = NEWLINE;
  }

  /** A sample value, spelled as `formatValue` spells it. */
  number(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER && Math.floor(value) === value)) {
      this.text(formatValue(value));
      return;
    }
    // Counts, the common case: digits straight into the buffer, no string.
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    if (this.pos + digits > this.buffer.length) this.grow(digits);
    let at = this.pos + digits;
    let rest = value;
    do {
      const next = Math.floor(rest / 10);
      this.buffer[--at] = ZERO + (rest - next * 10);
      rest = next;
    } while (rest > 0);
    this.pos += digits;
  }

  /** The bytes written, without a copy: write nothing more afterwards. */
  toBytes(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }

  private grow(needed: number): void {
    let size = this.buffer.length * 2;
    while (size < this.pos + needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.pos);
    this.buffer = next;
  }
}
