import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHOICES,
  envValue,
  generate,
  type Hosting,
  INTEGRATION,
  looksLikeDiscordToken,
  randomToken,
  type SetupChoices,
  sanitizeNamespace,
  TOKEN_PLACEHOLDER,
} from './setup';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.abcdefghijklmnopqrstuvwxyz012345678';
const DASH = 'dash-Secret_123';
const METRICS = 'metrics-Secret_456';
const HOSTS: Hosting[] = ['node', 'docker', 'panel'];

const choices = (over: Partial<SetupChoices> = {}): SetupChoices => ({ ...DEFAULT_CHOICES, ...over });
const envLines = (env: string) => env.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const envMap = (env: string) =>
  Object.fromEntries(envLines(env).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const file = (r: ReturnType<typeof generate>, name: string) => r.files.find((f) => f.name === name)?.content;

describe('generate: .env', () => {
  it('defaults: a placeholder token, the default port, nothing else', () => {
    const r = generate(DEFAULT_CHOICES);
    expect(envMap(r.env)).toEqual({ DISCORD_TOKEN: TOKEN_PLACEHOLDER, ARGUS_PORT: '9191' });
    expect(r.files[0]).toEqual({ name: '.env', content: r.env });
    expect(r.env.endsWith('\n')).toBe(true);
    expect(r.errors).toEqual({});
  });

  it('writes every choice to its ARGUS_* variable', () => {
    const r = generate(
      choices({
        discordToken: TOKEN,
        port: '8080',
        namespace: 'mybot',
        clusterId: 'eu-1',
        dashboardToken: DASH,
        metricsToken: METRICS,
      }),
    );
    expect(envMap(r.env)).toEqual({
      DISCORD_TOKEN: TOKEN,
      ARGUS_PORT: '8080',
      ARGUS_NAMESPACE: 'mybot',
      ARGUS_CLUSTER_ID: 'eu-1',
      ARGUS_DASHBOARD_AUTH_TOKEN: DASH,
      ARGUS_METRICS_AUTH_TOKEN: METRICS,
    });
    expect(r.warnings).toEqual([]);
  });

  it('leaves out the namespace when it is the default, and empty optional values', () => {
    const env = envMap(
      generate(choices({ namespace: 'discord', clusterId: '  ', dashboardToken: '', metricsToken: '' })).env,
    );
    expect(Object.keys(env)).toEqual(['DISCORD_TOKEN', 'ARGUS_PORT']);
  });

  it('trims pasted values', () => {
    const env = envMap(generate(choices({ discordToken: `  ${TOKEN}\n`, dashboardToken: ` ${DASH} ` })).env);
    expect(env.DISCORD_TOKEN).toBe(TOKEN);
    expect(env.ARGUS_DASHBOARD_AUTH_TOKEN).toBe(DASH);
  });

  it('sets no port on a panel: SERVER_PORT is picked up automatically', () => {
    const r = generate(choices({ hosting: 'panel', port: '8080' }));
    expect(envMap(r.env).ARGUS_PORT).toBeUndefined();
    expect(r.env).toContain('SERVER_PORT');
    expect(r.steps.join('\n')).toContain('SERVER_PORT');
  });

  it('rejects a bad port and keeps the default', () => {
    for (const port of ['0', '65536', 'abc', '80.5', '-1']) {
      const r = generate(choices({ port }));
      expect(r.errors.port, port).toMatch(/1 to 65535/);
      expect(envMap(r.env).ARGUS_PORT).toBe('9191');
    }
    expect(generate(choices({ port: '' })).errors.port).toBeUndefined();
    expect(generate(choices({ port: '65535' })).errors.port).toBeUndefined();
  });

  it('rejects secrets with spaces inside and multi-line cluster ids', () => {
    const r = generate(
      choices({ discordToken: 'a b', dashboardToken: 'x\ny', metricsToken: 'p q', clusterId: 'a\nb' }),
    );
    expect(Object.keys(r.errors).sort()).toEqual([
      'clusterId',
      'dashboardToken',
      'discordToken',
      'metricsToken',
    ]);
    expect(envMap(r.env)).toEqual({ DISCORD_TOKEN: TOKEN_PLACEHOLDER, ARGUS_PORT: '9191' });
  });

  it('quotes values .env parsers would misread', () => {
    const env = generate(choices({ clusterId: 'eu west #1' })).env;
    expect(env).toContain("ARGUS_CLUSTER_ID='eu west #1'");
  });

  it('warns about an open dashboard, an odd token, an adjusted namespace and a shared token', () => {
    const r = generate(
      choices({
        discordToken: 'not-a-token',
        namespace: 'My Bot!',
        dashboardToken: 'same',
        metricsToken: 'same',
      }),
    );
    expect(r.warnings.join('\n')).toMatch(/does not look like a Discord bot token/);
    expect(r.warnings.join('\n')).toMatch(/"my_bot"/);
    expect(r.warnings.join('\n')).toMatch(/different tokens/);
    expect(generate(DEFAULT_CHOICES).warnings.join('\n')).toMatch(/anyone who can reach the port/);
    expect(generate(choices({ dashboardToken: DASH })).warnings).toEqual([]);
  });
});

describe('generate: secrets appear in .env only', () => {
  for (const hosting of HOSTS) {
    it(`${hosting}: the tokens are in no other file, step or snippet`, () => {
      const r = generate(
        choices({ hosting, discordToken: TOKEN, dashboardToken: DASH, metricsToken: METRICS }),
      );
      const elsewhere = [
        ...r.files.slice(1).map((f) => f.content),
        ...r.steps,
        r.integration,
        ...r.warnings,
      ].join('\n');
      for (const secret of [TOKEN, DASH, METRICS]) {
        expect(r.env).toContain(secret);
        expect(elsewhere).not.toContain(secret);
      }
      // The bot reads its token from the environment.
      expect(file(r, 'bot.js')).toContain('process.env.DISCORD_TOKEN');
    });
  }
});

describe('generate: files and steps per hosting', () => {
  it('plain Node: .env, bot.js, package.json; npm install then node bot.js', () => {
    const r = generate(choices({ hosting: 'node', port: '9300' }));
    expect(r.files.map((f) => f.name)).toEqual(['.env', 'bot.js', 'package.json']);
    const steps = r.steps.join('\n');
    expect(steps).toContain('npm install');
    expect(steps).toContain('node bot.js');
    expect(steps).toContain('http://localhost:9300/');
    expect(r.steps.length).toBeGreaterThanOrEqual(3);
  });

  it('Docker: a Dockerfile and a compose file publishing the port, .env kept out of the image', () => {
    const r = generate(choices({ hosting: 'docker', port: '9400' }));
    expect(r.files.map((f) => f.name)).toEqual([
      '.env',
      'bot.js',
      'package.json',
      'Dockerfile',
      'compose.yaml',
      '.dockerignore',
    ]);
    expect(file(r, 'compose.yaml')).toContain('"9400:9400"');
    expect(file(r, 'compose.yaml')).toContain('env_file: .env');
    expect(file(r, 'compose.yaml')).toContain('restart: unless-stopped');
    expect(file(r, 'Dockerfile')).toContain('EXPOSE 9400');
    expect(file(r, 'Dockerfile')).toContain('127.0.0.1:9400/healthz');
    expect(file(r, 'Dockerfile')).not.toMatch(/COPY \.env|COPY \. /);
    expect(file(r, '.dockerignore')?.split('\n')).toContain('.env');
    expect(r.steps.join('\n')).toContain('docker compose up -d --build');
  });

  it('panel: what to upload where, and no port to set', () => {
    const r = generate(choices({ hosting: 'panel' }));
    expect(r.files.map((f) => f.name)).toEqual(['.env', 'bot.js', 'package.json']);
    const steps = r.steps.join('\n');
    expect(steps).toMatch(/File Manager/);
    expect(steps).toMatch(/upload bot\.js, package\.json and \.env/);
    expect(steps).toMatch(/Startup/);
    expect(r.steps.length).toBeGreaterThanOrEqual(4);
  });

  it('bot.js is the one-line integration in a runnable bot', () => {
    const bot = file(generate(DEFAULT_CHOICES), 'bot.js')!;
    expect(bot).toContain("import { argus } from '@argus/discordjs';");
    expect(bot).toContain('argus(client);');
    expect(bot).toContain('process.loadEnvFile()');
    expect(bot.indexOf('loadEnvFile')).toBeLessThan(bot.indexOf('argus(client)'));
    expect(INTEGRATION).toBe("import { argus } from '@argus/discordjs';\nargus(client);");
  });

  it('package.json is valid JSON with discord.js, prom-client and Argus', () => {
    const pkg = JSON.parse(file(generate(DEFAULT_CHOICES), 'package.json')!);
    expect(pkg.type).toBe('module');
    expect(pkg.scripts.start).toBe('node bot.js');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@argus/discordjs', 'discord.js', 'prom-client']);
  });

  it('an unknown hosting falls back to plain Node', () => {
    expect(generate(choices({ hosting: 'heroku' as Hosting })).files).toHaveLength(3);
  });
});

describe('helpers', () => {
  it('sanitizeNamespace makes a valid Prometheus prefix', () => {
    expect(sanitizeNamespace('discord')).toBe('discord');
    expect(sanitizeNamespace('  My Bot! ')).toBe('my_bot');
    expect(sanitizeNamespace('a--b__c')).toBe('a_b__c');
    expect(sanitizeNamespace('___')).toBe('discord');
    expect(sanitizeNamespace('')).toBe('discord');
    expect(sanitizeNamespace('9lives')).toBe('bot_9lives');
    for (const s of ['  My Bot! ', '9lives', 'ünïcode', 'a.b-c']) {
      expect(sanitizeNamespace(s)).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    }
  });

  it('envValue quotes only when needed', () => {
    expect(envValue('abc.DEF-123_x')).toBe('abc.DEF-123_x');
    expect(envValue('has space')).toBe("'has space'");
    expect(envValue('a#b')).toBe("'a#b'");
    expect(envValue(`it's "x"`)).toBe('"it\'s \\"x\\""');
  });

  it('randomToken is URL-safe and as long as asked', () => {
    const t = randomToken(24, (a) => a.fill(255));
    expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(t).toHaveLength(32);
    expect(randomToken()).not.toBe(randomToken());
  });

  it('looksLikeDiscordToken', () => {
    expect(looksLikeDiscordToken(TOKEN)).toBe(true);
    expect(looksLikeDiscordToken('abc')).toBe(false);
  });
});

describe('the alert webhook', () => {
  it('goes into .env when it is a Discord webhook URL, and is refused with a reason when not', () => {
    const url = 'https://discord.com/api/webhooks/123456789012345678/abc-DEF_ghi';
    const ok = generate({ ...DEFAULT_CHOICES, alertWebhookUrl: url });
    expect(ok.env).toContain(`ARGUS_ALERT_WEBHOOK_URL=${url}\n`);
    expect(ok.errors.alertWebhookUrl).toBeUndefined();
    const bad = generate({ ...DEFAULT_CHOICES, alertWebhookUrl: 'https://example.com/hook' });
    expect(bad.env).not.toContain('ARGUS_ALERT_WEBHOOK_URL');
    expect(bad.errors.alertWebhookUrl).toMatch(/^the alert webhook must be a Discord webhook URL/);
    expect(generate(DEFAULT_CHOICES).env).not.toContain('ARGUS_ALERT_WEBHOOK_URL');
  });
});
