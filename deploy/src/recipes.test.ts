// The hosting recipes, checked without a Docker daemon or a cluster: Prometheus configs through
// promtool, the compose file through Debian's docker-compose 1.29 (`config`), the Dockerfile
// through dockerfile-utils' linter, Kubernetes objects against the Kubernetes and
// prometheus-operator schemas (kubernetes-models), and the Pterodactyl egg against its fields.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argusRules } from '@argus/alerts';
import { DOCKER_COMPOSE, promtool, requireBinary } from '@argus/test-services';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import yaml from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { afterAll, describe, expect, it } from 'vitest';

/** Every recording and alerting rule the definitions ship, as promtool counts them. */
const RULE_COUNT = ((r) => [...r.recording, ...r.alerting].reduce((n, g) => n + g.rules.length, 0))(
  argusRules(),
);

const deployDir = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(deployDir, path), 'utf8');
const temp = mkdtempSync(join(tmpdir(), 'argus-recipes-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('deploy/prometheus', () => {
  it.each(['prometheus.yml', 'prometheus.sharded.yml', 'prometheus.pushgateway.yml'])(
    '%s passes promtool check config',
    async (file) => {
      // A copy with the token file the config names (never committed).
      const dir = join(temp, file);
      cpSync(join(deployDir, 'prometheus'), dir, { recursive: true });
      mkdirSync(join(dir, 'secrets'), { recursive: true });
      writeFileSync(join(dir, 'secrets/argus-metrics-token'), 'token');
      const result = await promtool(['check', 'config', join(dir, file)]);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`SUCCESS: ${RULE_COUNT} rules found`);
    },
  );

  it('scrapes the Pushgateway with honor_labels and enables exemplars for the bot', () => {
    const push = yaml.load(read('prometheus/prometheus.pushgateway.yml')) as {
      scrape_configs: { honor_labels?: boolean }[];
    };
    expect(push.scrape_configs[0]?.honor_labels).toBe(true);
    for (const file of ['prometheus.yml', 'prometheus.sharded.yml']) {
      const config = yaml.load(read(`prometheus/${file}`)) as {
        storage: { exemplars: { max_exemplars: number } };
        scrape_configs: { job_name: string; authorization: { credentials_file: string } }[];
      };
      expect(config.storage.exemplars.max_exemplars).toBeGreaterThan(0);
      expect(config.scrape_configs[0]?.job_name).toBe('argus');
      expect(config.scrape_configs[0]?.authorization.credentials_file).toBe('secrets/argus-metrics-token');
    }
  });
});

describe('deploy/docker', () => {
  const compose = (env: Record<string, string>, ...profiles: string[]) =>
    spawnSync(
      requireBinary(DOCKER_COMPOSE),
      ['-f', 'compose.yaml', ...profiles.flatMap((p) => ['--profile', p]), 'config'],
      {
        cwd: join(deployDir, 'docker'),
        encoding: 'utf8',
        // Only what the test gives: a developer's own DISCORD_TOKEN never leaks in.
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      },
    );
  const required = { DISCORD_TOKEN: 'x', GRAFANA_ADMIN_PASSWORD: 'y', CLICKHOUSE_PASSWORD: 'z' };

  it('compose file is valid with every profile, and wires the rules, boards and tokens', () => {
    const result = compose(required, 'analytics', 'tracing');
    expect(result.status, result.stderr).toBe(0);
    const config = yaml.load(result.stdout) as {
      services: Record<
        string,
        { volumes?: ({ source: string; target: string } | string)[]; environment?: Record<string, string> }
      >;
    };
    expect(Object.keys(config.services).sort()).toEqual([
      'bot',
      'clickhouse',
      'grafana',
      'jaeger',
      'otel-collector',
      'prometheus',
    ]);
    // Compose 1.29 prints `source:target:mode`; newer ones an object.
    const mounts = (service: string) =>
      (config.services[service]?.volumes ?? []).map((v) =>
        typeof v === 'string' ? v.split(':').slice(0, 2).join(':') : `${v.source}:${v.target}`,
      );
    expect(mounts('prometheus')).toContain(`${join(deployDir, 'prometheus/rules')}:/etc/prometheus/rules`);
    expect(mounts('grafana')).toContain(
      `${join(deployDir, 'grafana/dashboards')}:/var/lib/grafana/dashboards/argus`,
    );
    expect(mounts('grafana')).toContain(
      `${join(deployDir, 'grafana/provisioning')}:/etc/grafana/provisioning`,
    );
    // Tokens reach the bot as files, never as plain variables in the compose file.
    expect(config.services.bot?.environment).toMatchObject({
      ARGUS_METRICS_AUTH_TOKEN_FILE: '/run/secrets/argus-metrics-token',
      ARGUS_DASHBOARD_AUTH_TOKEN_FILE: '/run/secrets/argus-dashboard-token',
    });
    // The board provider reads the folder compose mounts the boards into.
    const provider = yaml.load(read('grafana/provisioning/dashboards/argus.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards/argus');
  });

  it('puts ClickHouse, the collector and the trace store behind profiles', () => {
    const result = compose(required);
    expect(result.status, result.stderr).toBe(0);
    const config = yaml.load(result.stdout) as { services: Record<string, { profiles?: string[] }> };
    const profiles = Object.fromEntries(
      Object.entries(config.services).map(([name, s]) => [name, s.profiles ?? []]),
    );
    expect(profiles).toEqual({
      bot: [],
      prometheus: [],
      grafana: [],
      clickhouse: ['analytics'],
      'otel-collector': ['tracing'],
      jaeger: ['tracing'],
    });
  });

  it('compose refuses to start Grafana without an admin password of yours', () => {
    const result = compose({ DISCORD_TOKEN: 'x' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set GRAFANA_ADMIN_PASSWORD in .env');
  });

  it('Dockerfile lints clean: multi-stage, non-root, HEALTHCHECK on /healthz', () => {
    const text = read('docker/Dockerfile');
    expect(lintDockerfile(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    const dockerfile = DockerfileParser.parse(text);
    const froms = dockerfile.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const instructions = dockerfile.getInstructions();
    const last = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword).at(-1);
    expect(last('USER')?.getArgumentsContent()).toBe('10001:10001');
    expect(last('EXPOSE')?.getArgumentsContent()).toBe('9191');
    expect(last('HEALTHCHECK')?.getArgumentsContent()).toContain('/healthz');
    // The runtime stage takes the built, pruned app from the build stage.
    expect(text).toMatch(/^COPY --from=build\b/m);
    expect(froms.at(-1)?.getBuildStage()).toBe('runtime');
  });
});

describe('deploy/kubernetes', () => {
  const kustomization = yaml.load(read('kubernetes/kustomization.yaml')) as { resources: string[] };
  const objects = kustomization.resources.map(
    (file) => yaml.load(read(`kubernetes/${file}`)) as { apiVersion: string; kind: string },
  );
  const byKind = <T>(kind: string) => objects.find((o) => o.kind === kind) as T;

  it('lists every manifest of the folder in the kustomization', () => {
    const files = readdirSync(join(deployDir, 'kubernetes')).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
    );
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('validates every object against the Kubernetes and prometheus-operator schemas', () => {
    const models: Record<string, new (o: never) => { validate(): void }> = {
      'apps/v1/Deployment': Deployment,
      'v1/Service': Service,
      'v1/Secret': Secret,
      'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
      'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
    };
    for (const object of objects) {
      const Model = models[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object as never).validate()).not.toThrow();
    }
  });

  it('catches a broken manifest (the schema check is real)', () => {
    const broken = structuredClone(byKind<unknown>('Deployment')) as {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    };
    broken.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'metrics';
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort must be integer/);
  });

  it('probes /healthz and /readyz, and the ServiceMonitor finds the Service as job "argus"', () => {
    const deployment = byKind<{
      spec: {
        template: {
          spec: {
            containers: {
              livenessProbe: { httpGet: { path: string } };
              readinessProbe: { httpGet: { path: string } };
            }[];
          };
        };
      };
    }>('Deployment');
    const [bot] = deployment.spec.template.spec.containers;
    expect(bot?.livenessProbe.httpGet.path).toBe('/healthz');
    expect(bot?.readinessProbe.httpGet.path).toBe('/readyz');
    const service = byKind<{ metadata: { name: string; labels: Record<string, string> } }>('Service');
    const monitor = byKind<{ spec: { selector: { matchLabels: Record<string, string> } } }>('ServiceMonitor');
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    // The prometheus-operator names the job after the Service; the rules expect job="argus".
    expect(service.metadata.name).toBe('argus');
  });
});

describe('deploy/pterodactyl', () => {
  interface EggVariable {
    name: string;
    description: string;
    env_variable: string;
    default_value: string;
    user_viewable: boolean;
    user_editable: boolean;
    rules: string;
    field_type: string;
  }
  const egg = JSON.parse(read('pterodactyl/egg-discord-js-argus.json')) as {
    meta: { version: string };
    name: string;
    author: string;
    description: string;
    docker_images: Record<string, string>;
    startup: string;
    config: Record<'files' | 'startup' | 'logs' | 'stop', string>;
    scripts: { installation: { script: string; container: string; entrypoint: string } };
    variables: EggVariable[];
  };

  it('has the fields the panel imports', () => {
    expect(egg.meta.version).toBe('PTDL_v2');
    expect(egg.name.length).toBeGreaterThan(0);
    expect(egg.author).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(Object.values(egg.docker_images).length).toBeGreaterThan(0);
    for (const image of Object.values(egg.docker_images)) expect(image).toMatch(/nodejs_(20|22)$/);
    // The panel parses these four as JSON (stop is a plain signal string).
    expect(JSON.parse(egg.config.startup)).toEqual({ done: '[argus] info: metrics on' });
    expect(JSON.parse(egg.config.files)).toEqual({});
    expect(JSON.parse(egg.config.logs)).toEqual({});
    expect(egg.config.stop).toBe('^C');
    expect(egg.scripts.installation).toMatchObject({ entrypoint: 'bash' });
    expect(egg.scripts.installation.script).toMatch(/^#!\/bin\/bash/);
  });

  it('declares every variable the startup uses, with its fields, and no port of its own', () => {
    const names = egg.variables.map((v) => v.env_variable);
    expect(new Set(names).size).toBe(names.length);
    for (const v of egg.variables) {
      expect(v.env_variable).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(v.rules).toMatch(/^(required|nullable)\|/);
      expect(v.field_type).toBe('text');
      expect(typeof v.user_viewable).toBe('boolean');
      expect(v.description.length).toBeGreaterThan(10);
    }
    for (const [, used] of egg.startup.matchAll(/\{\{(\w+)\}\}/g)) expect(names).toContain(used);
    expect(names).toEqual(
      expect.arrayContaining(['DISCORD_TOKEN', 'ARGUS_METRICS_AUTH_TOKEN', 'ARGUS_DASHBOARD_AUTH_TOKEN']),
    );
    // Argus takes the port from the panel's allocation (SERVER_PORT); a variable would fight it.
    expect(names).not.toContain('ARGUS_PORT');
    expect(egg.startup).not.toMatch(/9191|ARGUS_PORT/);
    // Token variables ship empty: no placeholder secret to forget.
    for (const v of egg.variables.filter((v) => v.env_variable.endsWith('TOKEN')))
      expect(v.default_value).toBe('');
  });
});
