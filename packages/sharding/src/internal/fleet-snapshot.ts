// The fleet as the live dashboard sees it: every up child's Prometheus text read into core's
// MetricsSnapshot shape, children concatenated under one family each (never summed), so the
// dashboard's cluster selector narrows any section to one child by its `cluster` label.

import type { MetricsSnapshot, SnapshotFamily, SnapshotHistogramSeries, SnapshotSeries } from '@argus/core';

/** One sample line: its name, labels in the order written, and value. */
interface ReadSample {
  name: string;
  labels: [string, string][];
  value: number;
}

/** One family of a text exposition, as read. */
export interface ReadFamily {
  name: string;
  type: string;
  help: string;
  samples: ReadSample[];
}

const TYPES = new Set(['counter', 'gauge', 'histogram', 'info', 'untyped']);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

const UNESCAPE: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

/** `name{a="x",b="y"} 1 [timestamp]`, or undefined for a line that is not one. */
function parseSample(line: string): ReadSample | undefined {
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ') i++;
  const name = line.slice(0, i);
  if (name === '') return undefined;
  const labels: [string, string][] = [];
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const eq = line.indexOf('=', i);
      if (eq === -1 || line[eq + 1] !== '"') return undefined;
      const key = line.slice(i, eq).trim();
      let value = '';
      let j = eq + 2;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) {
          j++;
          value += UNESCAPE[line[j]!] ?? `\\${line[j]}`;
        } else value += line[j];
      }
      if (j >= line.length) return undefined;
      labels.push([key, value]);
      i = j + 1;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest[0] === undefined || rest[0] === '') return undefined;
  const value = parseValue(rest[0]);
  if (Number.isNaN(value)) return undefined;
  return { name, labels, value };
}

function belongsTo(sample: string, family: ReadFamily): boolean {
  if (sample === family.name) return true;
  return family.type === 'histogram' && HISTOGRAM_SUFFIXES.some((s) => sample === family.name + s);
}

/**
 * Reads Prometheus text into families. A child's text is untrusted: a line that does not parse is
 * skipped, never thrown on.
 */
export function readExposition(text: string): ReadFamily[] {
  const families: ReadFamily[] = [];
  const byName = new Map<string, ReadFamily>();
  let current: ReadFamily | undefined;
  const family = (name: string) => {
    let f = byName.get(name);
    if (!f) {
      f = { name, type: 'untyped', help: '', samples: [] };
      byName.set(name, f);
      families.push(f);
    }
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const rest = line.slice(7);
      const cut = rest.indexOf(' ');
      const name = cut === -1 ? rest : rest.slice(0, cut);
      const detail = cut === -1 ? '' : rest.slice(cut + 1);
      current = family(name);
      if (line[2] === 'H') current.help = detail.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else current.type = detail.trim();
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line);
    if (!sample) continue;
    if (!current || !belongsTo(sample.name, current)) current = family(sample.name);
    current.samples.push(sample);
  }
  return families;
}

/** Label names of `samples` in the order they first appear, leaving `le` out. */
function labelNamesOf(samples: readonly ReadSample[]): string[] {
  const names = new Set<string>();
  for (const s of samples) for (const [k] of s.labels) if (k !== 'le') names.add(k);
  return [...names];
}

function valuesOf(labels: readonly [string, string][], names: readonly string[]): string[] {
  return names.map((n) => labels.find(([k]) => k === n)?.[1] ?? '');
}

const leOrder = (a: string, b: string) => parseValue(a) - parseValue(b) || (a < b ? -1 : a > b ? 1 : 0);

function histogram(name: string, help: string, samples: readonly ReadSample[]): SnapshotFamily {
  const labelNames = labelNamesOf(samples);
  const le = new Set<string>();
  const groups = new Map<
    string,
    { values: string[]; buckets: Map<string, number>; sum: number; count: number }
  >();
  for (const s of samples) {
    const values = valuesOf(s.labels, labelNames);
    const key = JSON.stringify(values);
    let g = groups.get(key);
    if (!g) {
      g = { values, buckets: new Map(), sum: 0, count: 0 };
      groups.set(key, g);
    }
    if (s.name === `${name}_sum`) g.sum = s.value;
    else if (s.name === `${name}_count`) g.count = s.value;
    else if (s.name === `${name}_bucket`) {
      const bound = s.labels.find(([k]) => k === 'le')?.[1];
      if (bound === undefined || Number.isNaN(parseValue(bound))) continue;
      le.add(bound);
      g.buckets.set(bound, s.value);
    }
  }
  le.add('+Inf');
  const bounds = [...le].sort(leOrder);
  const series: SnapshotHistogramSeries[] = [];
  for (const g of groups.values()) {
    if (!Number.isFinite(g.sum) || !Number.isFinite(g.count)) continue;
    // A bound one child lacks reads as the bucket below it (buckets are cumulative).
    let previous = 0;
    const buckets = bounds.map((b) => {
      const v = b === '+Inf' ? g.count : g.buckets.get(b);
      if (v !== undefined && Number.isFinite(v)) previous = v;
      return previous;
    });
    series.push([g.values, buckets, g.sum, g.count]);
  }
  return { type: 'histogram', help, labelNames, le: bounds, series };
}

/**
 * One snapshot of many expositions: a family named by several children keeps one entry, with
 * every child's series (label names united; a label a child lacks reads as ''). Summaries and
 * non-finite values are left out, as core's snapshot does.
 */
export function mergeSnapshot(
  time: number,
  expositions: readonly (readonly ReadFamily[])[],
): MetricsSnapshot {
  const gathered = new Map<string, { type: string; help: string; samples: ReadSample[] }>();
  for (const families of expositions) {
    for (const f of families) {
      if (!TYPES.has(f.type)) continue;
      const entry = gathered.get(f.name);
      if (!entry) gathered.set(f.name, { type: f.type, help: f.help, samples: [...f.samples] });
      else if (entry.type === f.type) for (const s of f.samples) entry.samples.push(s);
    }
  }
  const metrics: Record<string, SnapshotFamily> = {};
  for (const [name, f] of gathered) {
    if (f.type === 'histogram') {
      metrics[name] = histogram(name, f.help, f.samples);
      continue;
    }
    const labelNames = labelNamesOf(f.samples);
    const series: SnapshotSeries[] = [];
    for (const s of f.samples)
      if (Number.isFinite(s.value)) series.push([valuesOf(s.labels, labelNames), s.value]);
    metrics[name] = { type: f.type as 'counter', help: f.help, labelNames, series };
  }
  return { time, metrics };
}
