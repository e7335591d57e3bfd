import { describe, expect, it } from 'vitest';
import { describeDsn, isEmbeddedDsn } from './history';

describe('clickhouseDsn in logs', () => {
  it('tells an embedded DSN from a server URL', () => {
    expect(['embedded', 'embedded:/var/lib/bot', './data/ch', '/srv/ch'].every(isEmbeddedDsn)).toBe(true);
    expect(['http://ch:8123', 'HTTPS://ch.example.com'].some(isEmbeddedDsn)).toBe(false);
  });

  it('never shows credentials, in the user info or the query string', () => {
    const shown = describeDsn('https://bot:hunter2@ch.example.com:8443/analytics?password=s3cret&x=1');
    expect(shown).toBe('ClickHouse at https://ch.example.com:8443/analytics');
    expect(describeDsn('http://ch:8123')).toBe('ClickHouse at http://ch:8123');
    expect(describeDsn('embedded:/srv/ch')).toBe('embedded ClickHouse (embedded:/srv/ch)');
  });
});
