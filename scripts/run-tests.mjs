#!/usr/bin/env node
// Runs the vitest suite on the Node.js that runs this script, then on each release in
// TEST_NODES (installed into .tools/ by bootstrap.mjs), and ends with one plain
// "vitest: N passed, N failed" line that sums every run, so CI and a reader see the totals
// whatever the reporter printed above. A failure in any run fails the whole.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_NODES, testNodeBinary } from './test-nodes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const RUNTIME_TEST = 'packages/discordjs/test/node-runtime.test.ts';
const filters = process.argv.slice(2);

const DRIVES_A_BROWSER = /\b(launchChromium|playwright-core)\b/;

/**
 * The files a `no-browser` or `unit` run takes: what vitest itself would run (its config and the
 * filters), less the files that drive Chromium; a `unit` run keeps only the tests beside the
 * code (`src/`), which start no service, and the runtime check. Vitest's own `--exclude` does
 * not reach its projects.
 */
function selectFiles(node, env, scope) {
  const list = join(mkdtempSync(join(tmpdir(), 'argus-vitest-')), 'files.json');
  const listed = spawnSync(node, [vitest, 'list', '--filesOnly', `--json=${list}`, ...filters], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (listed.status !== 0) return undefined;
  const files = [...new Set(JSON.parse(readFileSync(list, 'utf8')).map((entry) => entry.file))];
  return files
    .filter((file) => scope !== 'unit' || file.includes('/src/') || file.endsWith(RUNTIME_TEST))
    .filter((file) => !DRIVES_A_BROWSER.test(readFileSync(file, 'utf8')))
    .sort();
}

const hostMajor = Number(process.versions.node.split('.')[0]);
// A release the host already is gets no second run: the host's run is the whole suite.
const runs = [
  { label: `Node ${process.version}`, node: process.execPath, scope: 'all', major: hostMajor },
  ...TEST_NODES.filter((n) => n.major !== hostMajor).map((n) => ({
    label: `Node v${n.version}`,
    node: testNodeBinary(root, n),
    scope: n.scope,
    major: n.major,
  })),
];

const totals = { passed: 0, failed: 0 };
let failedRuns = 0;
const lines = [];
const failures = [];
for (const run of runs) {
  const what = {
    all: 'every test',
    'no-browser': 'every test but the browser ones',
    unit: 'the unit tests (src/) and the runtime check',
  }[run.scope];
  console.log(`\n[test] vitest on ${run.label}: ${what}`);
  const outcome = runVitest(run);
  totals.passed += outcome.passed;
  totals.failed += outcome.failed;
  if (!outcome.ok) failedRuns++;
  for (const f of outcome.failures ?? []) failures.push(`${run.label}: ${f}`);
  lines.push(
    `vitest on ${run.label} (${what}): ${outcome.passed} passed, ${outcome.failed} failed${outcome.problem ? ` (${outcome.problem})` : ''}`,
  );
}
// The failed tests come again at the very end, where a log cut to its last lines still shows them.
if (failures.length > 0) console.log(`\nfailed tests:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`\n${lines.join('\n')}`);
console.log(`vitest: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedRuns === 0 ? 0 : 1);

function runVitest(run) {
  if (!existsSync(run.node)) {
    return { ok: false, passed: 0, failed: 0, problem: `${run.node} is missing: run npm test to install it` };
  }
  const report = join(mkdtempSync(join(tmpdir(), 'argus-vitest-')), 'report.json');
  const env = { ...process.env };
  // Child processes the tests start (`node`, and pnpm through its shebang) use the same release.
  env.PATH = `${dirname(run.node)}${delimiter}${env.PATH ?? ''}`;
  // The runtime test checks it really runs on this major.
  env.EXPECT_NODE_MAJOR = String(run.major);
  let selection = filters;
  if (run.scope !== 'all') {
    const files = selectFiles(run.node, env, run.scope);
    if (files === undefined)
      return { ok: false, passed: 0, failed: 0, problem: 'vitest could not list the tests' };
    if (files.length === 0 && filters.length > 0)
      return { ok: true, passed: 0, failed: 0, problem: 'no file to run' };
    selection = files;
  }
  const result = spawnSync(
    run.node,
    [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...selection],
    { cwd: root, stdio: 'inherit', env },
  );
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return {
      ok: false,
      passed: 0,
      failed: 0,
      problem: `vitest wrote no report (exit ${result.status ?? result.signal})`,
    };
  }
  const passed = json.numPassedTests;
  const failed = json.numFailedTests;
  const failures = listFailures(json);
  if (json.numTotalTests === 0) return { ok: false, passed, failed, failures, problem: 'no test ran' };
  // A whole run must have proved which Node it ran on.
  if (filters.length === 0) {
    const runtime = json.testResults.find((r) => r.name.endsWith(RUNTIME_TEST));
    if (runtime?.status !== 'passed')
      return { ok: false, passed, failed, failures, problem: `${RUNTIME_TEST} did not pass in this run` };
  }
  return { ok: result.status === 0 && failed === 0, passed, failed, failures };
}

/** One line per failed test (file, name, the first line of its error), and per file that failed outside a test. */
function listFailures(json) {
  const out = [];
  for (const file of json.testResults ?? []) {
    const name = file.name.startsWith(root) ? file.name.slice(root.length + 1) : file.name;
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) {
      const first = String(a.failureMessages?.[0] ?? '')
        .split('\n')[0]
        .slice(0, 300);
      out.push(`${name} > ${a.fullName}${first ? `: ${first}` : ''}`);
    }
    if (failed.length === 0 && file.status === 'failed') {
      out.push(
        `${name}: ${String(file.message ?? 'failed outside a test')
          .split('\n')[0]
          .slice(0, 300)}`,
      );
    }
  }
  return out;
}
