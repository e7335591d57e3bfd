import { createMemo, For, Show } from 'solid-js';
import { AlertsPanel } from '../components/AlertsPanel';
import { type Column, DataTable } from '../components/DataTable';
import { Panel, Section } from '../components/Panel';
import { fmtCount } from '../lib/format';
import { type CounterRow, health } from '../lib/stats/health';
import { useDashboard } from '../state';

const SUBSYSTEM_COLUMNS: Column<{ subsystem: string; up: boolean }>[] = [
  { cell: (s) => s.subsystem },
  {
    num: true,
    cell: (s) => <span class={`pill ${s.up ? 'pill-good' : 'pill-bad'}`}>{s.up ? 'up' : 'down'}</span>,
  },
];

const LOG_COLUMNS: Column<{ logger: string; level: string; window: number }>[] = [
  { cell: (l) => l.logger },
  { cell: (l) => l.level },
  { num: true, cell: (l) => fmtCount(l.window) },
];

/** Counters by one label: the key, the increase over the window, the total. */
function CounterTable(props: {
  testid: string;
  head: string;
  rows: CounterRow[];
  empty: string;
  mins: number;
}) {
  const columns = createMemo((): Column<CounterRow>[] => [
    { head: props.head, mono: true, cell: (r) => r.key || '—' },
    { head: `Last ${props.mins} min`, num: true, bad: (r) => r.window > 0, cell: (r) => fmtCount(r.window) },
    { head: 'Total', num: true, cell: (r) => fmtCount(r.total) },
  ]);
  return (
    <DataTable
      testid={props.testid}
      rows={props.rows}
      columns={columns()}
      empty={props.empty}
      rowAttrs={(r) => ({ 'data-key': r.key })}
    />
  );
}

export function Health() {
  const dash = useDashboard();
  const h = createMemo(() => health(dash.input()));
  const mins = dash.windowMinutes;
  return (
    <Section name="health" title="Health">
      <AlertsPanel testid="health-alerts" />
      <div class="charts">
        <Panel title="Argus subsystems" hint={h().up === 1 ? 'argus_up = 1' : 'argus_up missing'}>
          <DataTable
            testid="subsystem-table"
            rows={h().subsystems}
            columns={SUBSYSTEM_COLUMNS}
            empty="No subsystem reported."
            rowAttrs={(s) => ({ 'data-subsystem': s.subsystem, 'data-up': String(s.up) })}
          />
        </Panel>
        <Panel title="Instrumentation errors by hook" hint="swallowed by the fail-open guard">
          <CounterTable
            testid="instrumentation-errors"
            head="Hook"
            rows={h().instrumentationErrors}
            empty="None: every hook ran cleanly."
            mins={mins()}
          />
        </Panel>
      </div>
      <div class="charts">
        <Panel title="Label values folded into “other”" hint="per-metric cardinality cap">
          <CounterTable
            testid="folded-labels"
            head="Metric"
            rows={h().folded}
            empty="No label value folded."
            mins={mins()}
          />
        </Panel>
        <Panel title="Dropped analytics events">
          <Show
            when={h().dropped}
            fallback={
              <p class="empty" data-testid="dropped-events-absent">
                Per-guild analytics is off: nothing to drop.
              </p>
            }
          >
            <CounterTable
              testid="dropped-events"
              head="Reason"
              rows={h().dropped!}
              empty="No event dropped."
              mins={mins()}
            />
          </Show>
        </Panel>
      </div>
      <div class="charts">
        <Panel title="Evicted interaction timers" hint="latency under-counted past timerCap">
          <div class="kv" data-testid="evicted-timers" data-value={String(h().evicted?.total ?? 0)}>
            <span>last {mins()} min</span>
            <strong classList={{ bad: (h().evicted?.window ?? 0) > 0 }}>
              {fmtCount(h().evicted?.window ?? 0)}
            </strong>
            <span>total</span>
            <strong>{fmtCount(h().evicted?.total ?? 0)}</strong>
          </div>
        </Panel>
        <Panel title="discord.js warnings and errors" hint={`last ${mins()} min`}>
          <DataTable
            testid="log-records"
            rows={h().logs}
            columns={LOG_COLUMNS}
            empty="No warning or error logged."
          />
        </Panel>
      </div>
      <Show when={h().info}>
        <Panel title="Versions">
          <div class="kv" data-testid="bot-info">
            <For each={Object.entries(h().info!).filter(([k]) => k !== 'cluster')}>
              {([k, v]) => (
                <>
                  <span>{k.replace(/_/g, ' ')}</span>
                  <strong>{v}</strong>
                </>
              )}
            </For>
          </div>
        </Panel>
      </Show>
    </Section>
  );
}
