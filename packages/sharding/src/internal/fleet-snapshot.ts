// The fleet as the live dashboard sees it: every up child's Prometheus text read into core's
// MetricsSnapshot shape, children concatenated under one family each (never summed), so the
// dashboard's cluster selector narrows any section to one child by its `cluster` label.
//
// Each child's text is read into its own families once per report; a frame then only joins the
// children's series, which share label names and bucket bounds in the usual case.

import type { MetricsSnapshot, SnapshotFamily, SnapshotHistogramSeries, SnapshotSeries } from '@argus/core';
import { scanExpositionLines } from './exposition-lines';

/** One child's families, by name. */
export type ChildFamilies = Map<string, SnapshotFamily>;

/** One sample line: its name, label names and values in the order written, and its value. */
interface Sample {
  name: string;
  keys: string[];
  values: string[];
  value: number;
}

interface RawFamily {
  type: string;
  help: string;
  samples: Sample[];
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'info', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return text === '' ? Number.NaN : Number(text);
}

const UNESCAPE: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

/** A quoted label value from `start` (just past the opening quote): its text and where it ends. */
function quoted(line: string, start: number): [string, number] | undefined {
  const close = line.indexOf('"', start);
  if (close === -1) return undefined;
  const slash = line.indexOf('\\', start);
  if (slash === -1 || slash > close) return [line.slice(start, close), close + 1];
  // Escapes: the slow path, character by character.
  let value = '';
  for (let j = start; j < line.length; j++) {
    const ch = line[j]!;
    if (ch === '"') return [value, j + 1];
    if (ch === '\\' && j + 1 < line.length) {
      j++;
      value += UNESCAPE[line[j]!] ?? `\\${line[j]}`;
    } else value += ch;
  }
  return undefined;
}

/** `name{a="x",b="y"} 1 [timestamp]`, or undefined for a line that is not one. */
function parseSample(line: string): Sample | undefined {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  const keys: string[] = [];
  const values: string[] = [];
  let name: string;
  let i: number;
  if (brace === -1 || (space !== -1 && space < brace)) {
    if (space === -1) return undefined;
    name = line.slice(0, space);
    i = space;
  } else {
    name = line.slice(0, brace);
    i = brace + 1;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const eq = line.indexOf('="', i);
      if (eq === -1) return undefined;
      const value = quoted(line, eq + 2);
      if (!value) return undefined;
      keys.push(line.slice(i, eq).trim());
      values.push(value[0]);
      i = value[1];
    }
  }
  if (name === '') return undefined;
  while (line[i] === ' ') i++;
  const end = line.indexOf(' ', i);
  const value = parseValue(end === -1 ? line.slice(i) : line.slice(i, end));
  if (Number.isNaN(value)) return undefined;
  return { name, keys, values, value };
}

/** Label names of `samples` in the order they first appear, leaving `le` out. */
function labelNamesOf(samples: readonly Sample[]): string[] {
  const first = samples[0]?.keys ?? [];
  const names = new Set<string>();
  for (const s of samples) {
    if (s.keys === first || s.keys.length === 0) continue;
    for (const k of s.keys) names.add(k);
  }
  const ordered = new Set<string>(first);
  for (const n of names) ordered.add(n);
  ordered.delete('le');
  return [...ordered];
}

/** The sample's values in `names` order ('' for a label it lacks). */
function valuesIn(s: Sample, names: readonly string[]): string[] {
  if (s.keys.length === names.length && s.keys.every((k, i) => k === names[i])) return s.values;
  return names.map((n) => {
    const at = s.keys.indexOf(n);
    return at === -1 ? '' : s.values[at]!;
  });
}

const leOrder = (a: string, b: string) => parseValue(a) - parseValue(b) || (a < b ? -1 : a > b ? 1 : 0);

function histogram(name: string, help: string, samples: readonly Sample[]): SnapshotFamily {
  const labelNames = labelNamesOf(samples);
  const le = new Set<string>();
  const groups = new Map<
    string,
    { values: string[]; buckets: Map<string, number>; sum: number; count: number }
  >();
  for (const s of samples) {
    const leAt = s.keys.indexOf('le');
    const values = valuesIn(leAt === -1 ? s : withoutLabel(s, leAt), labelNames);
    const key = values.join('\u0000');
    let g = groups.get(key);
    if (!g) {
      g = { values, buckets: new Map(), sum: Number.NaN, count: Number.NaN };
      groups.set(key, g);
    }
    if (s.name === `${name}_sum`) g.sum = s.value;
    else if (s.name === `${name}_count`) g.count = s.value;
    else if (s.name === `${name}_bucket` && leAt !== -1) {
      const bound = s.values[leAt]!;
      if (Number.isNaN(parseValue(bound))) continue;
      le.add(bound);
      g.buckets.set(bound, s.value);
    }
  }
  le.add('+Inf');
  const bounds = [...le].sort(leOrder);
  const series: SnapshotHistogramSeries[] = [];
  for (const g of groups.values()) {
    if (!Number.isFinite(g.sum) || !Number.isFinite(g.count)) continue;
    series.push([g.values, bucketsIn(g.buckets, g.count, bounds), g.sum, g.count]);
  }
  return { type: 'histogram', help, labelNames, le: bounds, series };
}

function withoutLabel(s: Sample, at: number): Sample {
  return {
    ...s,
    keys: s.keys.filter((_, i) => i !== at),
    values: s.values.filter((_, i) => i !== at),
  };
}

/** Cumulative counts aligned with `bounds`; a bound a series lacks reads as the one below it. */
function bucketsIn(buckets: ReadonlyMap<string, number>, count: number, bounds: readonly string[]): number[] {
  let previous = 0;
  return bounds.map((b) => {
    const v = b === '+Inf' ? count : buckets.get(b);
    if (v !== undefined && Number.isFinite(v)) previous = v;
    return previous;
  });
}

/**
 * One exposition's families in the snapshot shape. A child's text is untrusted: a line that does
 * not parse is skipped, never thrown on. Summaries and non-finite values are left out, as core's
 * snapshot does.
 */
export function readExposition(text: string): ChildFamilies {
  const raw = new Map<string, RawFamily>();
  let current: { name: string; family: RawFamily } | undefined;
  const family = (name: string) => {
    let f = raw.get(name);
    if (!f) {
      f = { type: 'untyped', help: '', samples: [] };
      raw.set(name, f);
    }
    current = { name, family: f };
    return f;
  };
  scanExpositionLines(text, {
    header: (_line, kind, name, detail) => {
      const f = current?.name === name ? current.family : family(name);
      if (kind === 'HELP') f.help = detail.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else f.type = detail.trim();
    },
    sample: (line) => {
      const sample = parseSample(line);
      if (!sample) return;
      const c = current;
      const own =
        c !== undefined &&
        (sample.name === c.name ||
          ((c.family.type === 'histogram' || c.family.type === 'summary') &&
            (sample.name === `${c.name}_sum` || sample.name === `${c.name}_count`)) ||
          (c.family.type === 'histogram' && sample.name === `${c.name}_bucket`));
      (own ? c.family : family(sample.name)).samples.push(sample);
    },
  });
  const out: ChildFamilies = new Map();
  for (const [name, f] of raw) {
    // `__` names are reserved in Prometheus, and `__proto__` must never become a key of `metrics`.
    if (!TYPES.has(f.type) || !METRIC_NAME.test(name) || name.startsWith('__')) continue;
    if (f.type === 'histogram') {
      out.set(name, histogram(name, f.help, f.samples));
      continue;
    }
    const labelNames = labelNamesOf(f.samples);
    const series: SnapshotSeries[] = [];
    for (const s of f.samples) if (Number.isFinite(s.value)) series.push([valuesIn(s, labelNames), s.value]);
    out.set(name, { type: f.type as 'counter', help: f.help, labelNames, series });
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** `series` re-read from `from` label names into `to` ('' for a label it lacks). */
function relabel(values: readonly string[], from: readonly string[], to: readonly string[]): string[] {
  return to.map((n) => {
    const at = from.indexOf(n);
    return at === -1 ? '' : values[at]!;
  });
}

/** One name's families from several children: series after one another, label names and bounds united. */
function joinAll(families: readonly SnapshotFamily[]): SnapshotFamily {
  const first = families[0]!;
  if (families.length === 1) return first;
  const labelNames = families.every((f) => sameList(f.labelNames, first.labelNames))
    ? first.labelNames
    : [...new Set(families.flatMap((f) => f.labelNames))];
  if (first.type === 'histogram') {
    const histograms = families as readonly (SnapshotFamily & { type: 'histogram' })[];
    const le = histograms.every((f) => sameList(f.le, first.le))
      ? first.le
      : [...new Set(histograms.flatMap((f) => f.le))].sort(leOrder);
    const series: SnapshotHistogramSeries[] = [];
    for (const f of histograms) {
      if (sameList(f.labelNames, labelNames) && sameList(f.le, le)) {
        for (const s of f.series) series.push(s);
        continue;
      }
      for (const [values, buckets, sum, count] of f.series)
        series.push([
          relabel(values, f.labelNames, labelNames),
          bucketsIn(new Map(f.le.map((b, i) => [b, buckets[i]!])), count, le),
          sum,
          count,
        ]);
    }
    return { ...first, labelNames, le, series };
  }
  const series: SnapshotSeries[] = [];
  for (const f of families as readonly (SnapshotFamily & { type: 'counter' })[]) {
    if (sameList(f.labelNames, labelNames)) for (const s of f.series) series.push(s);
    else
      for (const [values, value] of f.series) series.push([relabel(values, f.labelNames, labelNames), value]);
  }
  return { ...first, labelNames, series } as SnapshotFamily;
}

/**
 * One snapshot of many expositions: a family named by several children keeps one entry, with
 * every child's series after one another (never summed). A child whose family has another type
 * than the first child's is left out of that family.
 */
export function mergeSnapshot(time: number, parts: readonly ChildFamilies[]): MetricsSnapshot {
  const byName = new Map<string, SnapshotFamily[]>();
  for (const part of parts) {
    for (const [name, family] of part) {
      const list = byName.get(name);
      if (!list) byName.set(name, [family]);
      else if (list[0]!.type === family.type) list.push(family);
    }
  }
  const metrics: Record<string, SnapshotFamily> = {};
  for (const [name, families] of byName) metrics[name] = joinAll(families);
  return { time, metrics };
}
