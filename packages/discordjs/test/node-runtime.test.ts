// `npm test` runs this suite on several Node.js releases (scripts/run-tests.mjs). This file proves
// which one a run is really on, and that what is built for a Node ABI loads there.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const major = Number(process.versions.node.split('.')[0]);

describe(`the Node.js runtime of this run (${process.version})`, () => {
  it('is the release the runner asked for, and one the packages support', () => {
    console.log(`vitest worker on Node ${process.version} (${process.execPath})`);
    const expected = process.env.EXPECT_NODE_MAJOR;
    if (expected !== undefined) expect(major).toBe(Number(expected));
    const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines
      .node;
    const [minMajor, minMinor] = /^>=(\d+)\.(\d+)$/.exec(engines)!.slice(1).map(Number) as [number, number];
    const minor = Number(process.versions.node.split('.')[1]);
    expect(major > minMajor || (major === minMajor && minor >= minMinor)).toBe(true);
  });

  it('is also the `node` that child processes started by the tests get', () => {
    const child = spawnSync('node', ['-p', 'process.version'], { encoding: 'utf8' });
    expect(child.stdout.trim()).toBe(process.version);
  });

  it("loads chdb's native binding, as @argus/clickhouse resolves it, and queries with it", () => {
    const require = createRequire(new URL('../../clickhouse/package.json', import.meta.url));
    const chdb = require('chdb') as { query(sql: string, format: string): string };
    expect(String(chdb.query('SELECT 20 + 4', 'CSV')).trim()).toBe('24');
  });
});
