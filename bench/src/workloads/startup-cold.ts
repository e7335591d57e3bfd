// Workload 5b: the first start of a bot: a fresh Node.js process per sample, code not yet compiled.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Workload } from '../harness';

const run = promisify(execFile);
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('../child/startup-once.ts', import.meta.url));

async function coldStart(which: 'argus' | 'prom-client'): Promise<number> {
  // tsx resolves from the bench package, whatever the parent was started with.
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, which], {
    cwd: BENCH_DIR,
    timeout: 60_000,
  });
  const { ms } = JSON.parse(stdout) as { ms: number };
  return ms;
}

export const startupCold: Workload = {
  name: 'startup-cold',
  title: 'Define the catalogue and attach the adapter (first start)',
  description:
    'The same build as startup, timed once in a fresh process after the imports (so it includes compiling the ' +
    'code on first use) vs the prom-client equivalent in its own fresh process.',
  unit: 'ms',
  baseline: 'prom-client equivalent, fresh process',
  reference: 'argus-dpy: ~1 ms startup',
  rounds: 7,
  warmupRounds: 1,
  setup() {
    return {
      variants: [
        { name: 'prom-client equivalent, fresh process', sample: () => coldStart('prom-client') },
        { name: 'argus define + attach, fresh process', sample: () => coldStart('argus') },
      ],
    };
  },
};
