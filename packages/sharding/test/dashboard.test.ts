// The manager's live dashboard in a real browser (Debian's Chromium through playwright-core):
// discord-hybrid-sharding with 3 clusters of 2 shards on the simulator, with traffic. The fleet
// overview shows every cluster side by side; selecting one narrows the other sections to it; a
// child killed with SIGKILL (not respawned here, so it stays down) shows as down while the others
// keep their figures. Screenshots land in test-artifacts/fleet/ for a person to look at.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiscordSim } from '@argus/discord-sim';
import { launchChromium, until } from '@argus/test-services';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildFixtures, type RunningFleet, removeFixtures, startFleet } from './harness';
import { sendTraffic, waitForCounts } from './traffic';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/fleet/', import.meta.url));
/** The SPA as @argus/server's build ships it (`pnpm turbo run build`). */
const spa = fileURLToPath(new URL('../../server/dist/dashboard/', import.meta.url));

let sim: DiscordSim;
let fixtures: string;
let fleet: RunningFleet | undefined;
let browser: { context: BrowserContext; close(): Promise<void> } | undefined;

beforeAll(async () => {
  if (!existsSync(`${spa}index.html`))
    throw new Error(`the dashboard is not built (${spa}); run pnpm turbo run build first`);
  mkdirSync(artifacts, { recursive: true });
  fixtures = await buildFixtures('dashboard');
  // The bundled manager finds the SPA beside itself, as the published @argus/server does.
  cpSync(spa, `${fixtures}/dashboard`, { recursive: true });
  sim = await DiscordSim.start({ shardCount: 6, guildCount: 12 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await sim?.close();
  await removeFixtures(fixtures);
});

/** The `data-*` of each fleet row, as [cluster, up]. */
async function fleetRows(page: Page): Promise<[string, string][]> {
  const rows = await page.getByTestId('fleet-row').all();
  return Promise.all(
    rows.map(
      async (r): Promise<[string, string]> => [
        (await r.getAttribute('data-cluster')) ?? '',
        (await r.getAttribute('data-up')) ?? '',
      ],
    ),
  );
}

async function shardIds(page: Page): Promise<string[]> {
  const rows = await page.getByTestId('shard-row').all();
  return Promise.all(rows.map(async (r) => (await r.getAttribute('data-shard')) ?? ''));
}

describe("the manager's dashboard in Chromium", () => {
  it('shows every cluster, narrows the sections to a selected one, and shows a killed child down', async () => {
    fleet = await startFleet(
      fixtures,
      sim,
      {
        manager: 'hybrid',
        mode: 'process',
        totalShards: 6,
        clusters: 3,
        deadlineMs: 2_500,
        respawn: false,
        dashboardInterval: 1,
      },
      250,
    );
    const running = fleet;
    await until(async () => (await running.fleet()).ready, 60_000, 'all three clusters ready');
    const sent = await sendTraffic(sim, [0, 1, 2, 3, 4, 5], (shard) => shard + 1);
    await waitForCounts(running, {
      '0': sent[0]! + sent[1]!,
      '1': sent[2]! + sent[3]!,
      '2': sent[4]! + sent[5]!,
    });

    // A trickle of commands while the page is open, so rates and charts have something to show.
    let next = 0;
    const trickle = setInterval(() => {
      sim.sendInteraction({ type: 'command', name: 'ping', shardId: next++ % 4 });
    }, 100);
    onTestFinished(() => clearInterval(trickle));

    const page = await browser!.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${running.url}/#/fleet`);
    await page.getByTestId('section-fleet').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => fleetRows(page), { timeout: 20_000 })
      .toEqual([
        ['0', 'true'],
        ['1', 'true'],
        ['2', 'true'],
      ]);
    // Every cluster with its figures: two shards up each, a latency once heartbeats came back.
    for (const cluster of ['0', '1', '2']) {
      const row = page.locator(`[data-testid=fleet-row][data-cluster="${cluster}"]`);
      await expect
        .poll(() => row.textContent(), { timeout: 20_000 })
        .toMatch(/ready.*2 \/ 2\s*\d+(\.\d)? ms/);
      expect(await row.textContent()).toMatch(/MiB/);
    }
    expect(await page.getByTestId('stat-clusters-up-value').textContent()).toBe('3 / 3');
    await page.screenshot({ path: `${artifacts}fleet.png`, fullPage: true });

    // All clusters: the Gateway section lists every shard.
    await page.getByTestId('nav-gateway').click();
    await expect.poll(() => shardIds(page), { timeout: 20_000 }).toEqual(['0', '1', '2', '3', '4', '5']);

    // Select cluster 1 in the fleet overview: every section narrows to its shards, 2 and 3.
    await page.getByTestId('nav-fleet').click();
    await page.locator('[data-testid=fleet-row][data-cluster="1"]').click();
    expect(await page.getByTestId('cluster-select').inputValue()).toBe('1');
    await page.getByTestId('nav-gateway').click();
    await expect.poll(() => shardIds(page), { timeout: 10_000 }).toEqual(['2', '3']);
    // A few frames, so the charts have lines in the screenshot.
    await page
      .locator('[data-testid=chart-shard-latency] .chart-empty')
      .waitFor({ state: 'detached', timeout: 20_000 });
    await page.screenshot({ path: `${artifacts}gateway-cluster-1.png`, fullPage: true });
    await page.getByTestId('nav-interactions').click();
    await page.getByTestId('section-interactions').waitFor();
    await page.screenshot({ path: `${artifacts}interactions-cluster-1.png`, fullPage: true });
    // And back to all, with the selector itself.
    await page.getByTestId('cluster-select').selectOption('');
    await page.getByTestId('nav-gateway').click();
    await expect.poll(() => shardIds(page), { timeout: 10_000 }).toEqual(['0', '1', '2', '3', '4', '5']);

    // A child killed the hard way is down, with when it was last seen; the others keep their figures.
    await page.getByTestId('nav-fleet').click();
    running.kill(2);
    await expect
      .poll(() => fleetRows(page), { timeout: 10_000 })
      .toEqual([
        ['0', 'true'],
        ['1', 'true'],
        ['2', 'false'],
      ]);
    const down = page.locator('[data-testid=fleet-row][data-cluster="2"]');
    expect(await down.getByTestId('fleet-status').textContent()).toBe('down');
    expect(await down.getByTestId('fleet-last-seen').textContent()).toMatch(/ago|just now/);
    expect(await down.textContent()).toMatch(/–/);
    expect(await page.locator('[data-testid=fleet-row][data-cluster="0"]').textContent()).toMatch(/2 \/ 2/);
    expect(await page.getByTestId('stat-clusters-up-value').textContent()).toBe('2 / 3');
    await page.screenshot({ path: `${artifacts}fleet-cluster-down.png`, fullPage: true });
    // Its shards leave the other sections with its series.
    await page.getByTestId('nav-gateway').click();
    await expect.poll(() => shardIds(page), { timeout: 10_000 }).toEqual(['0', '1', '2', '3']);

    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
