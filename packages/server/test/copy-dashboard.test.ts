// The build step that ships the SPA inside this package: scripts/copy-dashboard.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SPA_INDEX, spaFixture } from './helpers';

const SCRIPT = fileURLToPath(new URL('../scripts/copy-dashboard.mjs', import.meta.url));

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-copy-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(source: string, target: string, env: Record<string, string> = {}) {
  const { ARGUS_REQUIRE_DASHBOARD: _, ...rest } = process.env;
  const result = spawnSync(process.execPath, [SCRIPT, source, target], {
    env: { ...rest, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('copy-dashboard', () => {
  it('copies a built SPA and says so, turning links into files', () => {
    const spa = spaFixture();
    cleanups.push(spa.cleanup);
    rmSync(join(spa.dir, 'up')); // a link to a directory above: not part of a real build
    const out = tempDir();
    const target = join(out, 'dashboard');
    const { code, out: stdout } = run(spa.dir, target);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^copy-dashboard: copied .* to .*dashboard\n$/);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe(SPA_INDEX);
    expect(existsSync(join(target, 'assets', 'index-Ab12Cd.js'))).toBe(true);
    const copiedLink = join(target, 'assets', 'link-out.js');
    expect(lstatSync(copiedLink).isFile()).toBe(true);
  });

  it('replaces an older copy', () => {
    const spa = spaFixture();
    cleanups.push(spa.cleanup);
    rmSync(join(spa.dir, 'up'));
    const target = join(tempDir(), 'dashboard');
    mkdirSync(target);
    writeFileSync(join(target, 'stale-Old.js'), '');
    expect(run(spa.dir, target).code).toBe(0);
    expect(existsSync(join(target, 'stale-Old.js'))).toBe(false);
  });

  it('builds without the SPA when it is missing, and removes an old copy', () => {
    const target = join(tempDir(), 'dashboard');
    mkdirSync(target);
    writeFileSync(join(target, 'index.html'), 'old');
    const { code, out } = run(join(tempDir(), 'nope'), target);
    expect(code).toBe(0);
    expect(out).toContain('no dashboard build');
    expect(out).toContain('ships without the SPA');
    expect(existsSync(target)).toBe(false);
  });

  it('treats a dist without index.html as missing', () => {
    const source = tempDir();
    mkdirSync(join(source, 'assets'));
    const { code, out } = run(source, join(tempDir(), 'dashboard'));
    expect(code).toBe(0);
    expect(out).toContain('has no index.html');
  });

  it('fails clearly when ARGUS_REQUIRE_DASHBOARD=1 and the SPA is missing', () => {
    const { code, err } = run(join(tempDir(), 'nope'), join(tempDir(), 'dashboard'), {
      ARGUS_REQUIRE_DASHBOARD: '1',
    });
    expect(code).toBe(1);
    expect(err).toContain('ARGUS_REQUIRE_DASHBOARD=1');
    expect(err).toContain('pnpm --filter @argus/dashboard build');
  });
});
