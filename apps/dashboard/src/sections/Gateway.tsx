import { createMemo } from 'solid-js';
import { Chart, groupedChart } from '../components/Chart';
import { type Column, DataTable } from '../components/DataTable';
import { Panel, Section } from '../components/Panel';
import { fmtCount, fmtMs, fmtRate } from '../lib/format';
import { eventRates, gatewayCharts, type ShardRow, shardRows } from '../lib/stats/gateway';
import { useDashboard } from '../state';

const upText = (up: boolean | null) => (up === null ? 'unknown' : up ? 'up' : 'down');
const upPill = (up: boolean | null) => (up === null ? 'pill' : up ? 'pill pill-good' : 'pill pill-bad');

const EVENT_COLUMNS: Column<{ event: string; rate: number }>[] = [
  { cell: (e) => e.event },
  { num: true, cell: (e) => fmtRate(e.rate) },
];

export function Gateway() {
  const dash = useDashboard();
  const shards = createMemo(() => shardRows(dash.input()));
  const charts = createMemo(() => gatewayCharts(dash.input()));
  const events = createMemo(() => eventRates(dash.input()));
  const shardColumns = createMemo((): Column<ShardRow>[] => {
    const over = `over the last ${dash.windowMinutes()} min`;
    return [
      { head: 'Shard', cell: (s) => `#${s.shard}` },
      { head: 'Status', cell: (s) => <span class={upPill(s.up)}>{upText(s.up)}</span> },
      { head: 'Latency', num: true, cell: (s) => fmtMs(s.latency) },
      {
        head: 'Disconnects',
        title: over,
        num: true,
        bad: (s) => s.disconnects > 0,
        cell: (s) => fmtCount(s.disconnects),
      },
      { head: 'Reconnects', title: over, num: true, cell: (s) => fmtCount(s.reconnects) },
    ];
  });
  return (
    <Section name="gateway" title="Gateway">
      <div class="charts">
        <Panel title="Shards">
          <DataTable
            testid="shard-table"
            rows={shards()}
            columns={shardColumns()}
            empty="No shard reported yet."
            rowAttrs={(s) => ({
              'data-testid': 'shard-row',
              'data-shard': s.shard,
              'data-up': s.up === null ? '' : String(s.up),
            })}
          />
        </Panel>
        <Chart
          testid="chart-shard-latency"
          title="Heartbeat latency by shard"
          unit="ms"
          data={groupedChart(charts().latency, (shard) => `shard ${shard}`)}
        />
      </div>
      <div class="charts">
        <Chart
          testid="chart-gateway-events"
          title="Dispatches by event type"
          unit="rate"
          data={groupedChart(charts().events)}
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
      <Panel title={`Dispatch rate over the last ${dash.windowMinutes()} min`}>
        <DataTable
          testid="event-table"
          rows={events()}
          columns={EVENT_COLUMNS}
          empty="No gateway dispatches yet."
          rowAttrs={(e) => ({ 'data-event': e.event })}
        />
      </Panel>
    </Section>
  );
}
