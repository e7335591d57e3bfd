import { describe, expect, it } from 'vitest';
import { scanExpositionLines } from './exposition-lines';

/** Every call the scanner makes, in order. */
function scan(text: string): unknown[][] {
  const calls: unknown[][] = [];
  scanExpositionLines(text, {
    header: (line, kind, family, detail) => calls.push(['header', line, kind, family, detail]),
    sample: (line) => calls.push(['sample', line]),
  });
  return calls;
}

describe('scanExpositionLines', () => {
  it('hands over headers split into kind, family and detail, and samples whole, in order', () => {
    const text = [
      '# HELP up Whether the target is up, with a \\\\ and a \\n.',
      '# TYPE up gauge',
      'up{job="a b"} 1',
      '',
      '# TYPE bare',
      '# HELP  two spaces',
      'no_header 2 1700000000000',
    ].join('\n');
    expect(scan(text)).toEqual([
      [
        'header',
        '# HELP up Whether the target is up, with a \\\\ and a \\n.',
        'HELP',
        'up',
        'Whether the target is up, with a \\\\ and a \\n.',
      ],
      ['header', '# TYPE up gauge', 'TYPE', 'up', 'gauge'],
      ['sample', 'up{job="a b"} 1'],
      ['header', '# TYPE bare', 'TYPE', 'bare', ''],
      ['header', '# HELP  two spaces', 'HELP', '', 'two spaces'],
      ['sample', 'no_header 2 1700000000000'],
    ]);
  });

  it('skips empty lines and every other comment, and reads a last line with no newline', () => {
    expect(scan('\n\n# EOF\n#HELP x y\n# HELP\n# help x y\n#\nlast 3')).toEqual([['sample', 'last 3']]);
    expect(scan('')).toEqual([]);
    expect(scan('a 1\n')).toEqual([['sample', 'a 1']]);
  });
});
