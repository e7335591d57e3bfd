// The in-bot evaluator against Debian's Prometheus 2.42 on the same bot: the example bot (a real
// discord.js Client on the simulator) plays the chaos scenario with alerts evaluated every second;
// Prometheus scrapes it every second and evaluates deploy/'s generated rule file every second.
// Both are polled for the same minute, and every alert either side raised must have been raised
// by the other, in the same state, within the documented tolerance (README: "Tolerance"); an alert
// one side held for less than the tolerance and then resolved (a blip) is listed, not required.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PrometheusServer, startPrometheus } from '@argus/test-services';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDemo, type DemoProcess, startDemo } from '../../../apps/example-bot/test/demo-process';
import { argusRules, conditionToPromQL, exprToPromQL } from '../src/index';

const rulesFile = fileURLToPath(new URL('../../../deploy/prometheus/rules/argus.rules.yml', import.meta.url));
const TOKEN = 'agreement-dashboard-token';
/** How long both sides are watched. */
const WATCH_MS = 60_000;
/**
 * The tolerance: the bot samples its registry at its own instants, Prometheus at its scrapes, each
 * every second; a state may change up to a few intervals apart, never more than this.
 */
const TOLERANCE_MS = 6_000;
/**
 * For a condition over a window of 5 minutes or more: such a rate moves by a small fraction per
 * second, so the instant it crosses its threshold drifts with each side's sampling instants (seen:
 * a 5-minute REST rate-limit rate pending 12 s apart, both sides agreeing it would).
 */
const SLOW_TOLERANCE_MS = 15_000;

const SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** The tolerance for an alert series, by the longest window its condition reads. */
function toleranceFor(key: string): number {
  const name = (JSON.parse(key) as string[][]).find(([label]) => label === 'alertname')?.[1];
  const rule = argusRules()
    .alerting.flatMap((g) => g.rules)
    .find((r) => r.alert === name);
  if (rule === undefined) return TOLERANCE_MS;
  let longest = 0;
  for (const [, n, unit] of conditionToPromQL(rule.condition).matchAll(/\[(\d+)([smhd])\]/g))
    longest = Math.max(longest, Number(n) * SECONDS[unit as keyof typeof SECONDS]);
  return longest >= 300 ? SLOW_TOLERANCE_MS : TOLERANCE_MS;
}
/**
 * Alerts compared on their input only, and why: the bot's own history starts at argus(), before
 * the server listens and Prometheus' first scrape, so for a process younger than the rule's 1 h
 * window the bot's `delta` of resident memory starts from a lower, pre-login sample.
 */
const STARTUP_SENSITIVE: Record<string, string> = {
  DiscordBotMemoryGrowth: 'growth over 1 h of a process younger than 1 h: the bot saw its own start-up',
};
/** Labels only Prometheus adds (the scrape target's). */
const TARGET_LABELS = new Set(['job', 'instance']);

let dir: string;
let demo: DemoProcess | undefined;
let prometheus: PrometheusServer | undefined;

beforeAll(() => {
  buildDemo();
  dir = mkdtempSync(join(tmpdir(), 'argus-agreement-'));
}, 180_000);
afterAll(async () => {
  if (demo && demo.child.exitCode !== null) console.error(`the demo exited:\n${demo.output().slice(-3000)}`);
  await prometheus?.stop();
  if (demo) await demo.stop().catch(() => demo?.child.kill('SIGKILL'));
  rmSync(dir, { recursive: true, force: true });
});

type State = 'pending' | 'firing';
interface Seen {
  pending?: number;
  firing?: number;
  /** The last poll that saw the series active, in either state. */
  last: number;
}

function keyOf(labels: Record<string, string>): string {
  const kept = Object.entries(labels).filter(([k]) => !TARGET_LABELS.has(k));
  return JSON.stringify(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function note(into: Map<string, Seen>, key: string, state: State, at: number): void {
  const seen = into.get(key) ?? { last: at };
  if (state === 'firing') seen.pending ??= at;
  seen[state] ??= at;
  seen.last = at;
  into.set(key, seen);
}

/**
 * Active for less than the tolerance and over before the watch ended: a condition that crossed its
 * threshold for a moment. Each side samples at its own instants, so the other may never see it.
 */
function blip(seen: Seen, end: number): boolean {
  const first = seen.pending ?? seen.firing ?? seen.last;
  return seen.last - first < TOLERANCE_MS && end - seen.last > 2_000;
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

it('raises the same alerts as Prometheus 2.42 on the same scrape, within the tolerance', async () => {
  demo = await startDemo({
    DEMO_SCENARIO: 'chaos',
    ARGUS_ALERT_INTERVAL: '1',
    ARGUS_DASHBOARD_AUTH_TOKEN: TOKEN,
    ARGUS_ENABLE_PER_GUILD: 'false',
  });
  const [, simUrl] = await demo.waitFor(/Discord simulator on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
  const bot = `http://127.0.0.1:${demo.port}`;
  prometheus = await startPrometheus([], {
    config: [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(rulesFile)}]`,
      'scrape_configs:',
      `  - { job_name: argus, static_configs: [{ targets: ["127.0.0.1:${demo.port}"] }] }`,
    ].join('\n'),
  });
  await prometheus.waitFor('up{job="argus"} == 1', (r) => r.length === 1);
  // What chaos lacks, as deploy/'s real-data test adds it: global rate limits and a long outage.
  await post(`${simUrl}/_sim/ratelimit`, { route: '/messages$', global: true, count: 3, retryAfter: 2 });
  await post(`${simUrl}/_sim/outage`, { shardId: 1, ms: 40_000 });

  const inBot = new Map<string, Seen>();
  const inPrometheus = new Map<string, Seen>();
  let skipped: string[] = [];
  const started = Date.now();
  while (Date.now() - started < WATCH_MS) {
    const at = Date.now();
    const [own, theirs] = await Promise.all([
      fetch(`${bot}/api/alerts`, { headers: { Authorization: `Bearer ${TOKEN}` } }).then(
        (r) =>
          r.json() as Promise<{
            active: { labels: Record<string, string>; status: State }[];
            skipped: { alert: string }[];
          }>,
      ),
      fetch(`${prometheus.url}/api/v1/alerts`).then(
        (r) => r.json() as Promise<{ data: { alerts: { labels: Record<string, string>; state: State }[] } }>,
      ),
    ]);
    skipped = own.skipped.map((s) => s.alert);
    for (const a of own.active) note(inBot, keyOf(a.labels), a.status, at);
    for (const a of theirs.data.alerts) {
      if (skipped.includes(a.labels.alertname ?? '')) continue;
      note(inPrometheus, keyOf(a.labels), a.state, at);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const end = Date.now();

  // Chaos must have raised something on both sides, or the comparison proves nothing.
  const names = (m: Map<string, Seen>) =>
    [
      ...new Set([...m.keys()].map((k) => JSON.parse(k).find(([n]: string[]) => n === 'alertname')[1])),
    ].sort();
  expect(names(inPrometheus)).toEqual(
    expect.arrayContaining(['DiscordGlobalRateLimited', 'DiscordShardDown']),
  );
  // And the bot fired (not only held pending) what chaos makes fire at once.
  const botFired = [...inBot].filter(([, seen]) => seen.firing !== undefined).map(([key]) => key);
  expect(botFired.some((key) => key.includes('"DiscordGlobalRateLimited"'))).toBe(true);

  const disagreements: string[] = [];
  const blips: string[] = [];
  let compared = 0;
  const compare = (from: Map<string, Seen>, to: Map<string, Seen>, fromName: string, toName: string) => {
    for (const [key, seen] of from) {
      if (Object.keys(STARTUP_SENSITIVE).some((name) => key.includes(`"alertname","${name}"`))) continue;
      if (blip(seen, end) && !to.has(key)) {
        blips.push(`${fromName} only, for ${seen.last - (seen.pending ?? seen.last)} ms: ${key}`);
        continue;
      }
      compared++;
      const tolerance = toleranceFor(key);
      for (const state of ['pending', 'firing'] as const) {
        const at = seen[state];
        if (at === undefined || end - at < tolerance) continue; // too late for the other side to show it
        const other = to.get(key)?.[state];
        if (other === undefined || Math.abs(other - at) > tolerance) {
          disagreements.push(
            `${key} ${state}: ${fromName} at +${at - started} ms (active until +${seen.last - started} ms), ` +
              `${toName} ${other === undefined ? 'never' : `at +${other - started} ms`}`,
          );
        }
      }
    }
  };
  compare(inPrometheus, inBot, 'Prometheus', 'bot');
  compare(inBot, inPrometheus, 'bot', 'Prometheus');
  // How Prometheus' scrapes went over the watch: a failed or slow scrape shifts its states.
  const window = `${Math.ceil((end - started) / 1000)}s`;
  const [lowestUp] = await prometheus.query(`min_over_time(up{job="argus"}[${window}])`);
  const [slowest] = await prometheus.query(`max_over_time(scrape_duration_seconds{job="argus"}[${window}])`);
  console.info(
    `scrapes: lowest up ${lowestUp?.value[1]}, slowest ${slowest?.value[1]} s\n` +
      `agreement: ${inPrometheus.size} alert series in Prometheus, ${inBot.size} in the bot: ${names(inBot).join(', ')}` +
      (blips.length > 0 ? `\nseen by one side only, for less than the tolerance:\n${blips.join('\n')}` : ''),
  );
  // Blips aside, the comparison still covers what chaos raises.
  expect(compared).toBeGreaterThanOrEqual(2 * 15);
  // As text, so a failure says which alert and when, not `[ Array(1) ]`.
  expect(disagreements.join('\n')).toBe('');
  // The alerts left out above are still evaluated by Prometheus on the same data (no label mismatch).
  for (const name of Object.keys(STARTUP_SENSITIVE)) {
    const rule = argusRules()
      .alerting.flatMap((g) => g.rules)
      .find((r) => r.alert === name);
    if (rule?.condition.kind !== 'threshold') throw new Error(`${name} is not a threshold rule`);
    expect((await prometheus.query(exprToPromQL(rule.condition.expr))).length, name).toBe(1);
  }
}, 150_000);
