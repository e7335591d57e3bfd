import { createMemo, createSignal, For, Show } from 'solid-js';
import { Chart, groupedChart } from '../components/Chart';
import { type Column, DataTable } from '../components/DataTable';
import { Panel, Section } from '../components/Panel';
import { StatCard, toneAbove } from '../components/StatCard';
import { fmtCount, fmtPercent, fmtRate, fmtSeconds } from '../lib/format';
import { rateSeries } from '../lib/series';
import {
  type CommandRow,
  type CommandSortKey,
  commandCharts,
  commandErrorRatio,
  commandRows,
  interactionsByType,
  sortCommandRows,
} from '../lib/stats/interactions';
import { useDashboard } from '../state';
import { NotableTraces } from './NotableTraces';

const COLUMNS: { key: CommandSortKey; label: string; title: string }[] = [
  { key: 'command', label: 'Command', title: 'Command name (slash or prefix)' },
  { key: 'rate', label: 'Rate', title: 'Invocations per second over the window' },
  { key: 'errorRatio', label: 'Errors', title: 'Failed / all invocations (wrapped handlers)' },
  { key: 'p50', label: 'p50', title: 'Handler duration, median' },
  { key: 'p95', label: 'p95', title: 'Handler duration, 95th percentile' },
  { key: 'responseP95', label: 'Response p95', title: 'Receipt to initial response, 95th percentile' },
  { key: 'unanswered', label: 'Unanswered', title: 'Not answered within 3 s, over the window' },
];

const TYPE_COLUMNS: Column<{ type: string; rate: number }>[] = [
  { cell: (t) => t.type },
  { num: true, cell: (t) => fmtRate(t.rate) },
];

const rowId = (r: Pick<CommandRow, 'kind' | 'command'>) => `${r.kind}:${r.command}`;

export function Interactions() {
  const dash = useDashboard();
  const [sortKey, setSortKey] = createSignal<CommandSortKey>('rate');
  const [desc, setDesc] = createSignal(true);
  const [selected, setSelected] = createSignal<string | null>(null);
  const rows = createMemo(() => sortCommandRows(commandRows(dash.input()), sortKey(), desc()));
  const current = createMemo(() => rows().find((r) => rowId(r) === selected()) ?? rows()[0] ?? null);
  const charts = createMemo(() => {
    const r = current();
    return r ? commandCharts(dash.input(), r) : null;
  });
  const types = createMemo(() => interactionsByType(dash.input()));
  const typeSeries = createMemo(() => {
    const { frames, names, match } = dash.input();
    return groupedChart(rateSeries(frames, names.interactions, { match, by: ['type'] }));
  });
  const totals = createMemo(() => {
    const list = rows();
    return {
      rate: types().reduce((a, t) => a + t.rate, 0),
      unanswered: list.filter((r) => r.kind === 'slash').reduce((a, r) => a + r.unanswered, 0),
      errorRatio: commandErrorRatio(dash.windowFrames(), dash.names(), dash.match()),
    };
  });
  const sortBy = (key: CommandSortKey) => {
    if (sortKey() === key) setDesc(!desc());
    else {
      setSortKey(key);
      setDesc(key !== 'command');
    }
  };
  const cell = (r: CommandRow, key: CommandSortKey) => {
    switch (key) {
      case 'command':
        return r.kind === 'prefix' ? `${r.command} (prefix)` : `/${r.command}`;
      case 'rate':
        return fmtRate(r.rate);
      case 'errorRatio':
        return fmtPercent(r.errorRatio);
      case 'unanswered':
        return fmtCount(r.unanswered);
      default:
        return fmtSeconds(r[key]);
    }
  };

  return (
    <Section name="interactions" title="Interactions">
      <div class="cards">
        <StatCard
          testid="stat-interactions-total-rate"
          label="Interactions"
          value={fmtRate(totals().rate)}
          raw={totals().rate}
        />
        <StatCard
          testid="stat-command-error-ratio"
          label="Command errors"
          value={fmtPercent(totals().errorRatio)}
          raw={totals().errorRatio}
          tone={toneAbove(totals().errorRatio, 0.01, 0.05)}
        />
        <StatCard
          testid="stat-unanswered"
          label="Unanswered (3 s)"
          value={fmtCount(totals().unanswered)}
          raw={totals().unanswered}
          tone={toneAbove(totals().unanswered, 1, 10)}
        />
      </div>

      <Panel title={`Commands over the last ${dash.windowMinutes()} min`} hint="click a row for its charts">
        <Show
          when={rows().length > 0}
          fallback={
            <p class="empty" data-testid="command-table-empty">
              No commands seen yet.
            </p>
          }
        >
          <div class="table-wrap">
            <table class="table" data-testid="command-table">
              <thead>
                <tr>
                  <For each={COLUMNS}>
                    {(c) => (
                      <th
                        scope="col"
                        title={c.title}
                        aria-sort={sortKey() === c.key ? (desc() ? 'descending' : 'ascending') : 'none'}
                        classList={{ num: c.key !== 'command' }}
                      >
                        <button
                          type="button"
                          class="sort"
                          data-testid={`sort-${c.key}`}
                          onClick={() => sortBy(c.key)}
                        >
                          {c.label}
                          <span class="sort-mark">{sortKey() === c.key ? (desc() ? '▼' : '▲') : ''}</span>
                        </button>
                      </th>
                    )}
                  </For>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(r) => (
                    <tr
                      data-testid="command-row"
                      data-command={r.command}
                      data-kind={r.kind}
                      classList={{ selected: current() !== null && rowId(current()!) === rowId(r) }}
                      aria-selected={current() !== null && rowId(current()!) === rowId(r)}
                      tabindex="0"
                      onClick={() => setSelected(rowId(r))}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          setSelected(rowId(r));
                        }
                      }}
                    >
                      <For each={COLUMNS}>
                        {(c) => (
                          <td
                            classList={{
                              num: c.key !== 'command',
                              bad: c.key === 'unanswered' && r.unanswered > 0,
                            }}
                          >
                            {cell(r, c.key)}
                          </td>
                        )}
                      </For>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Panel>

      <Show when={current() && charts()}>
        <div class="charts">
          <Chart
            testid="chart-command-rate"
            title={`${current()!.kind === 'prefix' ? current()!.command : `/${current()!.command}`}: calls and errors`}
            unit="rate"
            data={{
              x: charts()!.x,
              series: [
                { label: 'calls', values: charts()!.calls },
                { label: 'errors', values: charts()!.errors, color: '#ef4444' },
              ],
            }}
          />
          <Chart
            testid="chart-command-duration"
            title={`${current()!.command}: ${charts()!.durationKind === 'handler' ? 'handler duration' : 'response time'} (1 min window)`}
            unit="seconds"
            data={{
              x: charts()!.x,
              series: [
                { label: 'p50', values: charts()!.p50 },
                { label: 'p95', values: charts()!.p95 },
              ],
            }}
          />
        </div>
      </Show>

      <div class="charts">
        <Panel title="By type">
          <DataTable
            testid="interaction-types"
            rows={types()}
            columns={TYPE_COLUMNS}
            empty="No interactions yet."
            rowAttrs={(t) => ({ 'data-type': t.type })}
          />
        </Panel>
        <Chart
          testid="chart-interactions-by-type"
          title="Interactions by type"
          unit="rate"
          data={typeSeries()}
        />
      </div>
      <Show when={dash.config()?.sections.traces}>
        <NotableTraces />
      </Show>
    </Section>
  );
}
