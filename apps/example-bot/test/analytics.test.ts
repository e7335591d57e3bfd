// The Analytics view in a real browser (Debian's Chromium through playwright-core) on the demo as
// a user runs it: the demo process with its defaults (per-guild analytics on the embedded
// ClickHouse, a token made for the run), opened at the URL it prints. Screenshots land in
// test-artifacts/dashboard/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@argus/test-services';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type DemoProcess, startDemo } from './demo-process';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/dashboard/', import.meta.url));
let demo: DemoProcess;
let dir: string;
let browser: { context: BrowserContext; close(): Promise<void> };
let dashboardUrl: string;
let token: string;
let base: string;

interface TopGuild {
  guildId: string;
  name: string | null;
  interactions: number;
  commands: number;
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  buildDemo();
  dir = mkdtempSync(join(tmpdir(), 'argus-demo-analytics-'));
  // Only where the embedded engine keeps its data is changed, so the run leaves nothing behind.
  demo = await startDemo({
    DEMO_SCENARIO: 'busy',
    ARGUS_CLICKHOUSE_DSN: `embedded:${join(dir, 'ch')}`,
    ARGUS_HISTORY_FLUSH_INTERVAL: '1',
  });
  const [, url, printed] = await demo.waitFor(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=([\w-]+))/);
  dashboardUrl = url!;
  token = printed!;
  base = `http://127.0.0.1:${demo.port}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (demo) expect(await demo.stop()).toBe(0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Analytics view on the demo', () => {
  it('lists the busiest guilds, shows a guild, finds one by name and by id', async () => {
    // Wait until the demo's traffic has reached ClickHouse for a few guilds.
    let top: TopGuild[] = [];
    for (let i = 0; i < 60 && top.filter((g) => g.commands > 0).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 500));
      top = (await api<{ rows: TopGuild[] }>('/api/analytics/top-guilds?days=7')).rows;
    }
    expect(top.filter((g) => g.commands > 0).length, demo.output()).toBeGreaterThanOrEqual(3);

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(dashboardUrl);
    await page.getByTestId('nav-analytics').click();
    await page.getByTestId('analytics-top-guild').first().waitFor({ timeout: 20_000 });
    // The token came from the printed URL and left the address bar at once.
    expect(page.url()).not.toContain('token=');

    const listed = await page
      .getByTestId('analytics-top-guild')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-guild-id')));
    // Traffic goes on, so the ranking may shift between two reads: compare against every guild.
    const all = (await api<{ rows: TopGuild[] }>('/api/analytics/top-guilds?days=7&limit=100')).rows;
    const byId = new Map(all.map((g) => [g.guildId, g]));
    expect(listed.length).toBeGreaterThanOrEqual(3);
    for (const id of listed) expect(byId.has(id!)).toBe(true);
    const [first, other, third] = listed.slice(0, 3).map((id) => byId.get(id!)!) as [
      TopGuild,
      TopGuild,
      TopGuild,
    ];

    await page.getByTestId('analytics-top-guild').first().click();
    await expect
      .poll(() => page.getByTestId('analytics-guild').getAttribute('data-guild-id'), { timeout: 10_000 })
      .toBe(first.guildId);
    await expect.poll(() => page.getByTestId('analytics-guild').textContent()).toContain(first.name);
    expect(page.url()).toContain(`analytics/${first.guildId}`);
    await page.getByTestId('analytics-volume-chart').locator('canvas').first().waitFor();
    await page.getByTestId('analytics-command-table').locator('[data-command]').first().waitFor();
    // The cards agree with the API (the traffic goes on, so the page may be a little behind).
    const overall = await api<{ commands: number }>(
      `/api/analytics/avg-duration?guild_id=${first.guildId}&days=7`,
    );
    const shown = Number(await page.getByTestId('analytics-stat-commands').getAttribute('data-value'));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(overall.commands);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}analytics.png`, fullPage: true });

    // Search by part of a name, then select a guild by its id.
    const search = page.getByTestId('analytics-guild-search');
    await search.fill(other.name!.slice(0, -1));
    const match = page.locator(`[data-testid="analytics-guild-match"][data-guild-id="${other.guildId}"]`);
    await match.waitFor({ timeout: 10_000 });
    await match.click();
    await expect
      .poll(() => page.getByTestId('analytics-guild').getAttribute('data-guild-id'), { timeout: 10_000 })
      .toBe(other.guildId);
    await search.fill(third.guildId);
    await search.press('Enter');
    await expect
      .poll(() => page.getByTestId('analytics-guild').getAttribute('data-guild-id'), { timeout: 10_000 })
      .toBe(third.guildId);

    // A deep link survives a reload, and the phone layout holds the same view.
    await page.reload();
    await expect
      .poll(() => page.getByTestId('analytics-guild').getAttribute('data-guild-id'), { timeout: 15_000 })
      .toBe(third.guildId);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('analytics-volume-chart').locator('canvas').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${artifacts}analytics-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('asks for the token on a fresh browser and refuses the API without it', async () => {
    const context = browser.context;
    const page = await context.newPage();
    await page.goto(`${base}/#/analytics`);
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await page.getByTestId('token-prompt').waitFor({ timeout: 15_000 });
    expect((await fetch(`${base}/api/analytics/top-guilds`)).status).toBe(401);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('token-submit').click();
    await page.getByTestId('analytics-top-guild').first().waitFor({ timeout: 20_000 });
    await page.close();
  }, 60_000);
});
