import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { Panel, Section } from '../components/Panel';
import { StatCard } from '../components/StatCard';
import { clusterState, type FleetCluster, type FleetOverview, fleetTotals, parseFleet } from '../lib/fleet';
import { fmtBytes, fmtCount, fmtMs, fmtRate, fmtSeconds, NONE } from '../lib/format';
import { useDashboard } from '../state';

const PILL: Record<ReturnType<typeof clusterState>, string> = {
  ready: 'pill pill-good',
  up: 'pill',
  down: 'pill pill-bad',
  'never seen': 'pill pill-bad',
};

function lastSeen(c: FleetCluster): string {
  if (c.ageSeconds === null) return 'never';
  return c.ageSeconds < 1 ? 'just now' : `${fmtSeconds(c.ageSeconds)} ago`;
}

/**
 * A sharding manager's clusters side by side, from `/api/fleet` (read every dashboard interval
 * while this section is open). Clicking a cluster selects it for every other section.
 */
export function Fleet() {
  const dash = useDashboard();
  const [fleet, setFleet] = createSignal<FleetOverview | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const load = async () => {
    try {
      const res = await dash.get('/api/fleet');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const parsed = parseFleet(await res.json());
      if (!parsed) throw new Error('not a fleet');
      setFleet(parsed);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    if (!stopped) timer = setTimeout(load, (dash.config()?.intervalSeconds ?? 5) * 1000);
  };
  onMount(() => void load());
  onCleanup(() => {
    stopped = true;
    clearTimeout(timer);
  });

  const totals = () => {
    const f = fleet();
    return f ? fleetTotals(f) : null;
  };
  const select = (c: FleetCluster) => dash.setCluster(dash.cluster() === c.cluster ? null : c.cluster);

  return (
    <Section name="fleet" title="Fleet">
      <Show when={error()}>
        <p class="empty" data-testid="fleet-error">
          Cannot read the fleet ({error()}). Retrying…
        </p>
      </Show>
      <Show when={totals()}>
        {(t) => (
          <div class="cards">
            <StatCard
              testid="stat-clusters-up"
              label="Clusters up"
              value={`${t().clustersUp} / ${t().clusters}`}
              raw={t().clustersUp}
              tone={t().clustersUp < t().clusters ? 'bad' : 'good'}
            />
            <StatCard
              testid="stat-fleet-shards-up"
              label="Shards up"
              value={`${t().shardsUp} / ${t().shards}`}
              raw={t().shardsUp}
              tone={t().shardsUp < t().shards ? 'warn' : 'neutral'}
              title="Shards of the clusters that are up"
            />
            <StatCard
              testid="stat-fleet-interactions"
              label="Interactions"
              value={fmtRate(t().interactionsPerSecond)}
              raw={t().interactionsPerSecond}
            />
          </div>
        )}
      </Show>
      <Panel
        title="Clusters"
        hint={
          <Show when={dash.cluster()} fallback="click a cluster to narrow every section to it">
            {(c) => (
              <button
                type="button"
                class="link"
                data-testid="fleet-show-all"
                onClick={() => dash.setCluster(null)}
              >
                showing cluster {c()} · show all
              </button>
            )}
          </Show>
        }
      >
        <Show
          when={(fleet()?.clusters.length ?? 0) > 0}
          fallback={
            <p class="empty" data-testid="fleet-table-empty">
              {fleet() ? 'No cluster has reported yet.' : 'Reading the fleet…'}
            </p>
          }
        >
          <div class="table-wrap">
            <table class="table" data-testid="fleet-table">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last seen</th>
                  <th scope="col" class="num">
                    Shards up
                  </th>
                  <th scope="col" class="num" title="Mean heartbeat latency of its shards">
                    Latency
                  </th>
                  <th scope="col" class="num" title="Over the last report interval">
                    Interactions
                  </th>
                  <th scope="col" class="num" title="Failed command handlers since the cluster started">
                    Errors
                  </th>
                  <th scope="col" class="num" title="Interactions never answered since the cluster started">
                    Unanswered
                  </th>
                  <th scope="col" class="num">
                    Event-loop delay
                  </th>
                  <th scope="col" class="num">
                    Memory
                  </th>
                  <th scope="col" class="num" title="Exits of its process or worker">
                    Restarts
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={fleet()?.clusters ?? []}>
                  {(c) => {
                    const s = c.summary;
                    return (
                      <tr
                        data-testid="fleet-row"
                        data-cluster={c.cluster}
                        data-up={String(c.up)}
                        classList={{ selected: dash.cluster() === c.cluster }}
                        style={{ cursor: 'pointer' }}
                        onClick={() => select(c)}
                        title={c.up ? `Show only cluster ${c.cluster} in every section` : undefined}
                      >
                        <td class="mono">{c.cluster}</td>
                        <td>
                          <span class={PILL[clusterState(c)]} data-testid="fleet-status">
                            {clusterState(c)}
                          </span>
                        </td>
                        <td data-testid="fleet-last-seen">{lastSeen(c)}</td>
                        <td
                          class="num"
                          classList={{ bad: s !== null && (s.shardsUp ?? 0) < (s.shards ?? 0) }}
                        >
                          {s ? `${fmtCount(s.shardsUp)} / ${fmtCount(s.shards)}` : NONE}
                        </td>
                        <td class="num">{fmtMs(s?.latencySeconds)}</td>
                        <td class="num">{fmtRate(s?.interactionsPerSecond)}</td>
                        <td class="num" classList={{ bad: (s?.commandErrors ?? 0) > 0 }}>
                          {fmtCount(s?.commandErrors)}
                        </td>
                        <td class="num" classList={{ bad: (s?.unanswered ?? 0) > 0 }}>
                          {fmtCount(s?.unanswered)}
                        </td>
                        <td class="num">{fmtMs(s?.eventLoopLagSeconds)}</td>
                        <td class="num">{fmtBytes(s?.rssBytes)}</td>
                        <td class="num" classList={{ bad: c.deaths > 0 }}>
                          {fmtCount(c.deaths)}
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Panel>
    </Section>
  );
}
