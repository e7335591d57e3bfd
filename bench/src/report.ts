// Turns workload results into the stdout table and the JSON file.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import type { ResultRow, WorkloadResult } from './harness';
import { canCollectGarbage } from './measure';

/** argus-dpy's published figures: the upstream this port is measured against, for reference. */
export const UPSTREAM_REFERENCE = Object.freeze({
  source: 'argus-dpy (published figures, different machine and runtime)',
  figures: Object.freeze([
    { what: 'gateway event hook', value: 3, unit: 'µs per event' },
    { what: 'interaction (full lifecycle)', value: 16, unit: 'µs per interaction' },
    { what: '/metrics render', value: 3.7, unit: 'ms per render' },
    { what: 'dashboard snapshot', value: 1.3, unit: 'ms per snapshot' },
    { what: 'memory', value: 450, unit: 'KiB' },
    { what: 'startup', value: 1, unit: 'ms' },
  ]),
});

export interface RunMeta {
  startedAt: Date;
  finishedAt: Date;
  quick: boolean;
  only: readonly string[];
}

export interface BenchReport {
  schema: 1;
  tool: '@argus/bench';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  quick: boolean;
  only: string[];
  environment: {
    node: string;
    v8: string;
    platform: string;
    arch: string;
    cpu: string;
    cpuCount: number;
    gc: boolean;
  };
  reference: typeof UPSTREAM_REFERENCE;
  workloads: Omit<WorkloadResult, 'rows'>[];
  rows: ResultRow[];
  summary: { workloads: number; failed: number; goals: number; goalsMet: number };
}

export function buildReport(results: readonly WorkloadResult[], meta: RunMeta): BenchReport {
  const rows = results.flatMap((r) => r.rows);
  const withGoal = rows.filter((r) => r.goalMet !== null);
  const cpuList = cpus();
  return {
    schema: 1,
    tool: '@argus/bench',
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    durationMs: meta.finishedAt.getTime() - meta.startedAt.getTime(),
    quick: meta.quick,
    only: [...meta.only],
    environment: {
      node: process.version,
      v8: process.versions.v8,
      platform: process.platform,
      arch: process.arch,
      cpu: cpuList[0]?.model.trim() ?? 'unknown',
      cpuCount: cpuList.length,
      gc: canCollectGarbage,
    },
    reference: UPSTREAM_REFERENCE,
    workloads: results.map(({ rows: _rows, ...rest }) => rest),
    rows,
    summary: {
      workloads: results.length,
      failed: results.filter((r) => r.error !== null).length,
      goals: withGoal.length,
      goalsMet: withGoal.filter((r) => r.goalMet).length,
    },
  };
}

export async function writeReport(report: BenchReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** Three significant digits, no exponent for the magnitudes a benchmark produces. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 0.01) return value.toFixed(3);
  return value === 0 ? '0' : value.toPrecision(2);
}

/** Enough digits that a ratio printed next to a ratio goal never looks met when it is not. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return `${ratio}x`;
  if (ratio >= 100) return `${ratio.toFixed(0)}x`;
  if (ratio >= 10) return `${ratio.toFixed(1)}x`;
  return `${ratio.toFixed(3)}x`;
}

function table(header: readonly string[], body: readonly string[][], rightAligned: ReadonlySet<number>) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

function goalCell(row: ResultRow): string {
  if (row.goal === null) return '';
  return `${row.goal}  ${row.goalMet ? 'met' : 'NOT MET'}`;
}

export function formatWorkload(result: WorkloadResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const out = [`${result.name} · ${result.title}  [${result.unit}, ${result.rounds} rounds, ${seconds} s]`];
  out.push(`  ${result.description}`);
  if (result.error !== null) {
    out.push(`  FAILED: ${result.error.split('\n').join('\n    ')}`);
    return out.join('\n');
  }
  // Rows compared to another variant than the workload's baseline get a † footnote.
  const others: string[] = [];
  const body = result.rows.map((row) => {
    let ratio = row.variant === row.baseline ? 'baseline' : formatRatio(row.ratio);
    if (row.baseline !== result.baseline && row.variant !== row.baseline) {
      let index = others.indexOf(row.baseline);
      if (index === -1) index = others.push(row.baseline) - 1;
      ratio += '†'.repeat(index + 1);
    }
    return [
      row.variant,
      formatNumber(row.median),
      `${formatNumber(row.p25)} … ${formatNumber(row.p75)}`,
      `${formatNumber(row.min)} … ${formatNumber(row.max)}`,
      `${Math.round(row.spread * 100)}%`,
      ratio,
      goalCell(row),
    ];
  });
  const header = ['variant', 'median', 'p25 … p75', 'min … max', 'IQR', 'ratio', 'goal'];
  for (const line of table(header, body, new Set([1, 2, 3, 4, 5]))) out.push(`  ${line}`);
  others.forEach((name, i) => {
    out.push(`  ${'†'.repeat(i + 1)} ratio against "${name}" instead of the baseline "${result.baseline}"`);
  });
  for (const note of result.notes) out.push(`  note: ${note}`);
  if (result.reference) out.push(`  reference: ${result.reference}`);
  return out.join('\n');
}

export function formatSummary(report: BenchReport): string {
  const s = report.summary;
  const figures = report.reference.figures.map((f) => `${f.what} ${f.value} ${f.unit}`).join('; ');
  const env = report.environment;
  return [
    `argus-dpy published: ${figures}.`,
    `Goals met: ${s.goalsMet}/${s.goals}${s.failed > 0 ? `; ${s.failed} workload(s) FAILED` : ''}.`,
    `Node ${env.node} on ${env.cpu} (${env.cpuCount} CPUs), ${(report.durationMs / 1000).toFixed(1)} s${report.quick ? ', --quick (figures are indicative only)' : ''}.`,
  ].join('\n');
}
