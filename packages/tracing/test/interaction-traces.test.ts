// One trace per interaction, on a real discord.js Client against the simulator, with the real
// OpenTelemetry SDK (NodeSDK started by @argus/tracing) exporting over OTLP/HTTP to a receiver
// in this process: exact span trees, timings against what the simulator saw, attributes, and no
// token or switched-off id anywhere in the exported bytes.
import type { SentInteraction } from '@argus/discord-sim';
import { until } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedSpan } from './otlp-receiver';
import { ms, spanTree } from './span-tree';
import { startTracedBot, type TracedBot } from './traced-bot';

let bot: TracedBot;
const sent = new Map<string, SentInteraction>();

beforeAll(async () => {
  bot = await startTracedBot();
  // Rate-limit the first initial response of `limited` once: discord.js waits and retries.
  bot.sim.injectRateLimit({ method: 'POST', route: /\/callback$/, retryAfter: 0.2, count: 1 });
  sent.set('limited', bot.sim.sendInteraction({ type: 'command', name: 'limited' }));
  await sent.get('limited')!.callback;
  for (const name of ['ping', 'defer', 'fail', 'slow', 'ignore'])
    sent.set(name, bot.sim.sendInteraction({ type: 'command', name }));
  sent.set('button', bot.sim.sendInteraction({ type: 'button', customId: 'confirm' }));
  bot.sim.sendMessage({ content: '!ping' });
  // The never-answered one is given up on 4.5 s after receipt; its root span closes then.
  await until(() => rootOf(sent.get('ignore')!), 20_000, 'the never-answered interaction to be exported');
}, 40_000);

afterAll(async () => {
  await bot?.stop();
});

function rootOf(interaction: SentInteraction): ReceivedSpan | undefined {
  return bot.receiver.spans.find(
    (s) => s.parentSpanId === '' && s.attributes['discord.interaction.id'] === interaction.id,
  );
}

/** The whole trace of an interaction once it has `count` spans. */
async function traceOf(name: string, count: number): Promise<{ root: ReceivedSpan; spans: ReceivedSpan[] }> {
  const interaction = sent.get(name)!;
  return until(
    () => {
      const root = rootOf(interaction);
      if (!root) return undefined;
      const spans = bot.receiver.trace(root.traceId);
      return spans.length >= count ? { root, spans } : undefined;
    },
    10_000,
    `the trace of ${name}`,
  );
}

const child = (spans: ReceivedSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`${found.length} spans named ${name}`);
  return found[0]!;
};

describe('one trace per interaction', () => {
  it('answered: the root from receipt to the response, the user span and the callback nested under it', async () => {
    const { root, spans } = await traceOf('ping', 3);
    expect(spanTree(spans)).toMatchInlineSnapshot(`
      "discord.interaction ping (server) [discord.initial_response]
        db.query (internal)
        POST /interactions/:id/:token/callback (client)"
    `);
    const interaction = sent.get('ping')!;
    const callback = child(spans, 'POST /interactions/:id/:token/callback');
    const db = child(spans, 'db.query');
    expect(db.parentSpanId).toBe(root.spanId);
    expect(callback.parentSpanId).toBe(root.spanId);
    // Receipt follows the simulator's send; the callback reached the simulator while its span ran.
    const cb = await interaction.callback;
    expect(ms(root.startNs)).toBeGreaterThanOrEqual(interaction.sentAt - 1);
    expect(ms(callback.startNs)).toBeLessThanOrEqual(cb.receivedAt + 1);
    expect(ms(callback.endNs)).toBeGreaterThanOrEqual(cb.receivedAt - 1);
    expect(db.endNs - db.startNs).toBeGreaterThanOrEqual(19_000_000n);
    expect(callback.startNs).toBeGreaterThanOrEqual(db.endNs);
    // The root ends at the response (the handler ended with it).
    const response = root.events.find((e) => e.name === 'discord.initial_response')!;
    expect(root.endNs).toBeGreaterThanOrEqual(response.timeNs);
    // Right after it, not at some later point (slack for a loaded machine).
    expect(ms(root.endNs) - ms(response.timeNs)).toBeLessThan(1_000);
    expect(response.attributes['discord.response.latency_ms']).toBeCloseTo(
      ms(response.timeNs) - ms(root.startNs),
      0,
    );
    expect(root.attributes).toEqual({
      'discord.interaction.type': 'application_command',
      'discord.interaction.id': interaction.id,
      'discord.command.name': 'ping',
      'discord.shard.id': interaction.shardId,
      'discord.cluster': 'eu-1',
      'discord.guild.id': interaction.guildId,
      'discord.channel.id': interaction.channelId,
      'discord.response.latency_ms': response.attributes['discord.response.latency_ms'],
      'discord.interaction.deadline_met': true,
    });
    expect(callback.attributes).toEqual({
      'http.request.method': 'POST',
      'discord.rest.route': '/interactions/:id/:token/callback',
      'http.response.status_code': 204,
    });
    expect(root.resource).toMatchObject({ 'service.name': 'test-bot', 'service.instance.id': 'eu-1' });
    expect(root.scope).toBe('@argus/tracing');
  });

  it('deferred: the defer is the initial response, the edit and the follow-up are children, the root ends with the handler', async () => {
    const { root, spans } = await traceOf('defer', 4);
    expect(spanTree(spans)).toMatchInlineSnapshot(`
      "discord.interaction defer (server) [discord.initial_response]
        POST /interactions/:id/:token/callback (client)
        PATCH /webhooks/:id/:token/messages/@original (client)
        POST /webhooks/:id/:token (client)"
    `);
    const edit = child(spans, 'PATCH /webhooks/:id/:token/messages/@original');
    const follow = child(spans, 'POST /webhooks/:id/:token');
    expect(edit.startNs - root.startNs).toBeGreaterThanOrEqual(100_000_000n);
    expect(root.endNs).toBeGreaterThanOrEqual(follow.endNs);
  });

  it('a handler that throws: error status and an exception event, without the token it carried', async () => {
    const { root, spans } = await traceOf('fail', 2);
    expect(spanTree(spans)).toMatchInlineSnapshot(`
      "discord.interaction fail (server ERROR) [discord.initial_response, exception]
        POST /interactions/:id/:token/callback (client)"
    `);
    expect(root.status).toEqual({ code: 2, message: 'on purpose <redacted>' });
    expect(root.attributes['error.type']).toBe('PlannedFailure');
    const exception = root.events.find((e) => e.name === 'exception')!;
    expect(exception.attributes['exception.type']).toBe('PlannedFailure');
    expect(exception.attributes['exception.message']).toBe('on purpose <redacted>');
  });

  it('late: a deadline missed event at 3 s, then the response', async () => {
    const { root, spans } = await traceOf('slow', 2);
    expect(spanTree(spans)).toMatchInlineSnapshot(`
      "discord.interaction slow (server) [deadline missed, discord.initial_response]
        POST /interactions/:id/:token/callback (client)"
    `);
    const missed = root.events.find((e) => e.name === 'deadline missed')!;
    expect(ms(missed.timeNs) - ms(root.startNs)).toBeCloseTo(3_000, -1);
    const response = root.events.find((e) => e.name === 'discord.initial_response')!;
    expect(ms(response.timeNs) - ms(root.startNs)).toBeGreaterThanOrEqual(3_300);
    expect(root.attributes['discord.interaction.deadline_met']).toBe(false);
  });

  it('never answered: the deadline missed event, and the span closed when Argus gives up', async () => {
    const { root, spans } = await traceOf('ignore', 1);
    expect(spanTree(spans)).toMatchInlineSnapshot(`"discord.interaction ignore (server) [deadline missed]"`);
    expect(root.attributes['discord.interaction.answered']).toBe(false);
    expect(ms(root.endNs) - ms(root.startNs)).toBeGreaterThanOrEqual(4_500);
  });

  it('rate-limited: the 429 and the retry as two attempts, the wait between them', async () => {
    const { root, spans } = await traceOf('limited', 3);
    expect(spanTree(spans)).toMatchInlineSnapshot(`
      "discord.interaction limited (server) [discord.initial_response]
        POST /interactions/:id/:token/callback (client)
        POST /interactions/:id/:token/callback (client)"
    `);
    const attempts = spans
      .filter((s) => s.name === 'POST /interactions/:id/:token/callback')
      .sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
    expect(attempts.map((a) => a.attributes['http.response.status_code'])).toEqual([429, 204]);
    expect(attempts[0]!.attributes['discord.rest.rate_limited']).toBe(true);
    expect(attempts[1]!.attributes['http.request.resend_count']).toBe(1);
    // discord.js waited retry_after (200 ms) between the two.
    expect(attempts[1]!.startNs - attempts[0]!.endNs).toBeGreaterThanOrEqual(150_000_000n);
    expect(attempts[0]!.status.code).toBe(0);
    expect(root.status.code).toBe(0);
  });

  it('a plain listener (no wrapCommand): the listener runs in the trace, its own span and its REST request nested', async () => {
    const { root, spans } = await traceOf('button', 1);
    expect(spanTree(spans)).toMatchInlineSnapshot(
      `
      "discord.interaction component (server) [discord.initial_response]
        button.lookup (internal)
        POST /interactions/:id/:token/callback (client)"
    `,
    );
    expect(root.attributes['discord.interaction.type']).toBe('component');
  });

  it('a prefix command through wrapCommand: its own trace with its REST request', async () => {
    const { spans } = await until(() => {
      const root = bot.receiver.spans.find((s) => s.name === 'discord.command ping');
      const spans = root ? bot.receiver.trace(root.traceId) : [];
      return spans.length >= 2 ? { spans } : undefined;
    });
    expect(spanTree(spans)).toMatchInlineSnapshot(`
      "discord.command ping (server)
        POST /channels/:id/messages (client)"
    `);
  });

  it('lists the failed, late and never-answered interactions for the dashboard, with their trace ids', async () => {
    const fail = await traceOf('fail', 1);
    const slow = await traceOf('slow', 1);
    const ignore = await traceOf('ignore', 1);
    const notable = bot.tracing.recentNotable();
    const byCommand = new Map(notable.map((t) => [t.command, t]));
    expect([...byCommand.keys()].sort()).toEqual(['fail', 'ignore', 'slow']);
    expect(byCommand.get('fail')).toMatchObject({
      outcome: 'error',
      traceId: fail.root.traceId,
      type: 'application_command',
    });
    expect(byCommand.get('slow')).toMatchObject({ outcome: 'late', traceId: slow.root.traceId });
    expect(byCommand.get('slow')!.durationMs).toBeGreaterThanOrEqual(3_000);
    expect(byCommand.get('ignore')).toMatchObject({ outcome: 'unanswered', traceId: ignore.root.traceId });
    // Newest first, timed at receipt on the wall clock, and nothing but these fields.
    const times = notable.map((t) => t.time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Math.abs(byCommand.get('fail')!.time - Date.now())).toBeLessThan(60_000);
    for (const t of notable)
      expect(Object.keys(t).sort()).toEqual(['command', 'durationMs', 'outcome', 'time', 'traceId', 'type']);
  });

  it('never exports a token or a user id', async () => {
    await traceOf('defer', 4);
    const text = bot.receiver.rawText();
    expect(text.length).toBeGreaterThan(1_000);
    expect(text).not.toContain(bot.sim.token);
    for (const interaction of sent.values()) {
      expect(text).not.toContain(interaction.token);
      expect(text).not.toContain(interaction.userId);
    }
    expect(text).toContain(sent.get('ping')!.guildId);
    expect(bot.counter('argus_instrumentation_errors_total', 'lifecycle:tracing')).toBe(0);
  });
});
