import { createMemo, createSignal, For, Show } from 'solid-js';
import { Section } from '../components/Panel';
import { useDashboard } from '../state';

export const BOARDS: readonly { uid: string; title: string }[] = [
  { uid: 'argus-overview', title: 'Overview' },
  { uid: 'argus-interactions', title: 'Interactions' },
  { uid: 'argus-gateway', title: 'Gateway' },
  { uid: 'argus-rest', title: 'REST' },
  { uid: 'argus-health', title: 'Health' },
  // Per-guild figures: this board reads the ClickHouse data source, not Prometheus.
  { uid: 'argus-analytics', title: 'Analytics' },
];

/** The Grafana base URL without a trailing slash, or null unless it is http(s). */
export function grafanaBase(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

export function boardUrl(base: string, uid: string, cluster: string | null, kiosk: boolean): string {
  const params = new URLSearchParams();
  if (cluster) params.set('var-cluster', cluster);
  const q = params.toString();
  return `${base}/d/${encodeURIComponent(uid)}${kiosk ? `?kiosk${q ? `&${q}` : ''}` : q ? `?${q}` : ''}`;
}

export function Grafana() {
  const dash = useDashboard();
  const base = createMemo(() => grafanaBase(dash.config()?.grafanaUrl));
  const [board, setBoard] = createSignal(BOARDS[0]!.uid);
  const metricsPath = () => dash.config()?.metricsPath ?? '/metrics';
  const scrape = () => `scrape_configs:
  - job_name: argus
    scrape_interval: 15s
    metrics_path: ${metricsPath()}
    # With ARGUS_METRICS_AUTH_TOKEN set, keep the token in a file next to prometheus.yml:
    # authorization:
    #   credentials_file: argus-metrics-token
    static_configs:
      - targets: ['<bot host>:${location.port || '9191'}']`;
  return (
    <Section name="grafana" title="Grafana">
      <Show
        when={base()}
        fallback={
          <div class="panel guide" data-testid="grafana-guide">
            <h2>Long-term history in Prometheus and Grafana</h2>
            <p>
              This page keeps the last 10 minutes in your browser. For weeks of history and alerts, let
              Prometheus scrape the bot and import the Argus boards into Grafana.
            </p>
            <ol>
              <li>
                Point Prometheus at <code>{metricsPath()}</code> on the bot's port:
                <pre class="code">{scrape()}</pre>
                Do not add a <code>cluster</code> label to the target: every Argus metric already carries one.
              </li>
              <li>
                In Grafana, add the Prometheus data source, then import the Argus boards (Dashboards › New ›
                Import) from the repository's <code>deploy/grafana</code> folder. The Analytics board reads
                per-guild analytics from a ClickHouse data source.
              </li>
              <li>
                To see the boards here, set <code>ARGUS_GRAFANA_URL</code> (or the <code>grafanaUrl</code>{' '}
                option) to Grafana's address and allow embedding in Grafana (
                <code>GF_SECURITY_ALLOW_EMBEDDING=true</code>).
              </li>
            </ol>
          </div>
        }
      >
        <div class="panel">
          <div class="tabs" role="tablist">
            <For each={BOARDS}>
              {(b) => (
                <button
                  type="button"
                  role="tab"
                  aria-selected={board() === b.uid}
                  classList={{ active: board() === b.uid }}
                  data-testid={`grafana-tab-${b.uid}`}
                  onClick={() => setBoard(b.uid)}
                >
                  {b.title}
                </button>
              )}
            </For>
            <a
              class="tab-link"
              href={boardUrl(base()!, board(), dash.cluster(), false)}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="grafana-link"
            >
              Open in Grafana ↗
            </a>
          </div>
          <iframe
            class="grafana-frame"
            data-testid="grafana-frame"
            title={`Grafana board ${board()}`}
            src={boardUrl(base()!, board(), dash.cluster(), true)}
            loading="lazy"
            referrerpolicy="no-referrer"
          />
          <ul class="links">
            <For each={BOARDS}>
              {(b) => (
                <li>
                  <a
                    href={boardUrl(base()!, b.uid, dash.cluster(), false)}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    {b.title} board ↗
                  </a>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
    </Section>
  );
}
