// The Health section: Argus' own state (subsystems, errors, folded labels, dropped events, logs).

import { gaugeBy, gaugeMax, gaugeSum, increase, samplesOf, splitKey } from '../series';
import type { StatsInput } from './input';

export interface CounterRow {
  key: string;
  total: number;
  window: number;
}

function counterRows(input: StatsInput, metric: string, label: string | null): CounterRow[] {
  const { window: w, match } = input;
  const last = w[w.length - 1];
  const totals = label
    ? gaugeBy(last, metric, label, match)
    : new Map([['', gaugeSum(last, metric, match) ?? 0]]);
  if (!label && samplesOf(last, metric, undefined, match).length === 0) return [];
  const inc = increase(w, metric, { match, by: label ? [label] : [] });
  const keys = new Set([...totals.keys(), ...inc.keys()]);
  return [...keys]
    .map((key) => ({ key, total: totals.get(key) ?? 0, window: inc.get(key) ?? 0 }))
    .sort((a, b) => b.window - a.window || b.total - a.total || a.key.localeCompare(b.key));
}

export interface Health {
  up: number | null;
  subsystems: { subsystem: string; up: boolean }[];
  instrumentationErrors: CounterRow[];
  folded: CounterRow[];
  /** null when the metric is absent (analytics off). */
  dropped: CounterRow[] | null;
  evicted: CounterRow | null;
  logs: { logger: string; level: string; window: number }[];
  info: Record<string, string> | null;
}

export function health(input: StatsInput): Health {
  const { window: w, names: n, match } = input;
  const last = w[w.length - 1];
  const subsystems = [...gaugeBy(last, n.subsystemUp, 'subsystem', match)]
    .map(([subsystem, v]) => ({ subsystem, up: v >= 1 }))
    .sort((a, b) => a.subsystem.localeCompare(b.subsystem));
  const dropped =
    samplesOf(last, n.eventsDropped, undefined, match).length > 0 || last?.snap.metrics[n.eventsDropped]
      ? counterRows(input, n.eventsDropped, 'reason')
      : null;
  const evicted = counterRows(input, n.timersEvicted, null)[0] ?? null;
  const logs = [...increase(w, n.logRecords, { match, by: ['logger', 'level'] })]
    .map(([k, v]) => {
      const [logger = '', level = ''] = splitKey(k);
      return { logger, level, window: v };
    })
    .filter((l) => l.level !== 'debug')
    .sort((a, b) => b.window - a.window);
  const info = samplesOf(last, n.botInfo, undefined, match)[0]?.labels ?? null;
  return {
    up: gaugeMax(last, n.up, match),
    subsystems,
    instrumentationErrors: counterRows(input, n.instrumentationErrors, 'hook'),
    folded: counterRows(input, n.labelValuesFolded, 'metric'),
    dropped,
    evicted,
    logs,
    info,
  };
}
