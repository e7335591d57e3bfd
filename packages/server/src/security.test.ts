import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, httpOrigin, sanitizeForLog } from './security';

describe('httpOrigin', () => {
  it('keeps only scheme, host and port of http(s) URLs', () => {
    expect(httpOrigin('https://grafana.example.com/d/abc?x=1')).toBe('https://grafana.example.com');
    expect(httpOrigin('http://user:pass@10.0.0.5:3000/path')).toBe('http://10.0.0.5:3000');
    expect(httpOrigin('https://grafana.example.com:443/')).toBe('https://grafana.example.com');
  });

  it('refuses everything else', () => {
    expect(httpOrigin(undefined)).toBeUndefined();
    expect(httpOrigin('')).toBeUndefined();
    expect(httpOrigin('not a url')).toBeUndefined();
    expect(httpOrigin('javascript:alert(1)')).toBeUndefined();
    expect(httpOrigin('data:text/html,hi')).toBeUndefined();
    expect(httpOrigin('ftp://example.com')).toBeUndefined();
    expect(httpOrigin("https://a.example'; script-src *")).toBeUndefined();
  });
});

describe('contentSecurityPolicy', () => {
  it('lists every directive and adds Grafana to frame-src only', () => {
    const base = contentSecurityPolicy();
    expect(base).toBe(
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-src 'self'",
    );
    expect(contentSecurityPolicy('https://g.example/x')).toBe(`${base} https://g.example`);
    expect(contentSecurityPolicy('javascript:alert(1)')).toBe(base);
  });
});

describe('sanitizeForLog', () => {
  it('removes control characters and truncates', () => {
    expect(sanitizeForLog('/a\r\nb\u0000c\u001bd\u007f', 100)).toBe('/abcd');
    expect(sanitizeForLog('x'.repeat(10), 4)).toBe('xxxx...');
  });
});
