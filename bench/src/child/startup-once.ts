// Child process of the startup-cold workload: one timed build, printed as JSON on stdout.
import { buildArgus, buildPromClient, prepareBaseline } from '../fixtures/catalogue';

const which = process.argv[2];
if (which !== 'argus' && which !== 'prom-client') {
  console.error('usage: startup-once.ts <argus|prom-client>');
  process.exit(2);
}
// The baseline's metric list is read from a throwaway Argus registry; keep that out of the timing.
if (which === 'prom-client') prepareBaseline();
const start = performance.now();
const bot = which === 'argus' ? buildArgus({ populate: false }) : buildPromClient({ populate: false });
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ms, built: bot !== undefined })}\n`);
