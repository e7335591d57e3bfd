import { createMemo, For, Show } from 'solid-js';
import { Chart } from '../components/Chart';
import { fmtCount, fmtMs, fmtRate } from '../lib/format';
import { eventRates, gatewayCharts, shardRows } from '../lib/stats';
import { useDashboard } from '../state';

export function Gateway() {
  const dash = useDashboard();
  const shards = createMemo(() => shardRows(dash.input()));
  const charts = createMemo(() => gatewayCharts(dash.input()));
  const events = createMemo(() => eventRates(dash.input()));
  const mins = () => Math.round(dash.windowMs() / 60_000);
  return (
    <section class="section" data-testid="section-gateway">
      <h1>Gateway</h1>
      <div class="charts">
        <div class="panel">
          <div class="panel-title">Shards</div>
          <Show when={shards().length > 0} fallback={<p class="empty">No shard reported yet.</p>}>
            <div class="table-wrap">
              <table class="table" data-testid="shard-table">
                <thead>
                  <tr>
                    <th scope="col">Shard</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Latency
                    </th>
                    <th scope="col" class="num" title={`over the last ${mins()} min`}>
                      Disconnects
                    </th>
                    <th scope="col" class="num" title={`over the last ${mins()} min`}>
                      Reconnects
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={shards()}>
                    {(s) => (
                      <tr
                        data-testid="shard-row"
                        data-shard={s.shard}
                        data-up={s.up === null ? '' : String(s.up)}
                      >
                        <td>#{s.shard}</td>
                        <td>
                          <span class={`pill ${s.up === null ? '' : s.up ? 'pill-good' : 'pill-bad'}`}>
                            {s.up === null ? 'unknown' : s.up ? 'up' : 'down'}
                          </span>
                        </td>
                        <td class="num">{fmtMs(s.latency)}</td>
                        <td class="num" classList={{ bad: s.disconnects > 0 }}>
                          {fmtCount(s.disconnects)}
                        </td>
                        <td class="num">{fmtCount(s.reconnects)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </div>
        <Chart
          testid="chart-shard-latency"
          title="Heartbeat latency by shard"
          unit="ms"
          data={{
            x: charts().latency.x,
            series: [...charts().latency.groups].map(([shard, values]) => ({
              label: `shard ${shard}`,
              values,
            })),
          }}
        />
      </div>
      <div class="charts">
        <Chart
          testid="chart-gateway-events"
          title="Dispatches by event type"
          unit="rate"
          data={{
            x: charts().events.x,
            series: [...charts().events.groups].map(([label, values]) => ({ label, values })),
          }}
        />
        <Chart
          testid="chart-shard-disconnects"
          title="Disconnects and reconnects"
          unit="rate"
          data={{
            x: charts().latency.x,
            series: [
              { label: 'disconnects', values: charts().disconnects, color: '#ef4444' },
              { label: 'reconnects', values: charts().reconnects, color: '#f59e0b' },
            ],
          }}
        />
      </div>
      <div class="panel">
        <div class="panel-title">Dispatch rate over the last {mins()} min</div>
        <Show when={events().length > 0} fallback={<p class="empty">No gateway dispatches yet.</p>}>
          <div class="table-wrap">
            <table class="table" data-testid="event-table">
              <tbody>
                <For each={events()}>
                  {(e) => (
                    <tr data-event={e.event}>
                      <td>{e.event}</td>
                      <td class="num">{fmtRate(e.rate)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </div>
    </section>
  );
}
