import { createMemo, For, type JSX, Show } from 'solid-js';
import { fmtCount } from '../lib/format';
import { type CounterRow, health } from '../lib/stats';
import { useDashboard } from '../state';

function CounterTable(props: {
  testid: string;
  head: string;
  rows: CounterRow[];
  empty: string;
  mins: number;
}) {
  return (
    <Show
      when={props.rows.length > 0}
      fallback={
        <p class="empty" data-testid={`${props.testid}-empty`}>
          {props.empty}
        </p>
      }
    >
      <table class="table" data-testid={props.testid}>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col" class="num">
              Last {props.mins} min
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(r) => (
              <tr data-key={r.key}>
                <td class="mono">{r.key || '—'}</td>
                <td class="num" classList={{ bad: r.window > 0 }}>
                  {fmtCount(r.window)}
                </td>
                <td class="num">{fmtCount(r.total)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}

function Panel(props: { title: string; children: JSX.Element; hint?: string }) {
  return (
    <div class="panel">
      <div class="panel-title">
        <span>{props.title}</span>
        <Show when={props.hint}>
          <span class="hint">{props.hint}</span>
        </Show>
      </div>
      {props.children}
    </div>
  );
}

export function Health() {
  const dash = useDashboard();
  const h = createMemo(() => health(dash.input()));
  const mins = () => Math.round(dash.windowMs() / 60_000);
  return (
    <section class="section" data-testid="section-health">
      <h1>Health</h1>
      <div class="charts">
        <Panel title="Argus subsystems" hint={h().up === 1 ? 'argus_up = 1' : 'argus_up missing'}>
          <Show when={h().subsystems.length > 0} fallback={<p class="empty">No subsystem reported.</p>}>
            <table class="table" data-testid="subsystem-table">
              <tbody>
                <For each={h().subsystems}>
                  {(s) => (
                    <tr data-subsystem={s.subsystem} data-up={String(s.up)}>
                      <td>{s.subsystem}</td>
                      <td class="num">
                        <span class={`pill ${s.up ? 'pill-good' : 'pill-bad'}`}>{s.up ? 'up' : 'down'}</span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
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
          <Show when={h().logs.length > 0} fallback={<p class="empty">No warning or error logged.</p>}>
            <table class="table" data-testid="log-records">
              <tbody>
                <For each={h().logs}>
                  {(l) => (
                    <tr>
                      <td>{l.logger}</td>
                      <td>{l.level}</td>
                      <td class="num">{fmtCount(l.window)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
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
    </section>
  );
}
