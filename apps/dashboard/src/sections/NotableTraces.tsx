import type { NotableTrace } from '@argus/core/wire';
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { Panel } from '../components/Panel';
import { fmtSeconds } from '../lib/format';
import { OUTCOME_LABELS, parseNotableTraces, traceLink } from '../lib/notable-traces';
import { useDashboard } from '../state';

/**
 * The newest failed, late and unanswered interactions with their traces (tracing on only), read
 * from `/api/traces` every dashboard interval; each opens in the trace UI when one is configured.
 */
export function NotableTraces() {
  const dash = useDashboard();
  const [traces, setTraces] = createSignal<NotableTrace[] | null>(null);
  const [failed, setFailed] = createSignal(false);
  const load = async () => {
    try {
      const res = await dash.get('/api/traces');
      if (!res.ok) {
        setFailed(true);
        return;
      }
      setTraces(parseNotableTraces(await res.json()));
      setFailed(false);
    } catch {
      setFailed(true);
    }
  };
  onMount(() => {
    void load();
    const timer = setInterval(() => void load(), (dash.config()?.intervalSeconds ?? 5) * 1000);
    onCleanup(() => clearInterval(timer));
  });
  const template = () => dash.config()?.traceUiUrl ?? null;

  return (
    <Panel
      title="Slow and failed interactions"
      hint={
        template()
          ? 'newest first; open one in your trace UI'
          : 'newest first; set ARGUS_TRACING_UI_URL for links'
      }
    >
      <Show when={!failed()} fallback={<p class="empty">Traces are unavailable right now.</p>}>
        <Show
          when={(traces() ?? []).length > 0}
          fallback={
            <p class="empty" data-testid="notable-traces-empty">
              No failed, late or unanswered interaction traced yet.
            </p>
          }
        >
          <div class="table-wrap">
            <table class="table" data-testid="notable-traces">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Command</th>
                  <th>What happened</th>
                  <th class="num">Took</th>
                  <th>Trace</th>
                </tr>
              </thead>
              <tbody>
                <For each={traces() ?? []}>
                  {(t) => {
                    const href = traceLink(template(), t.traceId);
                    return (
                      <tr data-testid="notable-trace" data-outcome={t.outcome}>
                        <td>{new Date(t.time).toLocaleTimeString()}</td>
                        <td>{t.type === 'application_command' ? `/${t.command}` : t.command}</td>
                        <td>{OUTCOME_LABELS[t.outcome]}</td>
                        <td class="num">{fmtSeconds(t.durationMs / 1000)}</td>
                        <td>
                          <Show when={href} fallback={<code>{t.traceId}</code>}>
                            <a href={href!} target="_blank" rel="noopener noreferrer">
                              <code>{t.traceId.slice(0, 12)}…</code>
                            </a>
                          </Show>
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Show>
    </Panel>
  );
}
