import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  contentType,
  escapeHelp,
  escapeLabelValue,
  flatten,
  formatLabels,
  formatValue,
  labelPairs,
  OPENMETRICS_CONTENT_TYPE,
  parseLabelPairs,
  TEXT_CONTENT_TYPE,
} from './format';

describe('content types', () => {
  it('are the ones prom-client uses', () => {
    expect(TEXT_CONTENT_TYPE).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(OPENMETRICS_CONTENT_TYPE).toBe(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(contentType()).toBe(TEXT_CONTENT_TYPE);
    expect(contentType('text')).toBe(TEXT_CONTENT_TYPE);
    expect(contentType('openmetrics')).toBe(OPENMETRICS_CONTENT_TYPE);
  });
});

describe('escaping', () => {
  it('escapes backslash, double quote and newline in label values, nothing else', () => {
    expect(escapeLabelValue('plain ✓ 🚀 é')).toBe('plain ✓ 🚀 é');
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeLabelValue('\\n')).toBe('\\\\n');
    expect(escapeLabelValue('tab\there')).toBe('tab\there');
  });

  it('escapes HELP per format: quotes only in OpenMetrics', () => {
    const help = 'Folded into "other" \\ see\nnext line';
    expect(escapeHelp(help, 'text')).toBe('Folded into "other" \\\\ see\\nnext line');
    expect(escapeHelp(help, 'openmetrics')).toBe('Folded into \\"other\\" \\\\ see\\nnext line');
  });

  it('formats label sets, with an optional extra label last', () => {
    expect(formatLabels([], [])).toBe('');
    expect(formatLabels([], [], 'le="1"')).toBe('{le="1"}');
    expect(formatLabels(['a', 'b'], ['x', 'y"'])).toBe('{a="x",b="y\\""}');
    expect(formatLabels(['a'], ['x'], 'le="+Inf"')).toBe('{a="x",le="+Inf"}');
  });

  it('writes label pairs without braces, and reads them back exactly', () => {
    const names = ['a', 'b', 'c'];
    expect(labelPairs([], [])).toBe('');
    expect(labelPairs(names, ['x', 'y"', ''])).toBe('a="x",b="y\\"",c=""');
    const tricky = [
      ['', '', ''],
      ['"', '\\', '\n'],
      ['\\n', 'a\\"b', '\\\\'],
      ['line\nbreak', 'tab\there', 'comma,"quote",x="y"'],
      ['emoji 🚀', 'é', '\ud800 lone'],
    ];
    for (const values of tricky) expect(parseLabelPairs(names, labelPairs(names, values))).toEqual(values);
    expect(parseLabelPairs([], '')).toEqual([]);
  });

  it('copies strings flat without changing a code unit', () => {
    let rope = '';
    for (let i = 0; i < 50; i++) rope += `,k${i}="v${i}"`;
    for (const text of [rope, '', 'x', '\ud800\udc00\ud800', 'a\u0000b']) expect(flatten(text)).toBe(text);
  });

  it('formats values as Go and OpenMetrics parsers read them', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatValue(1e21)).toBe('1e+21');
    expect(formatValue(1e-7)).toBe('1e-7');
    expect(formatValue(-2.5)).toBe('-2.5');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });
});
