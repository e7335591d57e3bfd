// The setup page's generator: from a few choices, the files and steps to run a discord.js bot
// with Argus. Runs only in the browser and sends nothing anywhere; secrets appear in `.env` only.

export type Hosting = 'node' | 'docker' | 'panel';

export const HOSTINGS: readonly { id: Hosting; label: string; hint: string }[] = [
  { id: 'node', label: 'Plain Node.js', hint: 'your computer or a VPS: npm install, node bot.js' },
  { id: 'docker', label: 'Docker Compose', hint: 'a Dockerfile and a compose file' },
  { id: 'panel', label: 'Game / bot panel', hint: 'Pterodactyl-style hosts (Pterodactyl, PebbleHost, …)' },
];

export interface SetupChoices {
  hosting: Hosting;
  /** Discord bot token; empty leaves a placeholder. */
  discordToken: string;
  /** Port of /metrics and the dashboard (ignored on panels: SERVER_PORT wins). */
  port: string;
  namespace: string;
  /** Value of the `cluster` label; empty keeps `default`. */
  clusterId: string;
  /** Dashboard password; empty leaves the dashboard open. */
  dashboardToken: string;
  /** Bearer token for /metrics; empty leaves it open. */
  metricsToken: string;
  /** A Discord webhook URL for alerts and the error digest; empty sends none. */
  alertWebhookUrl: string;
}

export const DEFAULT_CHOICES: SetupChoices = {
  hosting: 'node',
  discordToken: '',
  port: '9191',
  namespace: 'discord',
  clusterId: '',
  dashboardToken: '',
  metricsToken: '',
  alertWebhookUrl: '',
};

export interface GeneratedFile {
  name: string;
  content: string;
}

export interface SetupResult {
  /** The `.env` file (also files[0]). */
  env: string;
  /** Every file to create, `.env` first. */
  files: GeneratedFile[];
  /** What to do, in order. */
  steps: string[];
  /** The two lines to add to an existing bot. */
  integration: string;
  /** Choices that work but deserve a second look. */
  warnings: string[];
  /** Invalid choices (the output uses the default instead). */
  errors: Partial<Record<keyof SetupChoices, string>>;
}

export const TOKEN_PLACEHOLDER = 'paste-your-discord-bot-token-here';
export const DEFAULT_PORT = 9191;
const ARGUS_VERSION_RANGE = '^0.1.0';

/** A valid Prometheus name prefix from free text: lowercase, `[a-z0-9_]`, no leading digit. */
export function sanitizeNamespace(input: string): string {
  let s = input
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s === '') return 'discord';
  if (/^[0-9]/.test(s)) s = `bot_${s}`;
  return s;
}

/** A value as `.env` needs it: bare when safe, else quoted (Node's --env-file/loadEnvFile and Compose read both). */
export function envValue(value: string): string {
  if (/^[A-Za-z0-9_./:@+,=-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A random token for the dashboard or metrics (URL-safe base64 of `bytes` random bytes). */
export function randomToken(
  bytes = 24,
  fill: (a: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (a) => crypto.getRandomValues(a),
): string {
  const buf = fill(new Uint8Array(bytes));
  let bin = '';
  for (const b of buf) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A Discord channel webhook URL, as Argus' alertWebhookUrl takes it. */
export function looksLikeWebhookUrl(url: string): boolean {
  return /^https:\/\/(?:canary\.|ptb\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/\d{1,20}\/[\w-]{1,200}$/.test(
    url,
  );
}

/** Discord tokens are three dot-separated base64url parts. */
export function looksLikeDiscordToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/.test(token);
}

function secret(name: keyof SetupChoices, raw: string, errors: SetupResult['errors'], label: string): string {
  const v = raw.trim();
  if (/\s/.test(v)) {
    errors[name] = `${label} cannot contain spaces or line breaks`;
    return '';
  }
  return v;
}

function parsePort(raw: string, errors: SetupResult['errors']): number {
  const s = raw.trim();
  if (s === '') return DEFAULT_PORT;
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 65535) {
    errors.port = 'the port must be a whole number from 1 to 65535';
    return DEFAULT_PORT;
  }
  return Number(s);
}

export function generate(input: SetupChoices): SetupResult {
  const errors: SetupResult['errors'] = {};
  const warnings: string[] = [];
  const hosting: Hosting = HOSTINGS.some((h) => h.id === input.hosting) ? input.hosting : 'node';
  const token = secret('discordToken', input.discordToken, errors, 'the bot token');
  const dashboardToken = secret('dashboardToken', input.dashboardToken, errors, 'the dashboard token');
  const metricsToken = secret('metricsToken', input.metricsToken, errors, 'the metrics token');
  let alertWebhookUrl = secret('alertWebhookUrl', input.alertWebhookUrl ?? '', errors, 'the webhook URL');
  if (alertWebhookUrl !== '' && !looksLikeWebhookUrl(alertWebhookUrl)) {
    errors.alertWebhookUrl =
      'the alert webhook must be a Discord webhook URL: https://discord.com/api/webhooks/<id>/<token> (channel settings > Integrations > Webhooks)';
    alertWebhookUrl = '';
  }
  const port = hosting === 'panel' ? DEFAULT_PORT : parsePort(input.port, errors);
  const namespace = sanitizeNamespace(input.namespace);
  let clusterId = input.clusterId.trim();
  if (/[\r\n]/.test(clusterId)) {
    errors.clusterId = 'the cluster id must be one line';
    clusterId = '';
  }

  if (token !== '' && !looksLikeDiscordToken(token)) {
    warnings.push(
      'That does not look like a Discord bot token (three parts separated by dots); check you copied all of it.',
    );
  }
  if (input.namespace.trim() !== '' && namespace !== input.namespace.trim()) {
    warnings.push(`The metric prefix was adjusted to "${namespace}" (letters, digits and _ only).`);
  }
  if (dashboardToken === '') {
    warnings.push(
      'Without a dashboard token anyone who can reach the port can open the dashboard; set one unless the port is private.',
    );
  }
  if (dashboardToken !== '' && dashboardToken === metricsToken) {
    warnings.push('Use different tokens for the dashboard and for Prometheus, so each can be changed alone.');
  }

  const env = envFile({
    hosting,
    token,
    port,
    namespace,
    clusterId,
    dashboardToken,
    metricsToken,
    alertWebhookUrl,
  });
  const files: GeneratedFile[] = [
    { name: '.env', content: env },
    { name: 'bot.js', content: botFile() },
    { name: 'package.json', content: packageFile() },
  ];
  if (hosting === 'docker') {
    files.push(
      { name: 'Dockerfile', content: dockerfile(port) },
      { name: 'compose.yaml', content: composeFile(port) },
      { name: '.dockerignore', content: '.env\nnode_modules\nnpm-debug.log\n' },
    );
  }
  return {
    env,
    files,
    steps: steps(hosting, port, dashboardToken !== '', metricsToken !== ''),
    integration: INTEGRATION,
    warnings,
    errors,
  };
}

export const INTEGRATION = "import { argus } from '@argus/discordjs';\nargus(client);";

interface EnvInput {
  alertWebhookUrl: string;
  hosting: Hosting;
  token: string;
  port: number;
  namespace: string;
  clusterId: string;
  dashboardToken: string;
  metricsToken: string;
}

function envFile(c: EnvInput): string {
  const lines = [
    '# Argus for discord.js, written by the Argus setup page.',
    '# Keep this file private: it holds your bot token. Never commit it or share it.',
    '',
    '# The bot token (Discord Developer Portal > your application > Bot > Reset Token).',
    `DISCORD_TOKEN=${envValue(c.token || TOKEN_PLACEHOLDER)}`,
    '',
  ];
  if (c.hosting === 'panel') {
    lines.push('# The port: the panel gives the server one (SERVER_PORT); Argus uses it automatically.');
  } else {
    lines.push('# Port of /metrics and the dashboard.', `ARGUS_PORT=${c.port}`);
  }
  if (c.namespace !== 'discord') {
    lines.push(
      '# Prefix of the bot metrics (argus_* metrics never get one).',
      `ARGUS_NAMESPACE=${c.namespace}`,
    );
  }
  if (c.clusterId !== '') {
    lines.push(
      '# The cluster label: tells this bot process apart from others.',
      `ARGUS_CLUSTER_ID=${envValue(c.clusterId)}`,
    );
  }
  if (c.dashboardToken !== '') {
    lines.push(
      '# Dashboard password: the dashboard asks for it once per browser.',
      `ARGUS_DASHBOARD_AUTH_TOKEN=${envValue(c.dashboardToken)}`,
    );
  }
  if (c.metricsToken !== '') {
    lines.push(
      '# Prometheus must send this as a bearer token to read /metrics.',
      `ARGUS_METRICS_AUTH_TOKEN=${envValue(c.metricsToken)}`,
    );
  }
  if (c.alertWebhookUrl !== '') {
    lines.push(
      '# Alerts and a digest of command errors go to this Discord channel webhook (it holds a token: keep it private).',
      `ARGUS_ALERT_WEBHOOK_URL=${envValue(c.alertWebhookUrl)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function botFile(): string {
  return `import { argus } from '@argus/discordjs';
import { Client, Events, GatewayIntentBits } from 'discord.js';

// Loads .env from this folder when it is there (Node.js 20.12 or newer). With Docker Compose
// the same settings arrive as environment variables instead.
try {
  process.loadEnvFile();
} catch {}

const client = new Client({ intents: [GatewayIntentBits.Guilds] });
argus(client); // metrics and the live dashboard on ARGUS_PORT (or the panel's SERVER_PORT)

client.once(Events.ClientReady, (ready) => {
  console.log(\`Logged in as \${ready.user.tag}\`);
});

client.on(Events.InteractionCreate, async (interaction) => {
  if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
    await interaction.reply('Pong!');
  }
});

await client.login(process.env.DISCORD_TOKEN);
`;
}

function packageFile(): string {
  const pkg = {
    name: 'my-discord-bot',
    private: true,
    type: 'module',
    main: 'bot.js',
    scripts: { start: 'node bot.js' },
    engines: { node: '>=20.19' },
    dependencies: {
      '@argus/discordjs': ARGUS_VERSION_RANGE,
      'discord.js': '^14.19.0',
      'prom-client': '^15.1.0',
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function dockerfile(port: number): string {
  return `FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package*.json ./
RUN npm install --omit=dev
COPY bot.js ./
USER node
EXPOSE ${port}
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \\
  CMD node -e "fetch('http://127.0.0.1:${port}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "bot.js"]
`;
}

function composeFile(port: number): string {
  return `services:
  bot:
    build: .
    env_file: .env
    restart: unless-stopped
    ports:
      - "${port}:${port}"
`;
}

function steps(hosting: Hosting, port: number, dashboardAuth: boolean, metricsAuth: boolean): string[] {
  const dash = dashboardAuth
    ? 'it asks for the dashboard token from .env once'
    : 'anyone who can reach the port can see it';
  const prom = metricsAuth
    ? 'Prometheus must send the metrics token from .env (authorization: credentials_file in its scrape config)'
    : 'point Prometheus at it';
  switch (hosting) {
    case 'node':
      return [
        'Make a folder for the bot and save .env, bot.js and package.json in it (keep .env out of git).',
        'Install Node.js 20.19 or newer, then run: npm install',
        'Start the bot: node bot.js (or npm start).',
        `Open http://localhost:${port}/ for the live dashboard (${dash}).`,
        `Metrics for Prometheus are at http://<this machine>:${port}/metrics; ${prom}.`,
      ];
    case 'docker':
      return [
        'Make a folder and save .env, bot.js, package.json, Dockerfile, compose.yaml and .dockerignore in it.',
        'Build and start: docker compose up -d --build',
        'Follow the logs until it logs in: docker compose logs -f bot',
        `Open http://<docker host>:${port}/ for the live dashboard (${dash}).`,
        `Metrics for Prometheus are at http://<docker host>:${port}/metrics; ${prom}.`,
      ];
    case 'panel':
      return [
        'Create a Node.js server on the panel (the Node.js egg, version 20 or newer).',
        'In the File Manager, upload bot.js, package.json and .env to the server root (/home/container).',
        'In the Startup tab, set the main file to bot.js; the panel runs npm install from package.json on start.',
        'Start the server. The panel gives it a port (SERVER_PORT) and Argus uses it automatically: no port to set.',
        `Open http://<server address>:<the allocated port>/ for the live dashboard (${dash}); the address and port are under Network.`,
        `Metrics for Prometheus are at the same address under /metrics; ${prom}.`,
      ];
  }
}
