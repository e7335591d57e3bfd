// The Interactions section: one row per command over the window, a command's charts, and
// interactions by type.

import { INTERACTION_TYPES } from '@argus/core/wire';
import type { Frame } from '../buffer';
import type { MetricNames } from '../names';
import { histogramQuantile } from '../quantile';
import {
  bucketIncreases,
  gaugeBy,
  increase,
  increaseTotal,
  type Match,
  rate,
  rateSeries,
  samplesOf,
  slidingQuantiles,
  spanSeconds,
} from '../series';
import { nanToNull, SMOOTH_MS, type StatsInput } from './input';

/** The `type` label of slash and context-menu commands (Discord's interaction type 2). */
export const APPLICATION_COMMAND = INTERACTION_TYPES[2] as string;

/** Command outcomes over frames: app (slash) and prefix commands together. */
function commandCounts(frames: readonly Frame[], n: MetricNames, match: Match) {
  const total =
    increaseTotal(frames, n.appCommands, { match }) + increaseTotal(frames, n.commands, { match });
  const errors =
    increaseTotal(frames, n.appCommands, { match: { ...match, status: 'error' } }) +
    increaseTotal(frames, n.commands, { match: { ...match, status: 'error' } });
  return { total, errors };
}

/** Command error ratio over the frames; null when no command ran. */
export function commandErrorRatio(frames: readonly Frame[], n: MetricNames, match: Match): number | null {
  const { total, errors } = commandCounts(frames, n, match);
  return total > 0 ? errors / total : null;
}

export interface CommandRow {
  command: string;
  kind: 'slash' | 'prefix';
  /** Invocations over the window (handler outcomes when wrapped, else answered interactions). */
  calls: number;
  rate: number | null;
  errors: number;
  errorRatio: number | null;
  /** Handler duration quantiles (wrapped commands only). */
  p50: number | null;
  p95: number | null;
  /** Receipt to initial response, p95 (slash commands). */
  responseP95: number | null;
  /** Interactions not answered within 3 s over the window. */
  unanswered: number;
}

export function commandRows(input: StatsInput): CommandRow[] {
  const { window: w, names: n, match } = input;
  const last = w[w.length - 1];
  const span = spanSeconds(w);
  const slashMatch = { ...match, type: APPLICATION_COMMAND };
  const rows: CommandRow[] = [];

  const kinds = [
    { kind: 'slash' as const, calls: n.appCommands, duration: n.appCommandDuration },
    { kind: 'prefix' as const, calls: n.commands, duration: n.commandDuration },
  ];
  for (const k of kinds) {
    const names = new Set<string>();
    for (const s of samplesOf(last, k.calls, undefined, match)) names.add(s.labels.command ?? '');
    for (const s of samplesOf(last, k.duration, `${k.duration}_count`, match))
      names.add(s.labels.command ?? '');
    if (k.kind === 'slash') {
      for (const s of samplesOf(last, n.interactionResponse, `${n.interactionResponse}_count`, slashMatch)) {
        names.add(s.labels.command ?? '');
      }
      for (const s of samplesOf(last, n.interactionsUnanswered, undefined, slashMatch)) {
        names.add(s.labels.command ?? '');
      }
    }
    names.delete('');
    if (names.size === 0) continue;
    const calls = increase(w, k.calls, { match, by: ['command'] });
    const errors = increase(w, k.calls, { match: { ...match, status: 'error' }, by: ['command'] });
    const wrapped = new Set(samplesOf(last, k.calls, undefined, match).map((s) => s.labels.command ?? ''));
    const durations = bucketIncreases(w, k.duration, { match, by: ['command'] });
    const responses =
      k.kind === 'slash'
        ? bucketIncreases(w, n.interactionResponse, { match: slashMatch, by: ['command'] })
        : null;
    const answered =
      k.kind === 'slash'
        ? increase(w, n.interactionResponse, {
            sample: `${n.interactionResponse}_count`,
            match: slashMatch,
            by: ['command'],
          })
        : null;
    const unanswered =
      k.kind === 'slash'
        ? increase(w, n.interactionsUnanswered, { match: slashMatch, by: ['command'] })
        : null;
    for (const command of names) {
      const c = wrapped.has(command) ? (calls.get(command) ?? 0) : (answered?.get(command) ?? 0);
      const e = errors.get(command) ?? 0;
      const d = durations.get(command) ?? [];
      const r = responses?.get(command) ?? [];
      rows.push({
        command,
        kind: k.kind,
        calls: c,
        rate: span > 0 ? c / span : null,
        errors: e,
        errorRatio: wrapped.has(command) && c > 0 ? e / c : null,
        p50: nanToNull(histogramQuantile(0.5, d)),
        p95: nanToNull(histogramQuantile(0.95, d)),
        responseP95: nanToNull(histogramQuantile(0.95, r)),
        unanswered: unanswered?.get(command) ?? 0,
      });
    }
  }
  return rows;
}

export type CommandSortKey = 'command' | 'rate' | 'errorRatio' | 'p50' | 'p95' | 'responseP95' | 'unanswered';

/** Sorts rows by a column; missing values always sort last; ties break by command name. */
export function sortCommandRows(
  rows: readonly CommandRow[],
  key: CommandSortKey,
  desc: boolean,
): CommandRow[] {
  const dir = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (key === 'command') return dir * a.command.localeCompare(b.command) || a.kind.localeCompare(b.kind);
    const av = a[key];
    const bv = b[key];
    if (av === null && bv === null) return a.command.localeCompare(b.command);
    if (av === null) return 1;
    if (bv === null) return -1;
    return dir * (av - bv) || a.command.localeCompare(b.command);
  });
}

/** Charts for one command over the whole buffer: calls/s and errors/s, and duration p50/p95. */
export function commandCharts(input: StatsInput, row: Pick<CommandRow, 'command' | 'kind'>) {
  const { frames: f, names: n, match } = input;
  const calls = row.kind === 'slash' ? n.appCommands : n.commands;
  const duration = row.kind === 'slash' ? n.appCommandDuration : n.commandDuration;
  const m = { ...match, command: row.command };
  const wrapped = samplesOf(f[f.length - 1], calls, undefined, m).length > 0;
  const rates = wrapped
    ? rateSeries(f, calls, { match: m, by: ['status'] })
    : rateSeries(f, n.interactionResponse, {
        sample: `${n.interactionResponse}_count`,
        match: { ...m, type: APPLICATION_COMMAND },
      });
  const x = f.map((fr) => fr.t / 1000);
  const zero = () => f.map(() => null as number | null);
  const total = x.map((_, i) => {
    let s: number | null = null;
    for (const arr of rates.groups.values()) {
      const v = arr[i];
      if (v !== null && v !== undefined) s = (s ?? 0) + v;
    }
    return s;
  });
  const hasDuration = samplesOf(f[f.length - 1], duration, `${duration}_count`, m).length > 0;
  const durBase = hasDuration ? duration : n.interactionResponse;
  const durMatch = hasDuration ? m : { ...m, type: APPLICATION_COMMAND };
  const durations = slidingQuantiles(f, durBase, [0.5, 0.95], SMOOTH_MS, durMatch);
  return {
    x,
    calls: total,
    errors: wrapped ? (rates.groups.get('error') ?? zero()) : zero(),
    durationKind: hasDuration ? ('handler' as const) : ('response' as const),
    p50: durations[0]!,
    p95: durations[1]!,
  };
}

/** Interactions per second by type over the window. */
export function interactionsByType(input: StatsInput): { type: string; rate: number }[] {
  const r = rate(input.window, input.names.interactions, { match: input.match, by: ['type'] });
  const last = input.window[input.window.length - 1];
  for (const t of gaugeBy(last, input.names.interactions, 'type', input.match).keys())
    if (!r.has(t)) r.set(t, 0);
  return [...r]
    .map(([type, v]) => ({ type, rate: v }))
    .sort((a, b) => b.rate - a.rate || a.type.localeCompare(b.type));
}
