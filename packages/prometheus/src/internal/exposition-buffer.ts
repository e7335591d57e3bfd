// The exposition is written as UTF-8 bytes, not concatenated into a string: a string built from
// thousands of pieces is a rope that must be flattened and then encoded again for the HTTP
// response, and those two passes cost several times what building it did.

import { formatValue } from '../format';

const NEWLINE = 0x0a;
const ZERO = 0x30;
/** Headroom over the previous exposition's size, so a growing one rarely has to be copied. */
const HEADROOM = 1.25;
const MIN_CAPACITY = 16 * 1024;

/**
 * The buffer a string exposition is written into before it is copied out; reused, so a render
 * touches no fresh memory. Taken while in use, so two renders never share it.
 */
let spare: Buffer | undefined;

function capacity(sizeHint: number): number {
  return Math.max(Math.ceil(sizeHint * HEADROOM), MIN_CAPACITY);
}

/** The text of `text` as UTF-8 bytes, and whether it is plain ASCII (one byte per character). */
export function utf8(text: string): { bytes: Buffer; ascii: boolean } {
  // Small strings land in Node's shared pool: a view, not an allocation of its own.
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, ascii: bytes.length === text.length };
}

/** Whether every character of `text` is ASCII (one UTF-8 byte each). */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/** A growable byte buffer for one exposition. Use it synchronously: nothing in it awaits. */
export class ExpositionBuffer {
  private pos = 0;
  /** False once anything but ASCII was written: the text then needs a UTF-8 decode. */
  private ascii = true;

  private constructor(
    private buffer: Buffer,
    /** Written into the spare buffer: read it with `toString()`, which gives the buffer back. */
    private readonly spare: boolean,
  ) {}

  /** For bytes handed out (`toBytes()`): a buffer of their own, about `sizeHint` bytes to start. */
  static owned(sizeHint: number): ExpositionBuffer {
    return new ExpositionBuffer(Buffer.allocUnsafe(capacity(sizeHint)), false);
  }

  /** For text copied out at once (`toString()`): the spare buffer when it is free and large enough. */
  static spare(sizeHint: number): ExpositionBuffer {
    const size = capacity(sizeHint);
    const buffer = spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    spare = undefined;
    return new ExpositionBuffer(buffer, true);
  }

  /** Bytes written so far; pass it to `truncate` to undo what follows. */
  get length(): number {
    return this.pos;
  }

  truncate(length: number): void {
    this.pos = length;
  }

  /** Pre-encoded bytes; `ascii` false when they hold anything else. */
  bytes(bytes: Uint8Array, ascii = true): void {
    const end = this.pos + bytes.length;
    if (end > this.buffer.length) this.grow(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos = end;
    if (!ascii) this.ascii = false;
  }

  /** Text known to be ASCII: copied byte for byte, no UTF-8 encoding pass. */
  asciiText(text: string): void {
    if (this.pos + text.length > this.buffer.length) this.grow(text.length);
    this.pos += this.buffer.write(text, this.pos, 'latin1');
  }

  text(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.pos + text.length * 3 > this.buffer.length) this.grow(text.length * 3);
    const written = this.buffer.write(text, this.pos, 'utf8');
    if (written !== text.length) this.ascii = false;
    this.pos += written;
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
    if (this.spare) throw new Error('toBytes() on a spare exposition buffer: its bytes are reused');
    return this.buffer.subarray(0, this.pos);
  }

  toString(): string {
    // For ASCII, latin1 is the same text and a plain copy; UTF-8 decoding checks every byte.
    const text = this.buffer.toString(this.ascii ? 'latin1' : 'utf8', 0, this.pos);
    if (this.spare) {
      this.pos = 0;
      spare = this.buffer;
    }
    return text;
  }

  private grow(needed: number): void {
    let size = this.buffer.length * 2;
    while (size < this.pos + needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.pos);
    this.buffer = next;
  }
}
