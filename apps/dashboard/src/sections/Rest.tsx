import { createMemo, For, Show } from 'solid-js';
import { Chart } from '../components/Chart';
import { fmtCount, fmtPercent, fmtRate, fmtSeconds } from '../lib/format';
import { invalidRequests, rateLimitRows, restCharts, routeRows } from '../lib/stats';
import { useDashboard } from '../state';

const series = (ts: { x: number[]; groups: Map<string, (number | null)[]> }, prefix = '') => ({
  x: ts.x,
  series: [...ts.groups].map(([label, values]) => ({ label: `${prefix}${label || 'all'}`, values })),
});

export function Rest() {
  const dash = useDashboard();
  const invalid = createMemo(() => invalidRequests(dash.input()));
  const limits = createMemo(() => rateLimitRows(dash.input()));
  const routes = createMemo(() => routeRows(dash.input()));
  const charts = createMemo(() => restCharts(dash.input(), routes()));
  const mins = () => Math.round(dash.windowMs() / 60_000);
  const tone = () => (invalid().share >= 0.5 ? 'bad' : invalid().share >= 0.1 ? 'warn' : 'good');
  return (
    <section class="section" data-testid="section-rest">
      <h1>REST</h1>
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
          data={series(charts().invalid)}
        />
        <Chart
          testid="chart-rest-responses"
          title="Responses by status class"
          unit="rate"
          data={series(charts().responses)}
        />
      </div>
      <div class="charts">
        <div class="panel">
          <div class="panel-title">Rate limits over the last {mins()} min</div>
          <Show when={limits().length > 0} fallback={<p class="empty">No rate limit hit. Good.</p>}>
            <div class="table-wrap">
              <table class="table" data-testid="ratelimit-table">
                <thead>
                  <tr>
                    <th scope="col">Route</th>
                    <th scope="col">Method</th>
                    <th scope="col">Scope</th>
                    <th scope="col" class="num">
                      Window
                    </th>
                    <th scope="col" class="num">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={limits()}>
                    {(r) => (
                      <tr data-route={r.route} data-scope={r.scope}>
                        <td class="mono">{r.route}</td>
                        <td>{r.method}</td>
                        <td>{r.scope}</td>
                        <td class="num">{fmtCount(r.count)}</td>
                        <td class="num">{fmtCount(r.total)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </div>
        <Chart
          testid="chart-ratelimits"
          title="Rate limits by route"
          unit="rate"
          data={series(charts().ratelimits)}
        />
      </div>
      <div class="charts">
        <div class="panel">
          <div class="panel-title">Request latency by route, last {mins()} min</div>
          <Show when={routes().length > 0} fallback={<p class="empty">No REST requests timed yet.</p>}>
            <div class="table-wrap">
              <table class="table" data-testid="route-table">
                <thead>
                  <tr>
                    <th scope="col">Route</th>
                    <th scope="col" class="num">
                      Requests
                    </th>
                    <th scope="col" class="num">
                      p95
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={routes()}>
                    {(r) => (
                      <tr data-route={r.route} data-method={r.method}>
                        <td class="mono">
                          {r.method} {r.route}
                        </td>
                        <td class="num">{fmtRate(r.rate)}</td>
                        <td class="num">{fmtSeconds(r.p95)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </div>
        <Chart
          testid="chart-rest-latency"
          title="p95 latency, busiest routes (1 min window)"
          unit="seconds"
          data={series(charts().latency)}
        />
      </div>
    </section>
  );
}
