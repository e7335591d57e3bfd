import { describe, expect, it } from 'vitest';
import { parseNotableTraces, traceLink } from './notable-traces';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const good = {
  traceId: ID,
  time: 1_717_171_717_171,
  command: 'ping',
  type: 'application_command',
  outcome: 'late',
  durationMs: 3_400,
};

describe('parseNotableTraces', () => {
  it('keeps well-formed entries in order and drops the rest', () => {
    const body = {
      traces: [
        good,
        { ...good, traceId: 'not-a-trace-id' },
        { ...good, outcome: 'fine' },
        { ...good, time: 'yesterday' },
        null,
        { ...good, traceId: '00f067aa0ba902b700f067aa0ba902b7', outcome: 'error', extra: '<script>' },
      ],
    };
    const parsed = parseNotableTraces(body);
    expect(parsed.map((t) => [t.traceId, t.outcome])).toEqual([
      [ID, 'late'],
      ['00f067aa0ba902b700f067aa0ba902b7', 'error'],
    ]);
    expect(Object.keys(parsed[1]!)).not.toContain('extra');
    expect(parseNotableTraces('nonsense')).toEqual([]);
    expect(parseNotableTraces({ traces: 'x' })).toEqual([]);
  });
});

describe('traceLink', () => {
  it('puts the trace id in the template, http(s) only', () => {
    expect(traceLink('http://jaeger:16686/trace/{traceId}', ID)).toBe(`http://jaeger:16686/trace/${ID}`);
    expect(traceLink(null, ID)).toBeNull();
    expect(traceLink('javascript:alert({traceId})', ID)).toBeNull();
    expect(traceLink('http://jaeger/trace/{traceId}', 'x"><script>')).toBeNull();
  });
});
