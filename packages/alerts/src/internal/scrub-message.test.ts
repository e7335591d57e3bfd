import { describe, expect, it } from 'vitest';
import { scrubMessage } from './scrub-message';

describe('scrubMessage', () => {
  it('drops quoted user text, ids, mentions, URLs and tokens and keeps the shape', () => {
    expect(
      scrubMessage(
        `Unknown tag "my secret plans" for <@123456789012345678> in 123456789012345678: POST https://discord.com/api/webhooks/1/abc failed, token MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789, mail bob@example.com`,
      ),
    ).toMatchInlineSnapshot(
      `"Unknown tag "…" for <mention> in <id>: POST <url> failed, token <token>, mail <email>"`,
    );
  });

  it('caps the length', () => {
    expect(scrubMessage('x '.repeat(500))).toHaveLength(200);
  });
});
