import { createMemo, For, onCleanup, Show } from 'solid-js';
import { Chart, type ChartData } from '../components/Chart';
import { type Column, DataTable } from '../components/DataTable';
import { Panel, Section } from '../components/Panel';
import { StatCard, toneAbove, toneBelow } from '../components/StatCard';
import {
  type CommandStat,
  daySeconds,
  type GuildAnalytics,
  isEmpty,
  MAX_QUERY_LENGTH,
  WINDOW_DAYS,
} from '../lib/analytics';
import { browserAnalyticsEnv, createAnalyticsStore } from '../lib/analytics-store';
import { fmtCount, fmtMs, fmtPercent } from '../lib/format';
import { useDashboard } from '../state';

const TOP_COMMANDS = 10;

/** Milliseconds as the formatters take them (seconds). */
const sec = (ms: number | null) => (ms === null ? null : ms / 1000);
const windowText = (days: number) => (days === 1 ? 'last 24 hours' : `last ${days} days`);
/** Errors / commands of a guild row; null without commands. */
const errorShare = (errors: number, commands: number) => (commands > 0 ? errors / commands : null);

const COMMAND_COLUMNS: Column<CommandStat>[] = [
  { head: 'Command', mono: true, cell: (c) => c.command },
  { head: 'Count', num: true, cell: (c) => fmtCount(c.count) },
  { head: 'Errors', num: true, bad: (c) => c.errors > 0, cell: (c) => fmtCount(c.errors) },
  { head: 'Error %', num: true, bad: (c) => c.errorRatio >= 0.05, cell: (c) => fmtPercent(c.errorRatio) },
  { head: 'Avg', title: 'Average handler duration', num: true, cell: (c) => fmtMs(sec(c.avgMs)) },
  { head: 'p95', title: 'Handler duration, 95th percentile', num: true, cell: (c) => fmtMs(sec(c.p95Ms)) },
];

export function Analytics() {
  const dash = useDashboard();
  const enabled = createMemo(() => dash.config()?.sections.analytics === true);
  return (
    <Section name="analytics" title="Analytics">
      <Show when={enabled()} fallback={<AnalyticsOff />}>
        <AnalyticsView />
      </Show>
    </Section>
  );
}

function AnalyticsOff() {
  return (
    <div class="panel guide" data-testid="analytics-off">
      <h2>Per-guild analytics is off</h2>
      <p>
        With it on, this page answers per guild over up to 90 days: the busiest guilds, interactions per day,
        the most used commands with their errors and durations, and the share answered within Discord's 3 s.
      </p>
      <p>
        <strong>Per-guild data never goes to Prometheus</strong>: it is written to ClickHouse only, so{' '}
        <code>/metrics</code> stays small.
      </p>
      <p>To turn it on, set these on the bot and restart it:</p>
      <pre class="code">
        {
          'ARGUS_ENABLE_PER_GUILD=true\nARGUS_CLICKHOUSE_DSN=embedded\nARGUS_DASHBOARD_AUTH_TOKEN=<a long random secret>'
        }
      </pre>
      <ul>
        <li>
          <code>ARGUS_CLICKHOUSE_DSN=embedded</code> runs the analytics engine inside the bot's process; it
          needs the <code>chdb</code> package next to <code>@argus/clickhouse</code> (
          <code>npm install @argus/clickhouse chdb</code>). Or give the <code>http://</code> or{' '}
          <code>https://</code> URL of a ClickHouse server, credentials in the URL.
        </li>
        <li>
          <code>ARGUS_DASHBOARD_AUTH_TOKEN</code> is required: without a dashboard token the bot refuses every
          analytics request, so per-guild data is never open to whoever reaches the port.
        </li>
      </ul>
    </div>
  );
}

function AnalyticsView() {
  const dash = useDashboard();
  const store = createAnalyticsStore(browserAnalyticsEnv((path) => dash.get(path)));
  onCleanup(() => store.dispose());
  const { days, guildId, top, topFailure, guildLoading, current, title, text, matches, failure } = store;

  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return store.clearSearch();
    if (e.key !== 'Enter') return;
    e.preventDefault();
    store.enter();
  };

  const volume = createMemo<ChartData>(() => {
    const v = current()?.volume ?? [];
    return {
      x: v.map((d) => daySeconds(d.day)),
      series: [{ label: 'interactions', values: v.map((d) => d.interactions) }],
    };
  });
  const topCommands = createMemo(() => {
    const rows = (current()?.commands ?? []).slice(0, TOP_COMMANDS);
    const max = Math.max(1, ...rows.map((c) => c.count));
    return rows.map((c) => ({ ...c, width: (c.count / max) * 100, errorWidth: (c.errors / max) * 100 }));
  });

  return (
    <>
      <div class="analytics-bar">
        <label class="inline-control">
          <span>Window</span>
          <select
            data-testid="analytics-window"
            value={String(days())}
            onChange={(e) => {
              store.setDays(Number(e.currentTarget.value));
            }}
          >
            <For each={WINDOW_DAYS}>{(d) => <option value={String(d)}>{windowText(d)}</option>}</For>
          </select>
        </label>
        <span class="hint">Per guild, by UTC day, from the analytics store; refreshed every minute.</span>
      </div>

      <Show when={failure()}>
        {(f) => (
          <div class="banner banner-error" role="alert" data-testid="analytics-error" data-error={f().kind}>
            <span>
              {f().message}
              <Show when={f().detail}>
                <span class="hint"> ({f().detail})</span>
              </Show>
            </span>
            <Show when={f().retry}>
              <button
                type="button"
                class="small"
                data-testid="analytics-retry"
                onClick={() => void store.retry()}
              >
                Retry
              </button>
            </Show>
          </div>
        )}
      </Show>

      {/* Two columns: search and busiest guilds on the left, the guild on the right. One column
          (phones): search, the guild, then the busiest guilds. */}
      <div class="analytics">
        <div class="analytics-search">
          <Panel title="Find a guild">
            <input
              type="search"
              class="guild-search"
              data-testid="analytics-guild-search"
              placeholder="Guild name or id"
              aria-label="Find a guild by name, or by id and Enter"
              autocomplete="off"
              spellcheck={false}
              maxLength={MAX_QUERY_LENGTH}
              value={text()}
              onInput={(e) => store.input(e.currentTarget.value)}
              onKeyDown={onSearchKey}
            />
            <p class="hint">Part of a name, or a guild id and Enter.</p>
            <Show when={matches()}>
              {(m) => (
                <Show
                  when={m().length > 0}
                  fallback={
                    <p class="empty" data-testid="analytics-guild-matches-empty">
                      No guild matches.
                    </p>
                  }
                >
                  <ul class="guild-list" data-testid="analytics-guild-matches">
                    <For each={m()}>
                      {(g) => (
                        <li>
                          <button
                            type="button"
                            class="guild-row"
                            data-testid="analytics-guild-match"
                            data-guild-id={g.guildId}
                            onClick={() => store.select(g.guildId)}
                          >
                            <span class="guild-name">{g.name ?? g.guildId}</span>
                            <span class="mono hint">{g.guildId}</span>
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              )}
            </Show>
          </Panel>
        </div>

        <div class="analytics-guild">
          <Show
            when={guildId()}
            fallback={
              <div class="panel">
                <p class="empty" data-testid="analytics-pick">
                  Pick a guild: search by name or id, or choose one of the busiest.
                </p>
              </div>
            }
          >
            {(id) => (
              <>
                <div class="panel guild-title">
                  <h2 data-testid="analytics-guild" data-guild-id={id()}>
                    {title()}
                  </h2>
                  <Show when={title() !== id()}>
                    <span class="mono hint">{id()}</span>
                  </Show>
                  <span class="hint">
                    {windowText(days())}
                    {guildLoading() ? ' · loading…' : ''}
                  </span>
                </div>
                <Show when={current()}>
                  {(g) => (
                    <Show
                      when={!isEmpty(g())}
                      fallback={
                        <div class="panel">
                          <p class="empty" data-testid="analytics-empty">
                            No interactions from this guild in the {windowText(days())}.
                          </p>
                        </div>
                      }
                    >
                      <GuildFigures g={g()} volume={volume()} topCommands={topCommands()} />
                    </Show>
                  )}
                </Show>
              </>
            )}
          </Show>
        </div>

        <div class="analytics-top">
          <Panel title="Busiest guilds" hint={windowText(days())}>
            <Show when={top()} fallback={<p class="empty">{topFailure() ? 'Not available.' : 'Loading…'}</p>}>
              {(t) => (
                <Show
                  when={t().rows.length > 0}
                  fallback={
                    <p class="empty" data-testid="analytics-top-guilds-empty">
                      No interactions in this window.
                    </p>
                  }
                >
                  <div class="guild-row guild-head" aria-hidden="true">
                    <span class="num">Interactions</span>
                    <span class="num">Commands</span>
                    <span class="num">Errors</span>
                  </div>
                  <ol class="guild-list" data-testid="analytics-top-guilds">
                    <For each={t().rows}>
                      {(g) => {
                        const share = errorShare(g.errors, g.commands);
                        return (
                          <li>
                            <button
                              type="button"
                              class="guild-row top"
                              data-testid="analytics-top-guild"
                              data-guild-id={g.guildId}
                              aria-pressed={guildId() === g.guildId}
                              aria-label={`${g.name ?? g.guildId}: ${fmtCount(g.interactions)} interactions, ${fmtCount(g.commands)} commands, ${fmtPercent(share, 1)} errors`}
                              onClick={() => store.select(g.guildId)}
                            >
                              <span class="guild-name" title={g.name === null ? undefined : g.name}>
                                {g.name ?? g.guildId}
                              </span>
                              <span class="num">{fmtCount(g.interactions)}</span>
                              <span class="num">{fmtCount(g.commands)}</span>
                              <span class="num" classList={{ bad: share !== null && share >= 0.05 }}>
                                {fmtPercent(share, 1)}
                              </span>
                            </button>
                          </li>
                        );
                      }}
                    </For>
                  </ol>
                </Show>
              )}
            </Show>
          </Panel>
        </div>
      </div>
    </>
  );
}

function GuildFigures(props: {
  g: GuildAnalytics;
  volume: ChartData;
  topCommands: (CommandStat & { width: number; errorWidth: number })[];
}) {
  const o = () => props.g.overall;
  const s = () => props.g.share;
  return (
    <>
      <div class="cards">
        <StatCard
          testid="analytics-stat-commands"
          label="Commands"
          value={fmtCount(o().commands)}
          raw={o().commands}
          sub={`${fmtCount(s().interactions)} interactions`}
        />
        <StatCard
          testid="analytics-stat-errors"
          label="Command errors"
          value={fmtPercent(o().errorRatio)}
          raw={o().errorRatio}
          tone={toneAbove(o().errorRatio, 0.01, 0.05)}
          sub={`${fmtCount(o().errors)} failed`}
        />
        <StatCard
          testid="analytics-stat-avg"
          label="Average duration"
          value={fmtMs(sec(o().avgMs))}
          raw={o().avgMs}
        />
        <StatCard
          testid="analytics-stat-p95"
          label="p95 duration"
          value={fmtMs(sec(o().p95Ms))}
          raw={o().p95Ms}
          tone={toneAbove(o().p95Ms, 1000, 2500)}
        />
        <StatCard
          testid="analytics-stat-within-deadline"
          label={`Answered within ${s().deadlineMs / 1000} s`}
          value={fmtPercent(s().share)}
          raw={s().share}
          tone={toneBelow(s().share, 0.99, 0.95)}
          sub={`${fmtCount(s().withinDeadline)} of ${fmtCount(s().interactions)}`}
        />
      </div>

      <Chart
        testid="analytics-volume-chart"
        title="Interactions per day (UTC)"
        unit="count"
        xLabel="day (UTC)"
        yLabel="interactions"
        utc
        points
        summary="total"
        data={props.volume}
        empty="No interactions in this window."
      />

      <div class="charts">
        <Panel title="Top commands">
          <Show
            when={props.topCommands.length > 0}
            fallback={
              <p class="empty" data-testid="analytics-top-commands-empty">
                No commands in this window.
              </p>
            }
          >
            <ol class="bars" data-testid="analytics-top-commands">
              <For each={props.topCommands}>
                {(c) => (
                  <li data-command={c.command} data-count={String(c.count)}>
                    <span class="bar-label mono" title={c.command}>
                      {c.command}
                    </span>
                    <span class="bar" aria-hidden="true">
                      <span class="bar-fill" style={{ width: `${c.width}%` }} />
                      <span class="bar-fill bad" style={{ width: `${c.errorWidth}%` }} />
                    </span>
                    <span class="bar-value">{fmtCount(c.count)}</span>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Panel>
        <Panel title="Per command">
          <DataTable
            testid="analytics-command-table"
            rows={props.g.commands}
            columns={COMMAND_COLUMNS}
            empty="No commands in this window."
            rowAttrs={(c) => ({ 'data-command': c.command })}
          />
        </Panel>
      </div>
    </>
  );
}
