// A collector that is down, slow, refusing or resetting connections, against a real bot on the
// simulator: the bot keeps answering, each failed export is counted, and the push resumes when
// the collector behaves again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startBot, until } from '../../discordjs/test/harness';
import { otlp } from '../src/index';
import { type Behaviour, type OtlpReceiver, startOtlpReceiver } from './otlp-receiver';

let receiver: OtlpReceiver;
let bot: Running;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  bot = await startBot(
    { shardCount: 1, guildCount: 2 },
    { clusterId: 'faulty', otlpEndpoint: receiver.url, otlpInterval: 1, otlpTimeout: 1 },
  );
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await receiver?.close();
});

async function exportsCounted(result: 'success' | 'failure'): Promise<number> {
  return (await bot.scrape()).value('argus_otlp_exports_total', { result }) ?? 0;
}

/** The bot still answers an interaction and counts it. */
async function botAnswers(): Promise<void> {
  const before = (await bot.scrape()).sum('discord_interactions_total');
  const sent = bot.sim.sendInteraction({ type: 'command', name: 'ping' });
  const callback = await sent.callback;
  expect(callback).toBeDefined();
  await until(async () => (await bot.scrape()).sum('discord_interactions_total') > before);
}

async function survives(fault: () => Promise<void> | void, heal: () => Promise<void> | void): Promise<void> {
  const failures = await exportsCounted('failure');
  await fault();
  await until(async () => (await exportsCounted('failure')) > failures, 15_000, 'a counted failure');
  expect((await bot.scrape()).value('argus_subsystem_up', { subsystem: 'otlp' })).toBe(0);
  await botAnswers();
  // /readyz does not depend on the collector.
  expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  await heal();
  const received = receiver.received.length;
  const successes = await exportsCounted('success');
  await until(async () => (await exportsCounted('success')) > successes, 15_000, 'a successful export');
  expect(receiver.received.length).toBeGreaterThan(received);
  expect((await bot.scrape()).value('argus_subsystem_up', { subsystem: 'otlp' })).toBe(1);
}

describe('a misbehaving collector', () => {
  const cases: [string, Behaviour][] = [
    ['answering 500', { kind: 'status', status: 500 }],
    ['answering 503 (retried by the SDK until the timeout)', { kind: 'status', status: 503 }],
    ['refusing with 400', { kind: 'status', status: 400 }],
    ['refusing with 401', { kind: 'status', status: 401 }],
    ['never answering', { kind: 'stall' }],
    ['resetting connections', { kind: 'reset' }],
  ];
  for (const [what, behaviour] of cases) {
    it(`${what}: the bot is unaffected, failures are counted, export resumes`, async () => {
      await survives(
        () => receiver.behave(behaviour),
        () => receiver.behave({ kind: 'ok' }),
      );
    }, 45_000);
  }

  it('down, then back on the same port', async () => {
    const port = Number(new URL(receiver.url).port);
    await survives(
      () => receiver.close(),
      async () => {
        receiver = await startOtlpReceiver(port);
      },
    );
  }, 45_000);

  it('close() with a stalled collector sends its last export and returns by its deadline', async () => {
    const stalled = await startOtlpReceiver();
    stalled.behave({ kind: 'stall' });
    const push = otlp({ url: stalled.url, intervalMs: 3_600_000 }).start({
      snapshot: () => bot.argus.prometheus!.snapshot(),
      registry: bot.argus.registry,
      clusterId: 'faulty',
    });
    await push.close(300);
    expect(stalled.attempts).toBe(1);
    await stalled.close();
  });
});
