import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('cuts interaction and webhook tokens out of REST paths', () => {
    expect(
      redactSecrets(
        'POST https://discord.com/api/v10/interactions/1234567890/aW50ZXJhY3Rpb246MTIzNDpzZWNyZXQ/callback failed; PATCH /webhooks/42/tok-en_1/messages/@original',
      ),
    ).toMatchInlineSnapshot(
      `"POST https://discord.com/api/v10/interactions/1234567890/:token/callback failed; PATCH /webhooks/42/:token/messages/@original"`,
    );
  });

  it('cuts bot tokens, bare or in an Authorization header', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123';
    expect(redactSecrets(`login with ${token}`)).toBe('login with <redacted>');
    expect(redactSecrets('Authorization: Bearer abcdefghijklmnopqrstuvwxyz')).toBe(
      'Authorization: Bearer <redacted>',
    );
  });

  it('cuts a bare interaction token (an opaque run of 32+ characters)', () => {
    expect(redactSecrets('token aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldHNlY3JldA leaked')).toBe(
      'token <redacted> leaked',
    );
    expect(redactSecrets('on purpose simtok_1578864470531375110_6kuo5zyqf7mxaubpgq')).toBe(
      'on purpose <redacted>',
    );
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('at /work/bot/src/commands/some_long_module_name_here.ts:12:5')).toBe(
      'at /work/bot/src/commands/some_long_module_name_here.ts:12:5',
    );
    expect(redactSecrets('PlannedFailure: on purpose')).toBe('PlannedFailure: on purpose');
  });
});
