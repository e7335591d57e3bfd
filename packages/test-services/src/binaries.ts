import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A Debian package's binary, found on PATH or in /usr/bin. */
export interface RequiredBinary {
  name: string;
  /** The Debian package that ships it. */
  aptPackage: string;
  /** More packages it needs to be useful (fonts for a browser). */
  alsoInstall?: readonly string[];
}

export const PROMETHEUS: RequiredBinary = { name: 'prometheus', aptPackage: 'prometheus' };
export const PROMTOOL: RequiredBinary = { name: 'promtool', aptPackage: 'prometheus' };
export const PUSHGATEWAY: RequiredBinary = {
  name: 'prometheus-pushgateway',
  aptPackage: 'prometheus-pushgateway',
};
/** Debian's Compose 1.29 (Python): `docker-compose config` validates a compose file with no daemon. */
export const DOCKER_COMPOSE: RequiredBinary = { name: 'docker-compose', aptPackage: 'docker-compose' };
/**
 * Debian's ClickHouse 18.16 (`/usr/sbin/clickhouse-server`). The client package comes along for
 * poking at a test server by hand (`clickhouse-client --port <tcpPort>`).
 */
export const CLICKHOUSE_SERVER: RequiredBinary = {
  name: 'clickhouse-server',
  aptPackage: 'clickhouse-server',
  alsoInstall: ['clickhouse-client'],
};
export const CHROMIUM: RequiredBinary = {
  name: 'chromium',
  aptPackage: 'chromium',
  alsoInstall: ['fonts-liberation'],
};

function find(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function apt(args: string[]): { ok: boolean; output: string } {
  // Several test files may need the same package at once: wait for dpkg's lock instead of failing.
  const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
    encoding: 'utf8',
    timeout: 10 * 60_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`,
  };
}

/**
 * The path of a service binary. When it is missing and the tests run as root (as CI does), the
 * Debian package is installed; otherwise the error says exactly what to install. A missing
 * service is a failure, never a skip.
 */
export function requireBinary({ name, aptPackage, alsoInstall = [] }: RequiredBinary): string {
  const found = find(name);
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${name} is not installed. It comes from the Debian package "${aptPackage}": run \`npm test\` as root ` +
        `(it installs it), or \`apt-get install -y --no-install-recommends ${aptPackage}\`.`,
    );
  }
  const install = ['install', '-y', '-qq', '--no-install-recommends', aptPackage, ...alsoInstall];
  let attempt = apt(install);
  if (!attempt.ok) {
    const update = apt(['update', '-qq']);
    attempt = apt(install);
    if (!attempt.ok) {
      throw new Error(
        `apt-get could not install "${aptPackage}" (needed for ${name}).\n` +
          `update: ${update.output.slice(-1500)}\ninstall: ${attempt.output.slice(-1500)}`,
      );
    }
  }
  const path = find(name);
  if (!path) throw new Error(`apt-get installed "${aptPackage}" but ${name} is still missing`);
  return path;
}
