// The live dashboard in a real browser (Debian's Chromium through playwright-core): the example
// bot with Argus on the simulator, with live traffic. Screenshots of every section land in
// test-artifacts/dashboard/ for a person to look at.
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type DiscordSim,
  playScenario,
  SCENARIOS,
  startDiscordSim,
  type TrafficDriver,
} from '@argus/discord-sim';
import { argus } from '@argus/discordjs';
import { freePort, launchChromium } from '@argus/test-services';
import { Events } from 'discord.js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleBot, type ExampleBot } from '../src/bot';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/dashboard/', import.meta.url));
const SECTIONS = ['overview', 'interactions', 'gateway', 'rest', 'health', 'analytics', 'grafana', 'setup'];

let sim: DiscordSim;
let bot: ExampleBot;
let driver: TrafficDriver;
let browser: { context: BrowserContext; close(): Promise<void> };
let port: number;
let base: string;

const argusOptions = (extra: Record<string, unknown> = {}) => ({
  host: '127.0.0.1',
  port,
  env: {},
  dashboardInterval: 1,
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  ...extra,
});

/** One pixel of the full page as PNG bytes: two pixels of one colour encode to the same bytes. */
function pixel(page: Page, x: number, y: number): Promise<Buffer> {
  return page.screenshot({ fullPage: true, clip: { x, y, width: 1, height: 1 } });
}

async function status(page: Page, want: string, timeout = 20_000): Promise<void> {
  await page.getByTestId('connection-status').filter({ hasText: want }).waitFor({ timeout });
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  sim = await startDiscordSim({
    shardCount: 2,
    guildCount: 24,
    ackDelayMs: [45, 110],
    heartbeatIntervalMs: 500,
  });
  bot = createExampleBot(
    {
      rest: { api: sim.apiUrl },
      shards: 'auto',
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
    },
    argusOptions(),
  );
  const ready = once(bot.client, Events.ClientReady);
  await bot.client.login(sim.token);
  await ready;
  expect(await bot.argus.server).toBeDefined();
  driver = playScenario(sim, { ...SCENARIOS.busy, rate: 25 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  driver?.stop();
  await browser?.close();
  await bot?.stop().catch(() => {});
  await sim?.close();
});

describe('the dashboard in Chromium', () => {
  it('loads, goes live and shows numbers that move with the traffic', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/`);
    await status(page, 'live');
    await expect
      .poll(
        () =>
          page
            .getByTestId('stat-guilds')
            .textContent()
            .then((t) => t ?? ''),
        { timeout: 15_000 },
      )
      .toContain('24');
    await expect
      .poll(
        () =>
          page
            .getByTestId('stat-shards')
            .textContent()
            .then((t) => t ?? ''),
        { timeout: 15_000 },
      )
      .toMatch(/2\s*\/\s*2/);
    // Rates need two frames; then they keep changing as the simulator sends traffic.
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const text = await page
        .getByTestId('stat-interactions-rate')
        .textContent()
        .then((t) => t ?? '');
      if (/\d/.test(text)) seen.add(text);
      await page.waitForTimeout(1_000);
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('renders every section with real data (screenshots for review)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    await status(page, 'live');
    await page.waitForTimeout(6_000); // a few frames, so charts have lines
    for (const section of SECTIONS) {
      await page.getByTestId(`nav-${section}`).click();
      await page.getByTestId(`section-${section}`).waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${artifacts}${section}.png`, fullPage: true });
      if (section === 'interactions' || section === 'setup') {
        // A section longer than the window: the sidebar's background reaches the end of the page.
        const height = await page.evaluate<number>('document.documentElement.scrollHeight');
        expect(height).toBeGreaterThan(900);
        expect(await pixel(page, 2, height - 2)).toEqual(await pixel(page, 2, 400));
      }
    }
    await page.getByTestId('nav-interactions').click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('command-table')
            .textContent()
            .then((t) => t ?? ''),
        { timeout: 10_000 },
      )
      .toContain('ping');
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('nav-overview').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}overview-other-theme.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}overview-phone.png`, fullPage: true });
    await page.close();
  }, 90_000);

  it('survives a server restart: shows it is offline, then live again', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    await status(page, 'live');
    await bot.argus.close();
    await expect
      .poll(
        () =>
          page
            .getByTestId('connection-status')
            .textContent()
            .then((t) => t ?? ''),
        { timeout: 30_000 },
      )
      .toMatch(/offline|stale|polling/);
    bot.argus = argus(bot.client, argusOptions());
    expect(await bot.argus.server).toBeDefined();
    await status(page, 'live', 40_000);
    await page.close();
  }, 120_000);

  it('asks for the token when one is set, refuses a wrong one and works with the right one', async () => {
    await bot.argus.close();
    bot.argus = argus(bot.client, argusOptions({ dashboardAuthToken: 'correct-horse' }));
    expect(await bot.argus.server).toBeDefined();
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('token-prompt').waitFor({ timeout: 15_000 });
    await page.getByTestId('token-input').fill('wrong-token');
    await page.getByTestId('token-submit').click();
    await page.waitForTimeout(1_000);
    await expect(page.getByTestId('token-prompt').isVisible()).resolves.toBe(true);
    await page.getByTestId('token-input').fill('correct-horse');
    await page.getByTestId('token-submit').click();
    await status(page, 'live');
    await page.screenshot({ path: `${artifacts}with-token.png` });
    // The token is remembered for the next visit.
    await page.reload();
    await status(page, 'live');
    // The data routes refuse a request without it.
    expect((await fetch(`${base}/api/snapshot`)).status).toBe(401);
    // Signing out forgets it: the prompt comes back, and stays after a reload.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('token-signed-out').waitFor({ timeout: 10_000 });
    expect(await page.evaluate<string | null>("localStorage.getItem('argus.dashboardToken')")).toBeNull();
    await page.reload();
    await page.getByTestId('token-prompt').waitFor({ timeout: 15_000 });
    await page.close();
  }, 90_000);

  it('never writes a stored token back: storage cleared while the page loads stays cleared', async () => {
    // The bot still asks for 'correct-horse' (the previous test). A visit stores the token.
    const page = await browser.context.newPage();
    await page.goto(`${base}/?token=correct-horse`);
    await status(page, 'live');
    // The next load's config answer is held until the storage has been cleared.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked!: () => void;
    const configAsked = new Promise<void>((r) => (asked = r));
    await page.route('**/api/config', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await page.reload();
    await configAsked;
    await page.evaluate('localStorage.clear()');
    release();
    await status(page, 'live');
    await page.unroute('**/api/config');
    expect(await page.evaluate<string | null>("localStorage.getItem('argus.dashboardToken')")).toBeNull();
    await page.reload();
    await page.getByTestId('token-prompt').waitFor({ timeout: 15_000 });
    await page.close();
  }, 60_000);
});
