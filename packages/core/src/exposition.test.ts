import { describe, expect, it } from 'vitest';
import { contentType, negotiateFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './exposition';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'text'],
    [null, 'text'],
    ['', 'text'],
    ['*/*', 'text'],
    ['text/plain', 'text'],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text; version=1.0.0; charset=utf-8', 'openmetrics'],
    // Prometheus 2.x
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    // Prometheus 3.x
    [
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'openmetrics',
    ],
    // Prometheus configured for the text format only
    ['text/plain;version=0.0.4;q=1,*/*;q=0.1', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text;q=0.4, text/plain;q=0.9', 'text'],
    ['text/plain;q=0.5, application/openmetrics-text;q=0.5', 'openmetrics'],
    ['application/openmetrics-text;q=abc', 'text'],
    ['application/openmetrics-text;q=7', 'openmetrics'],
    ['application/json', 'text'],
    ['application/openmetrics-textual', 'text'],
  ] as const)('%s -> %s', (accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('looks at a bounded number of media ranges', () => {
    const many = `${'text/html,'.repeat(100)}application/openmetrics-text`;
    expect(negotiateFormat(many)).toBe('text');
  });
});

describe('negotiateFormat, as prom-client users and Prometheus send it', () => {
  it('serves OpenMetrics to Prometheus (its default Accept header)', () => {
    const prometheus =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    expect(negotiateFormat(prometheus)).toBe('openmetrics');
  });

  it.each([
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['text/plain;q=0.5, application/openmetrics-text', 'openmetrics'],
    ['text/plain, application/openmetrics-text', 'openmetrics'],
    ['text/plain', 'text'],
    ['*/*', 'text'],
    ['', 'text'],
    ['application/json', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
    ['application/openmetrics-text;q=0.2, text/plain;q=0.9', 'text'],
    ['application/openmetrics-text;q=nonsense', 'text'],
  ] as const)('%j -> %s', (accept, expected) => {
    expect(negotiateFormat(accept)).toBe(expected);
  });

  it('handles a missing header and repeated headers', () => {
    expect(negotiateFormat(undefined)).toBe('text');
    expect(negotiateFormat(null)).toBe('text');
    expect(negotiateFormat(['text/plain;q=0.1', 'application/openmetrics-text'])).toBe('openmetrics');
  });
});

describe('contentType', () => {
  it('names the text format by default and OpenMetrics on request', () => {
    expect(contentType()).toBe(TEXT_CONTENT_TYPE);
    expect(contentType('text')).toBe(TEXT_CONTENT_TYPE);
    expect(contentType('openmetrics')).toBe(OPENMETRICS_CONTENT_TYPE);
  });
});
