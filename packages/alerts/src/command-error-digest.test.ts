import { describe, expect, it } from 'vitest';
import { CommandErrorDigest } from './command-error-digest';
import type { WebhookMessage } from './discord-webhook';

describe('CommandErrorDigest', () => {
  it('groups thrown errors by command and type, with a count and one scrubbed sample', () => {
    const sent: WebhookMessage[] = [];
    const digest = new CommandErrorDigest({ send: (m) => sent.push(m), intervalMs: 60_000 });
    try {
      class DatabaseError extends Error {}
      const finished = digest.subscriber.commandFinished as NonNullable<
        typeof digest.subscriber.commandFinished
      >;
      const record = (command: string) =>
        ({ kind: 'app', command, startedAt: 0, interaction: undefined, guildId: null, shard: 0 }) as const;
      finished(record('tag'), 1, new Error('Unknown tag "my diary" for user 123456789012345678'));
      finished(record('tag'), 1, new Error('Unknown tag "another private text"'));
      finished(record('stats'), 1, new DatabaseError('connection refused'));
      finished(record('stats'), 1, undefined);
      digest.flush();
      digest.flush(); // nothing new: nothing sent
      expect(sent).toHaveLength(1);
      expect(JSON.stringify(sent)).not.toContain('diary');
      expect(sent[0]?.embeds[0]).toMatchInlineSnapshot(`
        {
          "color": 15105570,
          "description": "**/tag** · \`Error\` × 2
        > Unknown tag "…" for user <id>
        **/stats** · \`DatabaseError\` × 1
        > connection refused",
          "footer": {
            "text": "Argus error digest",
          },
          "title": "3 command errors",
        }
      `);
    } finally {
      digest.close();
    }
  });
});
