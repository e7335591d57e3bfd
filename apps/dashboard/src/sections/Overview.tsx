import { createMemo, For, Show } from 'solid-js';
import { AlertsPanel } from '../components/AlertsPanel';
import { Section } from '../components/Panel';
import { StatCard, toneAbove, toneBelow } from '../components/StatCard';
import { fmtBytes, fmtCount, fmtMs, fmtPercent, fmtRate, fmtSeconds } from '../lib/format';
import { overview, overviewSparklines } from '../lib/stats/overview';
import { useDashboard } from '../state';

export function Overview() {
  const dash = useDashboard();
  const o = createMemo(() => overview(dash.input()));
  const spark = createMemo(() => overviewSparklines(dash.input()));
  const shardsTone = () => {
    const { shardsUp, shardsConfigured } = o();
    if (shardsUp === null || shardsConfigured === null) return 'neutral' as const;
    return shardsUp >= shardsConfigured
      ? ('good' as const)
      : shardsUp === 0
        ? ('bad' as const)
        : ('warn' as const);
  };
  return (
    <Section name="overview" title="Overview">
      <AlertsPanel testid="overview-alerts" />
      <div class="cards">
        <StatCard
          testid="stat-guilds"
          label="Guilds"
          value={fmtCount(o().guilds)}
          raw={o().guilds}
          spark={spark().guilds}
        />
        <StatCard
          testid="stat-shards"
          label="Shards up"
          value={`${fmtCount(o().shardsUp)} / ${fmtCount(o().shardsConfigured)}`}
          raw={o().shardsUp}
          tone={shardsTone()}
          spark={spark().shards}
        />
        <StatCard
          testid="stat-latency"
          label="Gateway latency (mean)"
          value={fmtMs(o().latencyMean)}
          raw={o().latencyMean}
          tone={toneAbove(o().latencyMean, 0.3, 1)}
          spark={spark().latency}
          sub={
            <span class="shard-latencies" data-testid="shard-latencies">
              <For each={o().latencyByShard.slice(0, 12)}>
                {(s) => (
                  <span>
                    #{s.shard} {fmtMs(s.seconds)}
                  </span>
                )}
              </For>
              <Show when={o().latencyByShard.length > 12}>
                <span>+{o().latencyByShard.length - 12} more</span>
              </Show>
            </span>
          }
        />
        <StatCard
          testid="stat-interactions-rate"
          label="Interactions"
          value={fmtRate(o().interactionsRate)}
          raw={o().interactionsRate}
          spark={spark().interactionsRate}
        />
        <StatCard
          testid="stat-error-ratio"
          label="Command errors"
          value={fmtPercent(o().errorRatio)}
          raw={o().errorRatio}
          tone={toneAbove(o().errorRatio, 0.01, 0.05)}
          spark={spark().errorRatio}
          title="Failed / all command invocations over the window"
        />
        <StatCard
          testid="stat-p50"
          label="Response p50"
          value={fmtSeconds(o().p50)}
          raw={o().p50}
          spark={spark().p50}
          title="Interaction receipt to initial response, median"
        />
        <StatCard
          testid="stat-p95"
          label="Response p95"
          value={fmtSeconds(o().p95)}
          raw={o().p95}
          tone={toneAbove(o().p95, 1, 2.5)}
          spark={spark().p95}
          title="Interaction receipt to initial response, 95th percentile"
        />
        <StatCard
          testid="stat-p99"
          label="Response p99"
          value={fmtSeconds(o().p99)}
          raw={o().p99}
          tone={toneAbove(o().p99, 2, 3)}
          spark={spark().p99}
        />
        <StatCard
          testid="stat-answered-3s"
          label="Answered within 3 s"
          value={fmtPercent(o().answered3s)}
          raw={o().answered3s}
          tone={toneBelow(o().answered3s, 0.99, 0.95)}
          spark={spark().answered3s}
          title="Discord drops interactions not answered within 3 seconds"
        />
        <StatCard
          testid="stat-event-loop"
          label="Event-loop delay (p99)"
          value={fmtSeconds(o().eventLoopLag)}
          raw={o().eventLoopLag}
          tone={toneAbove(o().eventLoopLag, 0.1, 0.5)}
          spark={spark().eventLoop}
        />
        <StatCard
          testid="stat-memory"
          label="Memory (resident)"
          value={fmtBytes(o().memory)}
          raw={o().memory}
          spark={spark().memory}
          sub={<span>heap used {fmtBytes(o().heapUsed)}</span>}
        />
        <StatCard testid="stat-uptime" label="Uptime" value={fmtSeconds(o().uptime)} raw={o().uptime} />
      </div>
      <p class="hint">
        Rates, ratios and percentiles cover the last {dash.windowMinutes()} min (see the window selector);
        trends show the buffered history.
      </p>
    </Section>
  );
}
