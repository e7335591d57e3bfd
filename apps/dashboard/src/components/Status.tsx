import { Show } from 'solid-js';
import { STALE_INTERVALS } from '../lib/transport';
import { useDashboard } from '../state';

/** `live`, `polling`, `stale`, `offline` (or `connecting` before the first frame). */
export function ConnectionStatus() {
  const dash = useDashboard();
  const titles: Record<string, string> = {
    live: 'Live: snapshots stream in over Server-Sent Events',
    polling: 'Polling: the stream is unavailable, snapshots are fetched every interval',
    stale: 'Stale: no new data for a while',
    offline: 'Offline: the bot is not answering',
    connecting: 'Connecting to the bot',
  };
  return (
    <span
      class={`status status-${dash.state().status}`}
      data-testid="connection-status"
      data-status={dash.state().status}
      title={titles[dash.state().status]}
      role="status"
    >
      {dash.state().status}
    </span>
  );
}

/** Age of the newest data, in seconds (null before the first frame). */
export function dataAge(now: number, lastFrameAt: number | null): number | null {
  return lastFrameAt === null ? null : Math.max(0, (now - lastFrameAt) / 1000);
}

/** Shown when no frame arrived for more than 3 intervals. */
export function StaleBanner() {
  const dash = useDashboard();
  const age = () => dataAge(dash.now(), dash.state().lastFrameAt);
  const limit = () => STALE_INTERVALS * (dash.config()?.intervalSeconds ?? 5);
  const show = () => {
    const a = age();
    return a !== null && a > limit();
  };
  return (
    <Show when={show()}>
      <div class="banner banner-warn" data-testid="stale-banner" role="alert">
        <strong>Stale:</strong> data is {Math.round(age() ?? 0)} s old.{' '}
        {dash.state().status === 'offline'
          ? `The bot is not answering${dash.state().error ? ` (${dash.state().error})` : ''}; retrying.`
          : 'Waiting for new snapshots.'}
      </div>
    </Show>
  );
}
