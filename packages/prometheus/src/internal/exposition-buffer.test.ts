import { describe, expect, it } from 'vitest';
import { formatValue } from '../format';
import { ExpositionBuffer, isAscii } from './exposition-buffer';

const text = (out: ExpositionBuffer) => Buffer.from(out.toBytes()).toString('utf8');

describe('ExpositionBuffer', () => {
  it('spells every number as formatValue does', () => {
    const values = [
      0,
      -0,
      1,
      9,
      10,
      99,
      100,
      12345678901,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      1e21,
      0.1,
      2.5,
      1e-7,
      -5,
      -0.25,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    for (const value of values) {
      const out = new ExpositionBuffer(0);
      out.number(value);
      expect(text(out), String(value)).toBe(formatValue(value));
    }
  });

  it('grows past its first capacity and keeps every byte', () => {
    const out = new ExpositionBuffer(0);
    let expected = '';
    for (let i = 0; i < 5_000; i++) {
      out.asciiText('line ');
      out.number(i);
      out.bytes(Buffer.from(' é', 'utf8'));
      out.text(' ✓ \ud800');
      out.newline();
      expected += `line ${i} é ✓ \ufffd\n`;
    }
    expect(out.length).toBe(Buffer.byteLength(expected));
    expect(text(out)).toBe(expected);
  });

  it('undoes what was written after a mark', () => {
    const out = new ExpositionBuffer(0);
    out.asciiText('kept');
    const mark = out.length;
    out.text(' dropped');
    out.truncate(mark);
    expect(text(out)).toBe('kept');
  });

  it('hands out bytes of their own', () => {
    const first = new ExpositionBuffer(0);
    first.asciiText('first');
    const bytes = first.toBytes();
    const second = new ExpositionBuffer(0);
    second.asciiText('second');
    second.asciiText(' and more'.repeat(1_000));
    // The first buffer's bytes stay as handed out, whatever the second writes (small buffers may
    // share Node's allocation pool: their regions never overlap).
    expect(Buffer.from(bytes).toString()).toBe('first');
    expect(second.toBytes().toString().startsWith('second and more')).toBe(true);
  });

  it('tells ASCII from anything else', () => {
    expect(isAscii('abc {x="1"} 2\n')).toBe(true);
    expect(isAscii('café')).toBe(false);
    expect(isAscii('\ud800')).toBe(false);
  });
});
