// Child of the bot-without-prometheus workload: a bot's first start with one metrics adapter,
// in plain JavaScript (no TypeScript loader to time): the imports, a Client that never logs in,
// and argus(). Prints how long the process took to get there, from its own start.
const which = process.argv[2];
if (which !== 'prometheus' && which !== 'otlp') {
  console.error('usage: bot-start.mjs <prometheus|otlp>');
  process.exit(2);
}
const { Client, GatewayIntentBits } = await import('discord.js');
const { argus } = await import('@argus/discordjs');
const adapter =
  which === 'prometheus'
    ? (await import('@argus/prometheus')).prometheus()
    : // A collector that is never reached: the first export is an hour away.
      (await import('@argus/otlp')).otlp({ url: 'http://127.0.0.1:9/v1/metrics', intervalMs: 3_600_000 });
const client = new Client({ intents: [GatewayIntentBits.Guilds] });
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const handle = argus(client, { metrics: [adapter], env: {}, host: '127.0.0.1', port: 0, logger: quiet });
const ms = performance.now();
await handle.close();
await client.destroy();
process.stdout.write(`${JSON.stringify({ ms })}\n`);
