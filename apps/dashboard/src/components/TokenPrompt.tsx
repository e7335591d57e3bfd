import { createSignal, Match, Switch } from 'solid-js';
import type { AuthReason } from '../lib/transport';

/** Asks for the dashboard token (on 401 or after a sign-out); says why it asks. */
export function TokenPrompt(props: { reason: AuthReason | null; onSubmit: (token: string) => void }) {
  const [value, setValue] = createSignal('');
  const submit = (e: Event) => {
    e.preventDefault();
    const t = value().trim();
    if (t !== '') props.onSubmit(t);
  };
  return (
    <form class="panel token-prompt" data-testid="token-prompt" onSubmit={submit}>
      <h2>Dashboard token needed</h2>
      <Switch
        fallback={<p>This dashboard is protected. Enter the token set in ARGUS_DASHBOARD_AUTH_TOKEN.</p>}
      >
        <Match when={props.reason === 'rejected'}>
          <p class="error-text" data-testid="token-rejected">
            The token was rejected (it may have changed). Enter the current dashboard token.
          </p>
        </Match>
        <Match when={props.reason === 'signed-out'}>
          <p data-testid="token-signed-out">Signed out: this browser no longer keeps the token.</p>
        </Match>
      </Switch>
      <label>
        <span>Token</span>
        <input
          data-testid="token-input"
          type="password"
          autocomplete="current-password"
          spellcheck={false}
          value={value()}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="primary" data-testid="token-submit" disabled={value().trim() === ''}>
        Open the dashboard
      </button>
      <p class="hint">The token stays in this browser (localStorage) and is only sent to this bot.</p>
    </form>
  );
}
