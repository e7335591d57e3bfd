#!/usr/bin/env node
// The README's commands land here: `npm run demo`, `npm test`, `npm run bench`.
// On a machine with only Node.js and npm it installs pnpm, the workspace packages and (as root)
// the Debian packages of the real services the tests use, then runs the task.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_NODES, testNodeBinary, testNodeDir } from './test-nodes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const TASKS = {
  demo: { steps: [['pnpm', ['run', 'demo:start']]] },
  bench: {
    steps: [
      ['pnpm', ['turbo', 'run', 'build']],
      ['pnpm', ['--filter', '@argus/bench', 'run', 'bench']],
    ],
  },
  test: {
    apt: true,
    testNodes: true,
    steps: [
      ['pnpm', ['turbo', 'run', 'build']],
      ['pnpm', ['run', 'lint']],
      ['pnpm', ['turbo', 'run', 'typecheck']],
      ['pnpm', ['turbo', 'run', 'check:package']],
      ['node', ['scripts/run-tests.mjs']],
    ],
  },
};

/** Debian packages of the real services used by the tests, keyed by the binary that proves them. */
const APT_PACKAGES = [
  { bin: '/usr/bin/promtool', pkgs: ['prometheus'] },
  { bin: '/usr/bin/prometheus-pushgateway', pkgs: ['prometheus-pushgateway'] },
  { bin: '/usr/bin/chromium', pkgs: ['chromium', 'fonts-liberation'] },
  { bin: '/usr/sbin/clickhouse-server', pkgs: ['clickhouse-server', 'clickhouse-client'] },
  { bin: '/usr/bin/docker-compose', pkgs: ['docker-compose'] },
];

const task = process.argv[2];
if (!TASKS[task]) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(TASKS).join('|')}>`);
  process.exit(2);
}

const env = { ...process.env };
const log = (message) => console.log(`\n[setup] ${message}`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) return { ok: false, error: result.error };
  return { ok: result.status === 0, status: result.status, signal: result.signal };
}

function capture(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensurePnpm() {
  if (capture('pnpm', ['--version']) === PNPM_VERSION) return;
  const local = join(root, '.tools');
  const localBin = join(local, 'node_modules', '.bin');
  env.PATH = `${localBin}:${env.PATH}`;
  if (capture('pnpm', ['--version']) === PNPM_VERSION) return;
  log(`installing pnpm ${PNPM_VERSION} into .tools/ with npm`);
  mkdirSync(local, { recursive: true });
  if (!existsSync(join(local, 'package.json')))
    writeFileSync(join(local, 'package.json'), '{"private":true}\n');
  const installed = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefix', local, `pnpm@${PNPM_VERSION}`],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (!installed.ok || capture('pnpm', ['--version']) !== PNPM_VERSION) {
    console.error(
      `[setup] could not install pnpm ${PNPM_VERSION} with npm; install it yourself (npm i -g pnpm@${PNPM_VERSION}) and retry`,
    );
    process.exit(1);
  }
}

function ensureAptPackages() {
  const missing = APT_PACKAGES.filter((p) => !existsSync(p.bin)).flatMap((p) => p.pkgs);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    log(`not root: cannot install ${missing.join(', ')}; the tests that need them will fail and say so`);
    return;
  }
  log(`installing Debian packages for the real test services: ${missing.join(', ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!run('apt-get', ['update', '-qq'], { env: aptEnv }).ok)
    log('apt-get update failed; trying the install anyway');
  const installed = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: aptEnv,
  });
  if (!installed.ok) {
    console.error(`[setup] apt-get install ${missing.join(' ')} failed`);
    process.exit(1);
  }
}

/** The extra Node.js releases the suite runs on (scripts/test-nodes.mjs), from npm's `node` package. */
function ensureTestNodes() {
  for (const node of TEST_NODES) {
    const bin = testNodeBinary(root, node);
    if (capture(bin, ['--version']) === `v${node.version}`) continue;
    const dir = testNodeDir(root, node);
    log(
      `installing Node.js ${node.version} into ${join('.tools', `node${node.major}`)} with npm (the test suite runs on it too)`,
    );
    mkdirSync(dir, { recursive: true });
    // The package's preinstall script fetches the binary for this platform: allow exactly that one.
    const manifest = { private: true, allowScripts: { [`node@${node.version}`]: true } };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest)}\n`);
    const installed = run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefix', dir, `node@${node.version}`],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (!installed.ok || capture(bin, ['--version']) !== `v${node.version}`) {
      console.error(`[setup] could not install Node.js ${node.version} from npm's node package into ${dir}`);
      process.exit(1);
    }
  }
}

ensurePnpm();
log(`pnpm ${PNPM_VERSION}: installing workspace packages`);
if (!run('pnpm', ['install', '--frozen-lockfile']).ok) {
  console.error('[setup] pnpm install failed');
  process.exit(1);
}
if (TASKS[task].apt) ensureAptPackages();
if (TASKS[task].testNodes) ensureTestNodes();
for (const [cmd, args] of TASKS[task].steps) {
  log(`${cmd} ${args.join(' ')}`);
  const result = run(cmd, args);
  if (!result.ok) {
    console.error(`[setup] step failed: ${cmd} ${args.join(' ')}`);
    process.exit(typeof result.status === 'number' && result.status !== 0 ? result.status : 1);
  }
}
