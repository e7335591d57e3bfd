import { createEffect, createSignal, For, type JSX, Match, onCleanup, Show, Switch } from 'solid-js';
import { ConnectionStatus, StaleBanner } from './components/Status';
import { TokenPrompt } from './components/TokenPrompt';
import { Analytics } from './sections/Analytics';
import { Fleet } from './sections/Fleet';
import { Gateway } from './sections/Gateway';
import { Grafana } from './sections/Grafana';
import { Health } from './sections/Health';
import { Interactions } from './sections/Interactions';
import { Overview } from './sections/Overview';
import { Rest } from './sections/Rest';
import { Setup } from './sections/Setup';
import { type Dashboard, DashboardContext, useDashboard, WINDOWS } from './state';

export const SECTIONS = [
  // Only a sharding manager's dashboard (its /api/config says `fleet`) shows this one.
  { id: 'fleet', label: 'Fleet' },
  { id: 'overview', label: 'Overview' },
  { id: 'interactions', label: 'Interactions' },
  { id: 'gateway', label: 'Gateway' },
  { id: 'rest', label: 'REST' },
  { id: 'health', label: 'Health' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'grafana', label: 'Grafana' },
  { id: 'setup', label: 'Setup' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

/** `#/gateway`, `#gateway`, `#/gateway?x`, `#/analytics/<id>` → the section; anything else → overview. */
export function routeOf(hash: string): SectionId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0]?.toLowerCase() ?? '';
  return (SECTIONS.find((s) => s.id === id)?.id ?? 'overview') as SectionId;
}

function useRoute() {
  const [route, setRoute] = createSignal<SectionId>(routeOf(location.hash));
  const onHash = () => setRoute(routeOf(location.hash));
  window.addEventListener('hashchange', onHash);
  onCleanup(() => window.removeEventListener('hashchange', onHash));
  return route;
}

/**
 * What a section waits for: the first frame (live data), the config (analytics: whether it is on)
 * or nothing (Grafana).
 */
type Needs = 'frames' | 'config' | 'nothing';

function needsOf(route: SectionId): Needs {
  return route === 'grafana' ? 'nothing' : route === 'analytics' || route === 'fleet' ? 'config' : 'frames';
}

/** The token prompt on 401; until what the section needs arrived, a waiting or offline message. */
function DataGate(props: { children: JSX.Element; needs: Needs }) {
  const dash = useDashboard();
  return (
    <Switch>
      <Match when={dash.state().phase === 'auth'}>
        <TokenPrompt reason={dash.state().auth} onSubmit={(t) => dash.submitToken(t)} />
      </Match>
      <Match
        when={
          props.needs === 'frames'
            ? dash.frames().length === 0
            : props.needs === 'config' && dash.config() === null
        }
      >
        <Show
          when={dash.state().status === 'offline'}
          fallback={
            <div class="panel waiting" data-testid="waiting">
              <Show
                when={props.needs === 'frames'}
                fallback={
                  <>
                    <h2>Connecting to the bot…</h2>
                    <p>Reading its configuration.</p>
                  </>
                }
              >
                <h2>Waiting for the first snapshot…</h2>
                <p>Argus sends one as soon as the connection opens.</p>
              </Show>
            </div>
          }
        >
          <div class="panel waiting" data-testid="offline-message">
            <h2>Cannot reach the bot</h2>
            <p>The bot is not answering{dash.state().error ? ` (${dash.state().error})` : ''}. Retrying…</p>
          </div>
        </Show>
      </Match>
      <Match when={true}>{props.children}</Match>
    </Switch>
  );
}

export function App(props: { dashboard: Dashboard }) {
  const dash = props.dashboard;
  const route = useRoute();
  // The setup page makes no request at all: the transport starts with the first data section.
  createEffect(() => {
    if (route() !== 'setup') dash.ensureStarted();
  });
  onCleanup(() => dash.stop());

  return (
    <DashboardContext.Provider value={dash}>
      <div class="shell">
        <header class="topbar">
          <a class="brand" href="#/overview">
            <span class="brand-mark" aria-hidden="true">
              ◉
            </span>{' '}
            Argus
          </a>
          <nav class="nav" aria-label="Sections">
            <For each={SECTIONS.filter((s) => s.id !== 'fleet' || dash.config()?.fleet === true)}>
              {(s) => (
                <a
                  href={`#/${s.id}`}
                  data-testid={`nav-${s.id}`}
                  classList={{ active: route() === s.id }}
                  aria-current={route() === s.id ? 'page' : undefined}
                >
                  {s.label}
                </a>
              )}
            </For>
          </nav>
          <div class="controls">
            {/* Live-data choices: analytics has its own window (days) and is per guild. */}
            <Show when={route() !== 'analytics' && dash.clusters().length > 1}>
              <label class="control">
                <span class="sr-only">Cluster</span>
                <select
                  data-testid="cluster-select"
                  value={dash.cluster() ?? ''}
                  onChange={(e) =>
                    dash.setCluster(e.currentTarget.value === '' ? null : e.currentTarget.value)
                  }
                >
                  <option value="">all clusters</option>
                  <For each={dash.clusters()}>{(c) => <option value={c}>{c}</option>}</For>
                </select>
              </label>
            </Show>
            <Show when={route() !== 'analytics'}>
              <label class="control">
                <span class="sr-only">Window</span>
                <select
                  data-testid="window-select"
                  value={String(dash.windowMs())}
                  onChange={(e) => dash.setWindowMs(Number(e.currentTarget.value))}
                >
                  <For each={WINDOWS}>{(w) => <option value={String(w.ms)}>last {w.label}</option>}</For>
                </select>
              </label>
            </Show>
            <Show when={route() !== 'setup'}>
              <ConnectionStatus />
            </Show>
            <Show when={dash.state().hasToken}>
              <button
                type="button"
                class="sign-out"
                data-testid="sign-out"
                onClick={() => dash.signOut()}
                title="Forget the dashboard token in this browser"
              >
                Sign out
              </button>
            </Show>
            <button
              type="button"
              class="icon"
              data-testid="theme-toggle"
              data-theme={dash.theme()}
              onClick={() => dash.toggleTheme()}
              title={dash.theme() === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
              aria-label={dash.theme() === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
            >
              {dash.theme() === 'dark' ? '☀' : '☾'}
            </button>
          </div>
        </header>
        <main class="main">
          <Show when={route() !== 'setup'}>
            <StaleBanner />
          </Show>
          <Switch>
            <Match when={route() === 'setup'}>
              <Setup />
            </Match>
            <Match when={true}>
              <DataGate
                needs={route() === 'fleet' && dash.config()?.fleet !== true ? 'frames' : needsOf(route())}
              >
                <Switch>
                  <Match when={route() === 'fleet' && dash.config()?.fleet === true}>
                    <Fleet />
                  </Match>
                  <Match when={route() === 'overview' || route() === 'fleet'}>
                    <Overview />
                  </Match>
                  <Match when={route() === 'interactions'}>
                    <Interactions />
                  </Match>
                  <Match when={route() === 'gateway'}>
                    <Gateway />
                  </Match>
                  <Match when={route() === 'rest'}>
                    <Rest />
                  </Match>
                  <Match when={route() === 'health'}>
                    <Health />
                  </Match>
                  <Match when={route() === 'analytics'}>
                    <Analytics />
                  </Match>
                  <Match when={route() === 'grafana'}>
                    <Grafana />
                  </Match>
                </Switch>
              </DataGate>
            </Match>
          </Switch>
        </main>
        <footer class="footer">
          <Show when={dash.config()}>
            {(c) => (
              <span>
                Argus {c().version ? `v${c().version}` : ''} · namespace <code>{c().namespace}</code> · every{' '}
                {c().intervalSeconds} s · <a href={c().metricsPath}>{c().metricsPath}</a>
              </span>
            )}
          </Show>
        </footer>
      </div>
    </DashboardContext.Provider>
  );
}
