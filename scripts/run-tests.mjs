#!/usr/bin/env node
// Runs the whole vitest suite and ends with one plain "N passed, N failed" line, so CI and a
// reader see the totals whatever the reporter printed above.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const report = join(mkdtempSync(join(tmpdir(), 'argus-vitest-')), 'report.json');
const result = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
let summary;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  summary = { passed: json.numPassedTests, failed: json.numFailedTests, total: json.numTotalTests };
} catch {
  summary = undefined;
}
if (summary) {
  if (summary.total === 0) {
    console.error('no test ran');
    process.exit(1);
  }
  console.log(`\nvitest: ${summary.passed} passed, ${summary.failed} failed`);
}
process.exit(result.status ?? 1);
