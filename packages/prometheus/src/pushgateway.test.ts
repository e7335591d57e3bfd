import { describe, expect, it } from 'vitest';
import { groupUrl, PushgatewayOptionError, pushgateway } from './pushgateway';

describe('the group URL', () => {
  it('puts job, cluster and instance in the path, @base64 where a value has a slash or is empty', () => {
    expect(groupUrl('http://pgw:9091', 'argus', 'eu-1')).toMatchInlineSnapshot(
      `"http://pgw:9091/metrics/job/argus/cluster/eu-1"`,
    );
    expect(groupUrl('http://pgw:9091/', 'argus', 'eu/1', 'bot 1')).toMatchInlineSnapshot(
      `"http://pgw:9091/metrics/job/argus/cluster@base64/ZXUvMQ/instance/bot%201"`,
    );
    expect(groupUrl('https://gw.example.com/push', 'my/job', '')).toMatchInlineSnapshot(
      `"https://gw.example.com/push/metrics/job@base64/bXkvam9i/cluster@base64/="`,
    );
    // URL-safe alphabet: no '+' or '/' inside the encoded value.
    expect(groupUrl('http://p', 'j', '/>?/')).toMatchInlineSnapshot(
      `"http://p/metrics/job/j/cluster@base64/Lz4_Lw"`,
    );
  });
});

describe('pushgateway() options', () => {
  it('names what is wrong, never the secret', () => {
    expect(() => pushgateway({ url: 'ftp://x' })).toThrow(PushgatewayOptionError);
    expect(() => pushgateway({ url: 'nope' })).toThrow(/option url: "nope" is not a valid URL/);
    expect(() => pushgateway({ url: 'http://u:p@x' })).toThrow(/credentials in username\/password/);
    expect(() => pushgateway({ url: 'http://x', username: 'u' })).toThrow(/both username and password/);
    expect(() => pushgateway({ url: 'http://x', intervalMs: 0 })).toThrow(/option intervalMs: 0/);
    const both = () =>
      pushgateway({ url: 'http://x', username: 'u', password: 'hunter2', bearerToken: 'zq-bearer-7' });
    expect(both).toThrow(/either basic auth or a bearer token/);
    expect(both).not.toThrow(/hunter2|zq-bearer-7/);
  });
});
