import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgusConfigError, resolveConfig } from './config';

describe('alerting options', () => {
  it('defaults to evaluating every 15 s with no webhook', () => {
    expect(resolveConfig({}, {})).toMatchObject({
      alerts: true,
      alertInterval: 15,
      alertWebhookUrl: undefined,
      alertRepeatInterval: 14_400,
      errorDigestInterval: 300,
      alertJsonWebhookUrl: undefined,
    });
    expect(
      resolveConfig({}, { ARGUS_ALERT_JSON_WEBHOOK_URL: 'https://hooks.example/argus' }).alertJsonWebhookUrl,
    ).toBe('https://hooks.example/argus');
  });

  it('reads the webhook URL from the environment or a file, and keeps it out of error messages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-alerting-'));
    try {
      const file = join(dir, 'webhook');
      writeFileSync(file, 'https://discord.com/api/webhooks/1/from-file\n');
      expect(resolveConfig({}, { ARGUS_ALERT_WEBHOOK_URL_FILE: file }).alertWebhookUrl).toBe(
        'https://discord.com/api/webhooks/1/from-file',
      );
      expect(
        resolveConfig(
          {},
          { ARGUS_ALERT_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/env', ARGUS_ALERTS: 'false' },
        ),
      ).toMatchObject({ alertWebhookUrl: 'https://discord.com/api/webhooks/1/env', alerts: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    let message = '';
    try {
      resolveConfig(
        {},
        { ARGUS_ALERT_WEBHOOK_URL: 'https://x/api/webhooks/1/tok\nen', ARGUS_ALERT_INTERVAL: '0' },
      );
    } catch (error) {
      expect(error).toBeInstanceOf(ArgusConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('ARGUS_ALERT_INTERVAL');
    expect(message).not.toContain('tok');
  });
});
