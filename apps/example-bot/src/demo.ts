// `pnpm demo`: the example bot with Argus, on the built-in Discord simulator with live traffic,
// or on real Discord when DISCORD_TOKEN is set. Every ARGUS_* variable applies.

import { randomBytes } from 'node:crypto';
import {
  DEMO_COMMANDS,
  type DiscordSim,
  playScenario,
  SCENARIOS,
  startDiscordSim,
  type TrafficDriver,
} from '@argus/discord-sim';
import type { ArgusOptions } from '@argus/discordjs';
import { Events } from 'discord.js';
import { createExampleBot, type ExampleBot } from './bot';
import { startDemoOtlp } from './demo-otlp';
import { logTracesToConsole } from './trace-log';

const scenarioName = process.env.DEMO_SCENARIO ?? 'steady';
const env = (name: string) => (process.env[name] ?? '').trim() !== '';

/**
 * The demo's own defaults, each used only when its ARGUS_* variable is unset: loopback only, and
 * per-guild analytics on the embedded ClickHouse (./.argus/clickhouse) behind a token made for
 * this run, since analytics is never served without one.
 */
function demoDefaults(): { options: ArgusOptions; generatedToken: string | undefined } {
  const options: ArgusOptions = {};
  if (!env('ARGUS_HOST') && !env('SERVER_IP')) options.host = '127.0.0.1';
  if (!env('ARGUS_ENABLE_PER_GUILD')) options.enablePerGuild = true;
  if (!env('ARGUS_CLICKHOUSE_DSN') && !env('ARGUS_CLICKHOUSE_DSN_FILE')) options.clickhouseDsn = 'embedded';
  let generatedToken: string | undefined;
  if (!env('ARGUS_DASHBOARD_AUTH_TOKEN') && !env('ARGUS_DASHBOARD_AUTH_TOKEN_FILE')) {
    generatedToken = randomBytes(18).toString('base64url');
    options.dashboardAuthToken = generatedToken;
  }
  return { options, generatedToken };
}
const { options: DEMO_ARGUS, generatedToken } = demoDefaults();

// Tracing with no collector to send to: one line per kept trace (errors, missed deadlines, 10 %).
const tracingOn = /^(1|true|yes|on)$/i.test((process.env.ARGUS_ENABLE_TRACING ?? '').trim());
const collector = [
  'ARGUS_TRACING_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'ARGUS_OTLP_ENDPOINT',
].some(env);
if (tracingOn && !collector) logTracesToConsole();

async function main(): Promise<void> {
  let sim: DiscordSim | undefined;
  let driver: TrafficDriver | undefined;
  let bot: ExampleBot;
  let stopping = false;
  const otlpDemo = await startDemoOtlp();
  const argusOptions: ArgusOptions = { ...DEMO_ARGUS, ...otlpDemo?.options };

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n[demo] stopping…');
    driver?.stop();
    await bot?.stop().catch(() => {});
    await sim?.close().catch(() => {});
    await otlpDemo?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  const token = process.env.DISCORD_TOKEN;
  if (token) {
    bot = createExampleBot({}, argusOptions);
    console.log('[demo] DISCORD_TOKEN is set: connecting to real Discord');
    await bot.client.login(token);
  } else {
    if (!Object.hasOwn(SCENARIOS, scenarioName)) {
      console.error(
        `[demo] unknown DEMO_SCENARIO "${scenarioName}"; pick one of ${Object.keys(SCENARIOS).join(', ')}`,
      );
      process.exit(2);
    }
    sim = await startDiscordSim({
      shardCount: 2,
      guildCount: 24,
      ackDelayMs: [45, 110],
      token: 'demo-token',
      // The simulator shares the demo's process: it remembers the last 5,000 interactions (minutes
      // of traffic, far past any reply) rather than 100,000, so the demo's heap levels off too.
      maxTrackedInteractions: 5_000,
    });
    bot = createExampleBot({ rest: { api: sim.apiUrl }, shards: 'auto' }, argusOptions);
    const ready = new Promise((resolve) => bot.client.once(Events.ClientReady, resolve));
    await bot.client.login(sim.token);
    await ready;
    await bot.client.application?.commands.set(DEMO_COMMANDS as never);
    driver = playScenario(sim, SCENARIOS[scenarioName as keyof typeof SCENARIOS]);
    console.log(`[demo] Discord simulator on ${sim.url}, scenario "${scenarioName}" playing`);
  }

  const server = await bot.argus.server;
  if (server) {
    const base = server.url;
    if (bot.argus.config.dashboard) {
      // Only a token the demo made up itself is printed; one you chose stays yours.
      const login = generatedToken ? `?token=${generatedToken}` : '';
      console.log(`[demo] dashboard: ${base}${bot.argus.config.dashboardPath}${login}`);
      if (generatedToken)
        console.log(
          '[demo]            (a token made for this run; set ARGUS_DASHBOARD_AUTH_TOKEN to pick one)',
        );
      if (bot.argus.config.enablePerGuild)
        console.log('[demo] per-guild analytics: the Analytics section of the dashboard');
    }
    console.log(`[demo] metrics:   ${base}${bot.argus.config.metricsPath}`);
    console.log(`[demo] health:    ${base}/healthz  ${base}/readyz`);
  } else {
    console.log('[demo] the Argus server did not start (see the log above); the bot runs on without it');
  }
  console.log('[demo] Ctrl-C stops everything');
}

main().catch((error) => {
  console.error('[demo] failed:', error);
  process.exit(1);
});
