import { parseArgs } from 'node:util';
import type { TrafficReport } from '../types.js';
import { startScenario } from './control.js';
import type { TrafficDriver } from './driver.js';
import { isScenarioName, SCENARIOS } from './scenarios.js';
import { type DiscordSim, startDiscordSim } from './sim.js';

export const USAGE = `Usage: argus-discord-sim [options]

Starts a fake Discord on 127.0.0.1 that an unmodified discord.js Client can log into:
  new Client({ intents, rest: { api: '<api url printed below>' } })

Options:
  --port <n>          TCP port (default 0: a free one)
  --host <addr>       listen address (default 127.0.0.1)
  --shards <n>        shard count (default 1)
  --guilds <n>        number of guilds (default 10)
  --token <t>         bot token to accept (default argus-sim-token)
  --ack-delay <ms>    heartbeat ACK delay, one value or one per shard: 30,120 (default 0)
  --heartbeat <ms>    heartbeat interval sent in HELLO (default 1000)
  --scenario <name>   play a scenario once a bot identifies: ${Object.keys(SCENARIOS).join(', ')}
  --rate <n>          events per second for the scenario (overrides its default)
  --duration <s>      stop the scenario after this many seconds (default: run until exit)
  --json              print the addresses as one JSON line instead of text
  -h, --help          show this help
`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliHandle {
  sim: DiscordSim;
  /** The running scenario, once a bot identified (null before, or without --scenario). */
  driver(): TrafficDriver | null;
  /** Stops the scenario and the sim; prints the scenario report. */
  stop(): Promise<TrafficReport | null>;
}

export class CliUsageError extends Error {}

function num(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new CliUsageError(`--${name} must be a number >= ${min}, got '${value}'`);
  return n;
}

/** The CLI without process wiring, so tests can run it in-process. Throws CliUsageError on bad arguments. */
export async function runCli(argv: string[], io: CliIo): Promise<CliHandle | null> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        shards: { type: 'string' },
        guilds: { type: 'string' },
        token: { type: 'string' },
        'ack-delay': { type: 'string' },
        heartbeat: { type: 'string' },
        scenario: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.out(USAGE);
    return null;
  }
  const scenarioName = values.scenario as string | undefined;
  if (scenarioName !== undefined && !isScenarioName(scenarioName)) {
    throw new CliUsageError(
      `--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}, got '${scenarioName}'`,
    );
  }
  const ackRaw = values['ack-delay'] as string | undefined;
  const ackDelayMs = ackRaw?.includes(',')
    ? ackRaw.split(',').map((v) => num('ack-delay', v.trim(), 0) ?? 0)
    : num('ack-delay', ackRaw, 0);
  const rate = num('rate', values.rate as string | undefined, 0);
  const durationS = num('duration', values.duration as string | undefined, 0);

  const sim = await startDiscordSim({
    port: num('port', values.port as string | undefined, 0),
    host: values.host as string | undefined,
    shardCount: num('shards', values.shards as string | undefined, 1),
    guildCount: num('guilds', values.guilds as string | undefined, 0),
    token: values.token as string | undefined,
    ackDelayMs,
    heartbeatIntervalMs: num('heartbeat', values.heartbeat as string | undefined, 10),
  });

  if (values.json) {
    io.out(
      JSON.stringify({
        url: sim.url,
        apiUrl: sim.apiUrl,
        gatewayUrl: sim.gatewayUrl,
        controlUrl: sim.controlUrl,
        token: sim.token,
        applicationId: sim.applicationId,
        shardCount: sim.shardCount,
        guildCount: sim.guilds.length,
      }),
    );
  } else {
    io.out(`argus-discord-sim listening on ${sim.url}`);
    io.out(`  api      ${sim.apiUrl}   (discord.js: new Client({ rest: { api: '${sim.apiUrl}' } }))`);
    io.out(`  gateway  ${sim.gatewayUrl}`);
    io.out(`  control  ${sim.controlUrl}/state`);
    io.out(`  token    ${sim.token}`);
    io.out(`  shards ${sim.shardCount}, guilds ${sim.guilds.length}, application ${sim.applicationId}`);
  }

  let driver: TrafficDriver | null = null;
  if (scenarioName !== undefined) {
    io.out(`waiting for a bot to identify before playing scenario '${scenarioName}'`);
    sim.once('identify', () => {
      const overrides: Record<string, unknown> = { name: scenarioName };
      if (rate !== undefined) overrides.rate = rate;
      if (durationS !== undefined) overrides.durationMs = durationS * 1000;
      driver = startScenario(sim, overrides);
      io.out(`scenario '${scenarioName}' started at ${driver.scenario.rate} events/s`);
      void driver.done.then((report) => io.out(`scenario finished: ${summary(report)}`));
    });
  }

  let stopping: Promise<TrafficReport | null> | null = null;
  return {
    sim,
    driver: () => driver,
    stop: () => {
      stopping ??= (async () => {
        const report = (driver as TrafficDriver | null)?.stop() ?? null;
        await sim.close();
        return report;
      })();
      return stopping;
    },
  };
}

function summary(r: TrafficReport): string {
  const modes = Object.entries(r.sent.byMode)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${r.sent.total} events in ${(r.elapsedMs / 1000).toFixed(1)} s (${modes}); answered ${r.answered}, p95 ${r.callbackLatencyMs.p95.toFixed(0)} ms`;
}
