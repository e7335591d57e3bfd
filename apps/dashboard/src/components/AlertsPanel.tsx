import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { type AlertItem, type AlertsData, fmtSince, parseAlerts } from '../lib/alerts';
import { useDashboard } from '../state';
import { Panel } from './Panel';

/** How often the panel asks the bot for its alerts. */
const POLL_MS = 5_000;

function tone(a: AlertItem): string {
  if (a.status === 'resolved') return 'pill-good';
  if (a.status === 'pending') return 'pill-warn';
  return a.severity === 'critical' ? 'pill-bad' : 'pill-warn';
}

/**
 * Active and recently resolved alerts of the bot's in-process evaluator (`/api/alerts`). Hidden
 * when the bot serves no alerts (alerts off, or an older bot).
 */
export function AlertsPanel(props: { testid: string }) {
  const dash = useDashboard();
  const [data, setData] = createSignal<AlertsData | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  const load = async () => {
    try {
      const res = await dash.get('/api/alerts');
      if (res.status === 404) {
        setData(null);
        if (timer) clearInterval(timer);
        return;
      }
      if (res.ok) setData(parseAlerts(await res.json()));
    } catch {
      // Offline for a moment: keep what is shown; the next poll tries again.
    }
  };
  onMount(() => {
    void load();
    timer = setInterval(() => void load(), POLL_MS);
  });
  onCleanup(() => {
    if (timer) clearInterval(timer);
  });
  const row = (a: AlertItem) => (
    <li class="alert-row" data-alert={a.alert} data-status={a.status}>
      <span class={`pill ${tone(a)}`}>{a.status === 'firing' ? a.severity : a.status}</span>
      <span class="alert-summary">{a.summary}</span>
      <span class="hint">
        {a.status === 'resolved' && a.resolvedAt !== null
          ? `resolved ${fmtSince(a.resolvedAt, dash.now())}`
          : `since ${fmtSince(a.activeAt, dash.now())}`}
      </span>
    </li>
  );
  return (
    <Show when={data()}>
      {(d) => (
        <div data-testid={props.testid}>
          <Panel
            title="Alerts"
            hint={d().webhook ? 'evaluated in the bot · sent to the Discord webhook' : 'evaluated in the bot'}
          >
            <Show
              when={d().active.length > 0}
              fallback={
                <p class="empty" data-testid={`${props.testid}-none`}>
                  No alert is pending or firing.
                </p>
              }
            >
              <ul class="alert-list" data-testid={`${props.testid}-active`}>
                <For each={d().active}>{row}</For>
              </ul>
            </Show>
            <Show when={d().recent.length > 0}>
              <ul class="alert-list alert-recent" data-testid={`${props.testid}-recent`}>
                <For each={d().recent.slice(0, 5)}>{row}</For>
              </ul>
            </Show>
          </Panel>
        </div>
      )}
    </Show>
  );
}
