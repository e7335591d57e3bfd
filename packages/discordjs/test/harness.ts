// A real discord.js Client on @argus/discord-sim with Argus attached, and readers for the exposition.
import { type DiscordSim, type DiscordSimOptions, startDiscordSim } from '@argus/discord-sim';
import { sleep } from '@argus/test-services';
import { loginReady, makeClient } from '@argus/test-services/sim-client';
import { type Client, Events, type Interaction, type Message } from 'discord.js';
import { type Argus, type ArgusInit, argus } from '../src/index';

// @argus/otlp's tests import `until` from here.
export { until } from '@argus/test-services';

export class PlannedFailure extends Error {
  override readonly name = 'PlannedFailure';
}

/**
 * A small bot: slash commands whose behaviour the test picks by name, a button, a prefix
 * command. Handlers are wrapped with `argus.wrapCommand`, as a bot author would.
 */
export function installBot(client: Client, metrics: Argus): void {
  const slash = metrics.wrapCommand(async (interaction: Interaction) => {
    if (!interaction.isChatInputCommand()) return;
    switch (interaction.commandName) {
      case 'fail':
        throw new PlannedFailure('on purpose');
      case 'delayed':
        await sleep(400);
        break;
      case 'slow':
        await sleep(3_300);
        break;
      case 'ignore':
        return;
      case 'defer':
        await interaction.deferReply();
        await sleep(50);
        await interaction.editReply('done');
        return;
    }
    await interaction.reply('pong');
  });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) slash(interaction).catch(() => {});
    else if (interaction.isButton()) interaction.reply('clicked').catch(() => {});
  });
  const prefix = metrics.wrapCommand(
    async (message: Message) => {
      await message.reply('pong');
    },
    { name: 'ping' },
  );
  client.on(Events.MessageCreate, (message) => {
    if (message.content.startsWith('!ping')) prefix(message).catch(() => {});
  });
}

export interface Running {
  sim: DiscordSim;
  client: Client;
  argus: Argus;
  url: string;
  scrape(): Promise<Exposition>;
  stop(): Promise<void>;
}

export async function startBot(
  simOptions: DiscordSimOptions = {},
  argusOptions: ArgusInit = {},
): Promise<Running> {
  const sim = await startDiscordSim({ heartbeatIntervalMs: 300, ...simOptions });
  // Take the shard count the simulator announces, as a sharded production bot would.
  const client = makeClient(sim, { shards: 'auto' });
  const metrics = argus(client, { host: '127.0.0.1', port: 0, env: {}, ...argusOptions });
  installBot(client, metrics);
  await loginReady(client, sim.token);
  const server = await metrics.server;
  if (!server) throw new Error('the Argus server did not start');
  const url = server.url;
  return {
    sim,
    client,
    argus: metrics,
    url,
    async scrape() {
      const res = await fetch(`${url}/metrics`);
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      return new Exposition(await res.text());
    },
    async stop() {
      await metrics.close();
      await client.destroy();
      await sim.close();
    },
  };
}

/** Reads samples out of the Prometheus text format. */
export class Exposition {
  private readonly samples = new Map<string, number>();

  constructor(readonly text: string) {
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      this.samples.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  }

  /** The value of one sample; labels need not be complete, but must match exactly one series. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const matches = this.series(name, labels);
    if (matches.length > 1)
      throw new Error(`${name} ${JSON.stringify(labels)} matches ${matches.length} series`);
    return matches[0]?.[1];
  }

  /** The sum over every series of `name` whose labels include `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.series(name, labels).reduce((a, [, v]) => a + v, 0);
  }

  series(name: string, labels: Record<string, string> = {}): [string, number][] {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const out: [string, number][] = [];
    for (const [key, value] of this.samples) {
      const brace = key.indexOf('{');
      const metric = brace === -1 ? key : key.slice(0, brace);
      if (metric !== name) continue;
      const inner = brace === -1 ? '' : key.slice(brace + 1, -1);
      const parts = splitLabels(inner);
      if (wanted.every((w) => parts.includes(w))) out.push([key, value]);
    }
    return out;
  }
}

function splitLabels(inner: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && quoted) {
      current += ch + inner[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current) parts.push(current);
  return parts;
}
