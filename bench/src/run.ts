// `pnpm bench` entry point: runs the selected workloads, prints a table, writes results/*.json.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runWorkload, selectWorkloads, type WorkloadResult } from './harness';
import { canCollectGarbage } from './measure';
import { buildReport, formatSummary, formatWorkload, writeReport } from './report';
import { workloads } from './workloads/index';

const USAGE = `usage: pnpm run bench [options]   (in bench/, once the packages are built)

  --quick           fewer and shorter rounds (smoke run; figures are indicative only)
  --only <names>    run only these workloads (comma-separated, repeatable; a prefix matches)
  --rounds <n>      measured rounds per variant (default 7, 3 with --quick)
  --out <file>      JSON output (default results/latest.json, results/quick.json with --quick)
  --strict          exit with status 1 when a goal is not met
  --list            list the workloads and exit

Environment (also honoured by the root \`pnpm bench\`, which passes no options on):
  BENCH_QUICK=1 is --quick, BENCH_ONLY=<names> is --only, BENCH_ROUNDS=<n> is --rounds.`;

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    // pnpm forwards a literal `--` separator; it carries no meaning here.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string' },
      out: { type: 'string' },
      strict: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const w of workloads) console.log(`${w.name.padEnd(20)} ${w.title}`);
    return 0;
  }

  const quick = values.quick || ['1', 'true'].includes(process.env.BENCH_QUICK ?? '');
  const onlyArgs = values.only.length > 0 ? values.only : [process.env.BENCH_ONLY ?? ''];
  const only = onlyArgs
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const roundsArg = values.rounds ?? (process.env.BENCH_ROUNDS || undefined);
  const rounds = roundsArg === undefined ? undefined : Number(roundsArg);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) {
    console.error(`--rounds must be a positive integer, got ${roundsArg}`);
    return 2;
  }
  const selected = selectWorkloads(workloads, only);
  if (selected.length === 0) {
    console.error(`no workload matches --only ${only.join(',')}; try --list`);
    return 2;
  }
  const out = values.out ? resolve(values.out) : resolve(RESULTS_DIR, quick ? 'quick.json' : 'latest.json');
  if (!canCollectGarbage) console.error('warning: no forced GC available; run node with --expose-gc');

  const log = (message: string) => process.stderr.write(`${message}\n`);
  const startedAt = new Date();
  const results: WorkloadResult[] = [];
  for (const workload of selected) {
    log(`running ${workload.name}...`);
    const result = await runWorkload(workload, { quick, ...(rounds ? { rounds } : {}), log });
    results.push(result);
    console.log(`\n${formatWorkload(result)}`);
  }
  const report = buildReport(results, { startedAt, finishedAt: new Date(), quick, only });
  await writeReport(report, out);
  console.log(`\n${formatSummary(report)}\nJSON: ${out}`);

  if (report.summary.failed > 0) return 1;
  if (values.strict && report.summary.goalsMet < report.summary.goals) return 1;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exitCode = 2;
  },
);
