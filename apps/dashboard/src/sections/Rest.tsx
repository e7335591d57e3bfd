import { createMemo, For } from 'solid-js';
import { Chart, groupedChart } from '../components/Chart';
import { type Column, DataTable } from '../components/DataTable';
import { Panel, Section } from '../components/Panel';
import { fmtCount, fmtPercent, fmtRate, fmtSeconds } from '../lib/format';
import {
  invalidRequests,
  type RateLimitRow,
  type RouteRow,
  rateLimitRows,
  restCharts,
  routeRows,
} from '../lib/stats/rest';
import { useDashboard } from '../state';

const LIMIT_COLUMNS: Column<RateLimitRow>[] = [
  { head: 'Route', mono: true, cell: (r) => r.route },
  { head: 'Method', cell: (r) => r.method },
  { head: 'Scope', cell: (r) => r.scope },
  { head: 'Window', num: true, cell: (r) => fmtCount(r.count) },
  { head: 'Total', num: true, cell: (r) => fmtCount(r.total) },
];

const ROUTE_COLUMNS: Column<RouteRow>[] = [
  { head: 'Route', mono: true, cell: (r) => `${r.method} ${r.route}` },
  { head: 'Requests', num: true, cell: (r) => fmtRate(r.rate) },
  { head: 'p95', num: true, cell: (r) => fmtSeconds(r.p95) },
];

export function Rest() {
  const dash = useDashboard();
  const invalid = createMemo(() => invalidRequests(dash.input()));
  const limits = createMemo(() => rateLimitRows(dash.input()));
  const routes = createMemo(() => routeRows(dash.input()));
  const charts = createMemo(() => restCharts(dash.input(), routes()));
  const tone = () => (invalid().share >= 0.5 ? 'bad' : invalid().share >= 0.1 ? 'warn' : 'good');
  return (
    <Section name="rest" title="REST">
      <div
        class={`panel invalid tone-${tone()}`}
        data-testid="invalid-requests"
        data-value={String(invalid().count)}
        data-limit={String(invalid().limit)}
      >
        <div class="panel-title">
          <span>Invalid requests (401, 403, 429) in the last 10 minutes</span>
          <span class="hint">
            Discord bans the IP at {fmtCount(invalid().limit)}
            {invalid().coveredSeconds < 590
              ? ` · counted over the ${Math.max(0, Math.round(invalid().coveredSeconds))} s seen so far`
              : ''}
          </span>
        </div>
        <div class="gauge" aria-hidden="true">
          <div class="gauge-fill" style={{ width: `${Math.min(100, invalid().share * 100)}%` }} />
          <div class="gauge-mark" style={{ left: '50%' }} />
        </div>
        <div class="gauge-scale" aria-hidden="true">
          <span>0</span>
          <span>5,000</span>
          <span>{fmtCount(invalid().limit)}: ban</span>
        </div>
        <div class="gauge-legend">
          <strong data-testid="invalid-requests-value">{fmtCount(Math.round(invalid().count))}</strong> /{' '}
          {fmtCount(invalid().limit)} ({fmtPercent(invalid().share)} of the ban threshold)
          <For each={invalid().byStatus}>
            {(s) => (
              <span class="pill">
                {s.status}: {fmtCount(Math.round(s.count))}
              </span>
            )}
          </For>
        </div>
      </div>
      <div class="charts">
        <Chart
          testid="chart-invalid-requests"
          title="Invalid requests by status"
          unit="rate"
          data={groupedChart(charts().invalid)}
        />
        <Chart
          testid="chart-rest-responses"
          title="Responses by status class"
          unit="rate"
          data={groupedChart(charts().responses)}
        />
      </div>
      <div class="charts">
        <Panel title={`Rate limits over the last ${dash.windowMinutes()} min`}>
          <DataTable
            testid="ratelimit-table"
            rows={limits()}
            columns={LIMIT_COLUMNS}
            empty="No rate limit hit. Good."
            rowAttrs={(r) => ({ 'data-route': r.route, 'data-scope': r.scope })}
          />
        </Panel>
        <Chart
          testid="chart-ratelimits"
          title="Rate limits by route"
          unit="rate"
          data={groupedChart(charts().ratelimits)}
        />
      </div>
      <div class="charts">
        <Panel title={`Request latency by route, last ${dash.windowMinutes()} min`}>
          <DataTable
            testid="route-table"
            rows={routes()}
            columns={ROUTE_COLUMNS}
            empty="No REST requests timed yet."
            rowAttrs={(r) => ({ 'data-route': r.route, 'data-method': r.method })}
          />
        </Panel>
        <Chart
          testid="chart-rest-latency"
          title="p95 latency, busiest routes (1 min window)"
          unit="seconds"
          data={groupedChart(charts().latency)}
        />
      </div>
    </Section>
  );
}
