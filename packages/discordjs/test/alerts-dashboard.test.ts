// The dashboard shows the bot's alerts, in a real browser (Debian's Chromium through
// playwright-core): a real discord.js Client on the simulator hits global rate limits until the
// in-bot evaluator fires DiscordGlobalRateLimited; Overview and Health list it. Screenshots land
// in test-artifacts/alerts/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DiscordSim, startDiscordSim } from '@argus/discord-sim';
import { launchChromium, until } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Argus, argus } from '../src/index';
import { Exposition, installBot } from './harness';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/alerts/', import.meta.url));

let sim: DiscordSim;
let client: Client;
let bot: Argus;
let base: string;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  sim = await startDiscordSim({ heartbeatIntervalMs: 300, shardCount: 1, guildCount: 2 });
  client = makeClient(sim, { shards: 'auto' });
  bot = argus(client, {
    host: '127.0.0.1',
    port: 0,
    env: {},
    alertInterval: 1,
    dashboardInterval: 1,
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  installBot(client, bot);
  await loginReady(client, sim.token);
  const server = await bot.server;
  if (!server) throw new Error('the Argus server did not start');
  base = server.url;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.close();
  await client?.destroy();
  await sim?.close();
});

it('lists a firing alert on Overview and Health', async () => {
  const page = await browser!.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/`);
  await page.getByTestId('overview-alerts-none').waitFor({ timeout: 20_000 });

  const globalLimits = async () =>
    new Exposition(await (await fetch(`${base}/metrics`)).text()).sum('discord_ratelimits_total', {
      scope: 'global',
    });
  for (let i = 1; i <= 2; i++) {
    sim.injectRateLimit({
      global: true,
      method: 'POST',
      route: '^/channels/\\d+/messages',
      retryAfter: 0.2,
      count: 1,
    });
    sim.sendMessage({ content: '!ping' });
    sim.sendMessage({ content: '!ping' });
    await until(async () => (await globalLimits()) >= i, 10_000, `global rate limit ${i}`);
    await new Promise((r) => setTimeout(r, 1200));
  }

  const firing = page
    .getByTestId('overview-alerts-active')
    .locator('[data-alert="DiscordGlobalRateLimited"]');
  await firing.waitFor({ timeout: 20_000 });
  expect(await firing.getAttribute('data-status')).toBe('firing');
  expect(await firing.textContent()).toContain('Global REST rate limit on default');
  await page.screenshot({ path: `${artifacts}overview.png`, fullPage: true });

  await page.getByTestId('nav-health').click();
  const onHealth = page
    .getByTestId('health-alerts-active')
    .locator('[data-alert="DiscordGlobalRateLimited"]');
  await onHealth.waitFor({ timeout: 10_000 });
  await page.screenshot({ path: `${artifacts}health.png`, fullPage: true });

  await page.getByTestId('nav-setup').click();
  await page.getByTestId('setup-alert-webhook').fill('https://discord.com/api/webhooks/1/abc');
  await expect
    .poll(() => page.getByTestId('setup-env-output').textContent(), { timeout: 5_000 })
    .toContain('ARGUS_ALERT_WEBHOOK_URL=https://discord.com/api/webhooks/1/abc');
  await page.screenshot({ path: `${artifacts}setup.png`, fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
}, 90_000);
