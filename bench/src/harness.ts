// The measuring stick. A workload is a set of variants of one operation (a baseline without the
// thing measured, and the same operation with it) that run in the same process, round after round,
// in alternating order, so machine noise and JIT drift hit every variant alike. Results are medians
// and quartiles over rounds, and ratios against the baseline of the same run.
//
// This module must not import the packages under test: the smoke test runs it on its own.

import { collectGarbage } from './measure';

/** Units the harness measures itself (a `TimedVariant`); anything else comes from `sample()`. */
export type TimeUnit = 'ns/op' | 'µs/op' | 'ms/op';
/** A time unit, or a custom one reported by sampled variants: `'KiB'`, `'ms'`, `'cpu-ratio'`... */
export type Unit = TimeUnit | (string & {});

const NS_PER_UNIT: Record<TimeUnit, number> = { 'ns/op': 1, 'µs/op': 1e3, 'ms/op': 1e6 };

export function isTimeUnit(unit: Unit): unit is TimeUnit {
  return Object.hasOwn(NS_PER_UNIT, unit);
}

/** What a goal is checked against: one variant's result. */
export interface GoalInput {
  readonly median: number;
  readonly ratio: number;
}

export interface Goal {
  /** Shown in the table and the JSON, e.g. `≤ 1.5x prom-client inc()`. */
  readonly text: string;
  readonly met: (result: GoalInput) => boolean;
}

export const goals = {
  /** The variant's median is at most `max` times the median it is compared to. */
  ratioAtMost(max: number, against: string): Goal {
    return { text: `≤ ${max}x ${against}`, met: (r) => r.ratio <= max };
  },
  /** The variant's median is strictly below `limit` (in the workload's unit). */
  below(limit: number, unit: string): Goal {
    return { text: `< ${limit} ${unit}`, met: (r) => r.median < limit };
  },
  /**
   * What the variant adds over the median it is compared to (median − that median, in the
   * workload's unit) is strictly below `limit`: the cost of a hook over a no-op listener.
   */
  overheadBelow(limit: number, unit: string, against: string): Goal {
    return {
      text: `< +${limit} ${unit} over ${against}`,
      met: (r) => r.median - r.median / r.ratio < limit,
    };
  },
};

export interface RunContext {
  /** `--quick`: workloads may shrink their sizes; the harness already shrinks rounds and round time. */
  readonly quick: boolean;
  log(message: string): void;
}

interface VariantBase {
  /** Unique within the workload; the row label. */
  readonly name: string;
  /** Ratio denominator for this variant; defaults to the workload's `baseline`. */
  readonly compareTo?: string;
  readonly goal?: Goal;
}

/**
 * The harness times the call and divides by `iterations`. Write the loop inside `run` (one loop per
 * variant keeps each call site monomorphic, as it is in real code) and make the operation observable
 * (mutate state, keep results) so the JIT cannot drop it.
 */
export interface TimedVariant extends VariantBase {
  run(iterations: number): void | Promise<void>;
}

/**
 * The variant measures one round itself and returns a sample in the workload's unit: retained
 * memory, a CPU-time ratio from `process.cpuUsage()` deltas, a latency percentile under load...
 */
export interface SampledVariant extends VariantBase {
  sample(): number | Promise<number>;
}

export type Variant = TimedVariant | SampledVariant;

/** What `Workload.setup` returns: the variants, and what to release when the workload is done. */
export interface Prepared {
  readonly variants: readonly Variant[];
  /** Facts worth printing with the results (sizes of what is measured, equivalence checks). */
  readonly notes?: readonly string[];
  /**
   * Notes computed from the measured rows, appended after `notes`: derived figures the table has
   * no column for (a difference over the baseline, an event rate observed while sampling...).
   */
  conclude?(rows: readonly ResultRow[]): readonly string[] | Promise<readonly string[]>;
  teardown?(): void | Promise<void>;
}

/**
 * One file per workload under `src/workloads/`, listed in `src/workloads/index.ts`.
 * `setup` may be async (start a simulator, open a server, spawn viewers); `teardown` stops it.
 */
export interface Workload {
  /** CLI name for `--only`, kebab-case. */
  readonly name: string;
  readonly title: string;
  /** What is measured and against what, one or two sentences. */
  readonly description: string;
  /** Time units require timed variants; any other unit requires sampled variants. */
  readonly unit: Unit;
  /** Name of the variant other variants are compared to by default. */
  readonly baseline: string;
  /** The upstream's published figure for the same thing, for reference. */
  readonly reference?: string;
  /** Measured rounds per variant (default 7; `--quick` caps it at 3). */
  readonly rounds?: number;
  /** Unrecorded rounds per variant after calibration (default 2; 1 with `--quick`). */
  readonly warmupRounds?: number;
  /** Wall time one timed variant should take per round, in ms (default 100; a tenth with `--quick`). */
  readonly roundMs?: number;
  setup(ctx: RunContext): Prepared | Promise<Prepared>;
}

export interface HarnessOptions {
  quick?: boolean;
  /** Overrides every workload's round count. */
  rounds?: number;
  log?: (message: string) => void;
}

export interface Stats {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export interface ResultRow extends Stats {
  workload: string;
  variant: string;
  unit: string;
  /** Interquartile range relative to the median: 0.05 means the middle half of rounds lies within 5%. */
  spread: number;
  rounds: number;
  /** Operations per round (timed variants), else null. */
  iterations: number | null;
  /** Variant this row's ratio is computed against (itself for the baseline). */
  baseline: string;
  /** median / baseline median. */
  ratio: number;
  goal: string | null;
  /** null when the row has no goal. */
  goalMet: boolean | null;
  samples: number[];
}

export interface WorkloadResult {
  name: string;
  title: string;
  description: string;
  unit: string;
  baseline: string;
  reference: string | null;
  rounds: number;
  durationMs: number;
  rows: ResultRow[];
  notes: string[];
  /** Set when setup, a variant or teardown threw; rows are then empty. */
  error: string | null;
}

/** Linear interpolation between closest ranks (the same as numpy's default). */
/** The median of unsorted values. */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

function isTimed(variant: Variant): variant is TimedVariant {
  return typeof (variant as TimedVariant).run === 'function';
}

async function timeRun(variant: TimedVariant, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  const pending = variant.run(iterations);
  if (pending) await pending;
  return Number(process.hrtime.bigint() - start);
}

/** Finds how many iterations fill `roundMs`; the growing runs double as the first warm-up. */
async function calibrate(variant: TimedVariant, roundMs: number): Promise<number> {
  const targetNs = roundMs * 1e6;
  let iterations = 1;
  for (;;) {
    const elapsed = await timeRun(variant, iterations);
    if (elapsed >= targetNs / 4 || iterations >= 2 ** 40) {
      return Math.max(1, Math.round((iterations * targetNs) / Math.max(elapsed, 1)));
    }
    // Grow fast while runs are tiny, but never more than 10x on a noisy measurement.
    iterations *=
      elapsed < targetNs / 1000 ? 10 : Math.min(10, Math.max(2, Math.ceil(targetNs / 4 / elapsed)));
  }
}

async function measureOnce(
  variant: Variant,
  iterations: number,
  nsPerUnit: number | undefined,
): Promise<number> {
  if (isTimed(variant)) return (await timeRun(variant, iterations)) / iterations / nsPerUnit!;
  return variant.sample();
}

function validate(workload: Workload, variants: readonly Variant[]): void {
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw new Error(`variant "${v.name}" is listed twice`);
    names.add(v.name);
  }
  if (!names.has(workload.baseline)) throw new Error(`baseline variant "${workload.baseline}" is missing`);
  for (const v of variants) {
    if (v.compareTo !== undefined && !names.has(v.compareTo)) {
      throw new Error(`variant "${v.name}" compares to "${v.compareTo}", which is missing`);
    }
    if (isTimed(v) !== isTimeUnit(workload.unit)) {
      throw new Error(
        `variant "${v.name}": unit ${workload.unit} needs ${isTimeUnit(workload.unit) ? 'run(iterations)' : 'sample()'}`,
      );
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Runs one workload: setup, calibration, warm-up, then `rounds` measured rounds. Every round runs
 * each variant once, in forward order on even rounds and reverse order on odd ones (ABBA...), with
 * a full garbage collection before each measurement.
 */
export async function runWorkload(workload: Workload, options: HarnessOptions = {}): Promise<WorkloadResult> {
  const quick = options.quick ?? false;
  const log = options.log ?? (() => {});
  const rounds = Math.max(
    1,
    options.rounds ?? (quick ? Math.min(3, workload.rounds ?? 7) : (workload.rounds ?? 7)),
  );
  const warmupRounds = quick ? Math.min(1, workload.warmupRounds ?? 2) : (workload.warmupRounds ?? 2);
  const roundMs = (workload.roundMs ?? 100) / (quick ? 10 : 1);
  const nsPerUnit = isTimeUnit(workload.unit) ? NS_PER_UNIT[workload.unit] : undefined;
  const started = performance.now();
  const result: WorkloadResult = {
    name: workload.name,
    title: workload.title,
    description: workload.description,
    unit: workload.unit,
    baseline: workload.baseline,
    reference: workload.reference ?? null,
    rounds,
    durationMs: 0,
    rows: [],
    notes: [],
    error: null,
  };

  let prepared: Prepared | undefined;
  try {
    prepared = await workload.setup({ quick, log });
    const variants = prepared.variants;
    result.notes = [...(prepared.notes ?? [])];
    validate(workload, variants);

    const iterations = new Map<Variant, number>();
    for (const variant of variants) {
      iterations.set(variant, isTimed(variant) ? await calibrate(variant, roundMs) : 1);
    }
    const samples = new Map<Variant, number[]>(variants.map((v) => [v, []]));
    for (let round = -warmupRounds; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        collectGarbage();
        const value = await measureOnce(variant, iterations.get(variant)!, nsPerUnit);
        if (!Number.isFinite(value)) throw new Error(`variant "${variant.name}" returned ${value}`);
        if (round >= 0) samples.get(variant)!.push(value);
      }
      if (round >= 0) log(`  ${workload.name}: round ${round + 1}/${rounds}`);
    }

    const stats = new Map(variants.map((v) => [v.name, summarize(samples.get(v)!)]));
    for (const variant of variants) {
      const own = stats.get(variant.name)!;
      const against =
        variant.name === workload.baseline ? variant.name : (variant.compareTo ?? workload.baseline);
      const ratio = own.median / stats.get(against)!.median;
      result.rows.push({
        workload: workload.name,
        variant: variant.name,
        unit: workload.unit,
        ...own,
        spread: own.median === 0 ? 0 : (own.p75 - own.p25) / own.median,
        rounds,
        iterations: isTimed(variant) ? iterations.get(variant)! : null,
        baseline: against,
        ratio,
        goal: variant.goal?.text ?? null,
        goalMet: variant.goal ? variant.goal.met({ median: own.median, ratio }) : null,
        samples: samples.get(variant)!,
      });
    }
    if (prepared.conclude) result.notes.push(...(await prepared.conclude(result.rows)));
  } catch (error) {
    result.rows = [];
    result.error = describeError(error);
  } finally {
    try {
      await prepared?.teardown?.();
    } catch (error) {
      result.error ??= `teardown: ${describeError(error)}`;
    }
  }
  result.durationMs = performance.now() - started;
  return result;
}

/** `--only` filter: a workload is selected when its name equals or starts with one of the patterns. */
export function selectWorkloads(all: readonly Workload[], only: readonly string[]): Workload[] {
  if (only.length === 0) return [...all];
  return all.filter((w) => only.some((pattern) => w.name === pattern || w.name.startsWith(pattern)));
}
