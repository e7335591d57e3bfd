import { createMemo, createSignal, For, Show } from 'solid-js';
import { Section } from '../components/Panel';
import {
  DEFAULT_CHOICES,
  generate,
  HOSTINGS,
  type Hosting,
  randomToken,
  type SetupChoices,
} from '../lib/setup';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers or an insecure origin (plain http on a LAN address): select-and-copy.
    try {
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      return ok;
    } catch {
      return false;
    }
  }
}

function CopyButton(props: { text: string; testid: string }) {
  const [done, setDone] = createSignal<'idle' | 'ok' | 'failed'>('idle');
  const click = async () => {
    setDone((await copyText(props.text)) ? 'ok' : 'failed');
    setTimeout(() => setDone('idle'), 1500);
  };
  return (
    <button type="button" class="small" data-testid={props.testid} onClick={click}>
      {done() === 'ok' ? 'Copied' : done() === 'failed' ? 'Select and copy' : 'Copy'}
    </button>
  );
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const slug = (name: string) => name.replace(/^\./, 'dot-').replace(/[^a-zA-Z0-9-]+/g, '-');

/**
 * Builds a ready `.env` and the files for the chosen hosting, entirely in this page: nothing here
 * makes a network request, so the bot token never leaves the browser.
 */
export function Setup() {
  const [choices, setChoices] = createSignal<SetupChoices>({ ...DEFAULT_CHOICES });
  const [showToken, setShowToken] = createSignal(false);
  const set = <K extends keyof SetupChoices>(key: K, value: SetupChoices[K]) =>
    setChoices({ ...choices(), [key]: value });
  const result = createMemo(() => generate(choices()));
  const others = () => result().files.slice(1);

  return (
    <Section name="setup" title="Setup">
      <p class="lead">
        Answer a few questions and get a ready <code>.env</code> and the files to run your discord.js bot with
        Argus. Everything is generated in this page; nothing you type is sent anywhere.
      </p>
      <div class="setup">
        <form class="panel setup-form" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Where does the bot run?</legend>
            <div class="choices">
              <For each={HOSTINGS}>
                {(h) => (
                  <label class="choice" classList={{ active: choices().hosting === h.id }}>
                    <input
                      type="radio"
                      name="hosting"
                      value={h.id}
                      data-testid={`setup-hosting-${h.id}`}
                      checked={choices().hosting === h.id}
                      onChange={() => set('hosting', h.id as Hosting)}
                    />
                    <span>
                      <strong>{h.label}</strong>
                      <small>{h.hint}</small>
                    </span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>
          <label>
            <span>Discord bot token</span>
            <span class="row">
              <input
                data-testid="setup-token"
                type={showToken() ? 'text' : 'password'}
                autocomplete="off"
                spellcheck={false}
                placeholder="leave empty to paste it into .env later"
                value={choices().discordToken}
                onInput={(e) => set('discordToken', e.currentTarget.value)}
              />
              <button type="button" class="small" onClick={() => setShowToken(!showToken())}>
                {showToken() ? 'Hide' : 'Show'}
              </button>
            </span>
            <Show when={result().errors.discordToken}>
              <small class="error-text">{result().errors.discordToken}</small>
            </Show>
          </label>
          <Show when={choices().hosting !== 'panel'}>
            <label>
              <span>Port for metrics and this dashboard</span>
              <input
                data-testid="setup-port"
                inputmode="numeric"
                value={choices().port}
                onInput={(e) => set('port', e.currentTarget.value)}
              />
              <Show when={result().errors.port}>
                <small class="error-text">{result().errors.port}</small>
              </Show>
            </label>
          </Show>
          <Show when={choices().hosting === 'panel'}>
            <p class="hint">The panel assigns the port (SERVER_PORT); Argus picks it up by itself.</p>
          </Show>
          <label>
            <span>Metric prefix (namespace)</span>
            <input
              data-testid="setup-namespace"
              value={choices().namespace}
              onInput={(e) => set('namespace', e.currentTarget.value)}
            />
          </label>
          <label>
            <span>Cluster id (optional: names this bot process)</span>
            <input
              data-testid="setup-cluster"
              placeholder="default"
              value={choices().clusterId}
              onInput={(e) => set('clusterId', e.currentTarget.value)}
            />
          </label>
          <label>
            <span>Dashboard token (recommended)</span>
            <span class="row">
              <input
                data-testid="setup-dashboard-token"
                autocomplete="off"
                spellcheck={false}
                value={choices().dashboardToken}
                onInput={(e) => set('dashboardToken', e.currentTarget.value)}
              />
              <button
                type="button"
                class="small"
                data-testid="setup-generate-dashboard-token"
                onClick={() => set('dashboardToken', randomToken())}
              >
                Generate
              </button>
            </span>
          </label>
          <label>
            <span>Metrics token (optional: Prometheus sends it)</span>
            <span class="row">
              <input
                data-testid="setup-metrics-token"
                autocomplete="off"
                spellcheck={false}
                value={choices().metricsToken}
                onInput={(e) => set('metricsToken', e.currentTarget.value)}
              />
              <button
                type="button"
                class="small"
                data-testid="setup-generate-metrics-token"
                onClick={() => set('metricsToken', randomToken())}
              >
                Generate
              </button>
            </span>
          </label>
          <label>
            <span>Alert webhook (optional: a Discord channel gets alerts and an error digest)</span>
            <input
              data-testid="setup-alert-webhook"
              autocomplete="off"
              spellcheck={false}
              placeholder="https://discord.com/api/webhooks/…"
              value={choices().alertWebhookUrl}
              onInput={(e) => set('alertWebhookUrl', e.currentTarget.value)}
            />
            <Show when={result().errors.alertWebhookUrl}>
              <small class="error-text" data-testid="setup-alert-webhook-error">
                {result().errors.alertWebhookUrl}
              </small>
            </Show>
          </label>
        </form>

        <div class="setup-output">
          <Show when={result().warnings.length > 0}>
            <ul class="banner banner-warn warnings" data-testid="setup-warnings">
              <For each={result().warnings}>{(w) => <li>{w}</li>}</For>
            </ul>
          </Show>
          <div class="panel">
            <div class="panel-title">
              <span>Steps</span>
            </div>
            <ol class="steps" data-testid="setup-steps">
              <For each={result().steps}>{(s) => <li>{s}</li>}</For>
            </ol>
          </div>
          <div class="panel file">
            <div class="panel-title">
              <span class="mono">.env</span>
              <span class="row">
                <CopyButton text={result().env} testid="copy-env" />
                <button type="button" class="small" onClick={() => download('.env', result().env)}>
                  Download
                </button>
              </span>
            </div>
            <pre class="code" data-testid="setup-env-output">
              {result().env}
            </pre>
          </div>
          <div class="panel file">
            <div class="panel-title">
              <span>Already have a bot? Add these two lines</span>
              <CopyButton text={result().integration} testid="copy-integration" />
            </div>
            <pre class="code" data-testid="setup-integration">
              {result().integration}
            </pre>
          </div>
          <For each={others()}>
            {(f) => (
              <div class="panel file">
                <div class="panel-title">
                  <span class="mono">{f.name}</span>
                  <span class="row">
                    <CopyButton text={f.content} testid={`copy-${slug(f.name)}`} />
                    <button type="button" class="small" onClick={() => download(f.name, f.content)}>
                      Download
                    </button>
                  </span>
                </div>
                <pre class="code" data-testid={`setup-file-${slug(f.name)}`}>
                  {f.content}
                </pre>
              </div>
            )}
          </For>
        </div>
      </div>
    </Section>
  );
}
