// Smoke test of the harness machinery on trivial workloads. Never asserts timings.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goals, quantile, runWorkload, selectWorkloads, summarize, type Workload } from './harness';
import { retainedKiB } from './measure';
import { buildReport, formatSummary, formatWorkload, writeReport } from './report';

let sink = 0;

const timed: Workload = {
  name: 'trivial-timed',
  title: 'Trivial timed workload',
  description: 'Sums numbers, with and without extra work.',
  unit: 'ns/op',
  baseline: 'plain sum',
  roundMs: 20,
  setup: () => ({
    variants: [
      {
        name: 'plain sum',
        run(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += i;
          sink += s;
        },
      },
      {
        name: 'sum with sqrt',
        goal: goals.ratioAtMost(1e9, 'plain sum'),
        run(n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += Math.sqrt(i);
          sink += s;
        },
      },
      {
        name: 'async sum',
        async run(n) {
          for (let i = 0; i < n; i++) sink += i;
          await Promise.resolve();
        },
      },
    ],
  }),
};

describe('runWorkload', () => {
  it('measures timed variants and computes medians, quartiles and ratios', async () => {
    const result = await runWorkload(timed, { quick: true, rounds: 3 });
    expect(result.error).toBeNull();
    expect(result.rows.map((r) => r.variant)).toEqual(['plain sum', 'sum with sqrt', 'async sum']);
    for (const row of result.rows) {
      expect(row).toMatchObject({
        workload: 'trivial-timed',
        unit: 'ns/op',
        rounds: 3,
        baseline: 'plain sum',
      });
      expect(row.samples).toHaveLength(3);
      expect(row.median).toBeGreaterThan(0);
      expect(row.min).toBeLessThanOrEqual(row.p25);
      expect(row.p25).toBeLessThanOrEqual(row.median);
      expect(row.median).toBeLessThanOrEqual(row.p75);
      expect(row.p75).toBeLessThanOrEqual(row.max);
      expect(Number.isInteger(row.iterations)).toBe(true);
      expect(row.iterations).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.median / result.rows[0]!.median, 10);
    }
    expect(result.rows[0]!.ratio).toBe(1);
    expect(result.rows[1]).toMatchObject({ goal: '≤ 1000000000x plain sum', goalMet: true });
    expect(result.rows[2]).toMatchObject({ goal: null, goalMet: null });
    expect(sink).toBeGreaterThan(0);
  });

  it('alternates the order of variants between rounds, after the warm-up', async () => {
    const calls: string[] = [];
    const order: Workload = {
      name: 'order',
      title: 'Order',
      description: 'Records the order of samples.',
      unit: 'count',
      baseline: 'A',
      rounds: 4,
      warmupRounds: 1,
      setup: () => ({
        variants: ['A', 'B', 'C'].map((name) => ({
          name,
          sample: () => {
            calls.push(name);
            return 1;
          },
        })),
      }),
    };
    const result = await runWorkload(order);
    expect(result.error).toBeNull();
    // Warm-up round -1 runs reversed, then rounds 0..3 alternate forward / reverse.
    expect(calls.join('')).toBe('CBA' + 'ABC' + 'CBA' + 'ABC' + 'CBA');
  });

  it('computes ratios from sampled variants, with compareTo and goals', async () => {
    let tornDown = false;
    const sampled: Workload = {
      name: 'sampled',
      title: 'Sampled',
      description: 'Fixed samples in a custom unit.',
      unit: 'cpu-ratio',
      baseline: 'without',
      rounds: 5,
      setup: () => ({
        notes: ['a note'],
        variants: [
          { name: 'without', sample: () => 4 },
          { name: 'with', sample: () => 5, goal: goals.ratioAtMost(1.5, 'without') },
          { name: 'other', sample: () => 10, compareTo: 'with', goal: goals.below(10, 'cpu-ratio') },
        ],
        teardown: () => {
          tornDown = true;
        },
      }),
    };
    const result = await runWorkload(sampled, { quick: true });
    expect(tornDown).toBe(true);
    expect(result).toMatchObject({ rounds: 3, unit: 'cpu-ratio', notes: ['a note'], error: null });
    const [without, withArgus, other] = result.rows;
    expect(without).toMatchObject({ median: 4, ratio: 1, iterations: null, samples: [4, 4, 4] });
    expect(withArgus).toMatchObject({ median: 5, ratio: 1.25, goalMet: true, baseline: 'without' });
    expect(other).toMatchObject({
      median: 10,
      ratio: 2,
      baseline: 'with',
      goal: '< 10 cpu-ratio',
      goalMet: false,
    });
    expect(without!.spread).toBe(0);
  });

  it('appends the notes that conclude() derives from the rows, and checks overhead goals', async () => {
    const result = await runWorkload(
      {
        name: 'concluded',
        title: 'Concluded',
        description: 'Notes computed after the rounds.',
        unit: 'KiB',
        baseline: 'small',
        setup: () => ({
          notes: ['before'],
          variants: [
            { name: 'small', sample: () => 2 },
            { name: 'large', sample: () => 3, goal: goals.overheadBelow(1.5, 'KiB', 'small') },
            { name: 'huge', sample: () => 5, goal: goals.overheadBelow(1.5, 'KiB', 'small') },
          ],
          conclude: (rows) => rows.map((r) => `${r.variant} ${r.median}`),
        }),
      },
      { quick: true },
    );
    expect(result.error).toBeNull();
    expect(result.notes).toEqual(['before', 'small 2', 'large 3', 'huge 5']);
    expect(result.rows.map((r) => [r.goal, r.goalMet])).toEqual([
      [null, null],
      ['< +1.5 KiB over small', true],
      ['< +1.5 KiB over small', false],
    ]);
  });

  it('reports a failing workload instead of throwing, and still tears it down', async () => {
    let tornDown = false;
    const broken: Workload = {
      ...timed,
      name: 'broken',
      setup: () => ({
        variants: [
          {
            name: 'plain sum',
            run() {
              throw new Error('boom');
            },
          },
        ],
        teardown: () => {
          tornDown = true;
        },
      }),
    };
    const result = await runWorkload(broken, { quick: true });
    expect(result.rows).toEqual([]);
    expect(result.error).toContain('boom');
    expect(tornDown).toBe(true);

    const noBaseline = await runWorkload({ ...timed, baseline: 'missing' }, { quick: true });
    expect(noBaseline.error).toContain('baseline variant "missing" is missing');

    const wrongKind = await runWorkload(
      { ...timed, unit: 'KiB', setup: () => ({ variants: [{ name: 'plain sum', run() {} }] }) },
      { quick: true },
    );
    expect(wrongKind.error).toContain('needs sample()');
  });
});

describe('statistics', () => {
  it('interpolates quantiles between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(summarize([5, 1, 3])).toEqual({ median: 3, p25: 2, p75: 4, min: 1, max: 5 });
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe('selectWorkloads', () => {
  const list = ['render-catalogue', 'render-10k', 'counter-inc'].map((name) => ({ ...timed, name }));
  it('keeps everything without a filter and matches names or prefixes', () => {
    expect(selectWorkloads(list, [])).toHaveLength(3);
    expect(selectWorkloads(list, ['render']).map((w) => w.name)).toEqual(['render-catalogue', 'render-10k']);
    expect(selectWorkloads(list, ['counter-inc', 'render-10k']).map((w) => w.name)).toEqual([
      'render-10k',
      'counter-inc',
    ]);
    expect(selectWorkloads(list, ['nothing'])).toEqual([]);
  });
});

describe('report', () => {
  it('writes the JSON shape and prints a table', async () => {
    const result = await runWorkload(timed, { quick: true, rounds: 2 });
    const failed = await runWorkload({ ...timed, name: 'failed', baseline: 'missing' }, { quick: true });
    const startedAt = new Date();
    const report = buildReport([result, failed], {
      startedAt,
      finishedAt: new Date(),
      quick: true,
      only: [],
    });
    const dir = await mkdtemp(join(tmpdir(), 'argus-bench-'));
    try {
      const path = join(dir, 'nested', 'latest.json');
      await writeReport(report, path);
      const json = JSON.parse(await readFile(path, 'utf8'));
      expect(json).toMatchObject({
        schema: 1,
        tool: '@argus/bench',
        quick: true,
        environment: { node: process.version },
        summary: { workloads: 2, failed: 1, goals: 1 },
      });
      expect(json.reference.figures.length).toBeGreaterThan(0);
      expect(json.workloads.map((w: { name: string }) => w.name)).toEqual(['trivial-timed', 'failed']);
      expect(json.workloads[0].rows).toBeUndefined();
      expect(json.rows).toHaveLength(3);
      for (const row of json.rows) {
        for (const key of [
          'workload',
          'variant',
          'unit',
          'median',
          'p25',
          'p75',
          'min',
          'max',
          'ratio',
          'goal',
        ]) {
          expect(row).toHaveProperty(key);
        }
        expect(row.median).toBeGreaterThan(0);
        expect(row.ratio).toBeGreaterThan(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const table = formatWorkload(result);
    expect(table).toContain('sum with sqrt');
    expect(table).toContain('baseline');
    expect(formatWorkload(failed)).toContain('FAILED');
    expect(formatSummary(report)).toContain('argus-dpy');
  });
});

describe('retainedKiB', () => {
  it('sees memory kept by what the build returns', async () => {
    const kib = await retainedKiB(() => new Float64Array(128 * 1024));
    expect(kib).toBeGreaterThan(512);
  });
});
