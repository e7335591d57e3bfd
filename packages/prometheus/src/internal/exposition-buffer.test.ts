import { describe, expect, it } from 'vitest';
import { formatValue } from '../format';
import { ExpositionBuffer, isAscii } from './exposition-buffer';

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
      const out = ExpositionBuffer.owned(0);
      out.number(value);
      expect(out.toString(), String(value)).toBe(formatValue(value));
    }
  });

  it('grows past its first capacity and keeps every byte', () => {
    const out = ExpositionBuffer.owned(0);
    let expected = '';
    for (let i = 0; i < 5_000; i++) {
      out.asciiText('line ');
      out.number(i);
      out.bytes(Buffer.from(' é', 'utf8'), false);
      out.text(' ✓ \ud800');
      out.newline();
      expected += `line ${i} é ✓ \ufffd\n`;
    }
    expect(out.length).toBe(Buffer.byteLength(expected));
    expect(out.toString()).toBe(expected);
    expect(Buffer.from(out.toBytes()).toString('utf8')).toBe(expected);
  });

  it('undoes what was written after a mark', () => {
    const out = ExpositionBuffer.owned(0);
    out.asciiText('kept');
    const mark = out.length;
    out.text(' dropped');
    out.truncate(mark);
    expect(out.toString()).toBe('kept');
  });

  it('hands out bytes of their own, and reuses the spare buffer only for text copied out', () => {
    const first = ExpositionBuffer.owned(0);
    first.asciiText('first');
    const bytes = first.toBytes();
    const second = ExpositionBuffer.owned(0);
    second.asciiText('second');
    expect(Buffer.from(bytes).toString()).toBe('first');

    const a = ExpositionBuffer.spare(0);
    const b = ExpositionBuffer.spare(0); // taken while `a` is in use: a buffer of its own
    a.asciiText('aaaa');
    b.asciiText('bb');
    expect(a.toString()).toBe('aaaa');
    expect(b.toString()).toBe('bb');
    expect(() => ExpositionBuffer.spare(0).toBytes()).toThrow(/spare/);
  });

  it('tells ASCII from anything else', () => {
    expect(isAscii('abc {x="1"} 2\n')).toBe(true);
    expect(isAscii('café')).toBe(false);
    expect(isAscii('\ud800')).toBe(false);
  });
});
