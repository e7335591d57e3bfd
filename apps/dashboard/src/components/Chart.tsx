import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisLabel, axisTick, formatUnit, type Unit } from '../lib/format';
import type { TimeSeries } from '../lib/series';
import { PALETTE } from '../lib/theme';
import { useDashboard } from '../state';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color?: string;
}

export interface ChartData {
  /** Seconds since the epoch. */
  x: number[];
  series: ChartSeries[];
}

/** One line per group of a time series, labelled by `label` (by default the group, or `all`). */
export function groupedChart(ts: TimeSeries, label = (group: string) => group || 'all'): ChartData {
  return { x: ts.x, series: [...ts.groups].map(([group, values]) => ({ label: label(group), values })) };
}

/** Whether this browser can draw on a canvas (jsdom cannot; charts then show a summary). */
function canvasWorks(): boolean {
  try {
    return !!document.createElement('canvas').getContext('2d');
  } catch {
    return false;
  }
}

/**
 * A theme colour as the canvas needs it: resolved by the browser, since the stylesheet may spell
 * it `light-dark(…)` (Vite's build compiles that away, the dev server does not).
 */
function themeColor(host: HTMLElement, name: string, fallback: string): string {
  const probe = document.createElement('i');
  probe.style.color = `var(${name}, ${fallback})`;
  host.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || fallback;
}

/** A labelled uPlot time-series panel; `testid` goes on the container (`chart-<name>`). */
export function Chart(props: {
  testid: string;
  title: string;
  unit: Unit;
  data: ChartData;
  height?: number;
  empty?: string;
  /** Axis labels: by default `time` and the unit's. */
  xLabel?: string;
  yLabel?: string;
  /** Dates on the x axis in UTC rather than the browser's zone (per-day data). */
  utc?: boolean;
  /** Dots on the values (few, sparse points). */
  points?: boolean;
  /** What the caption shows per series: the latest value (default) or the sum of all. */
  summary?: 'latest' | 'total';
}) {
  const dash = useDashboard();
  let host!: HTMLDivElement;
  let plot: uPlot | null = null;
  let shape = '';
  const [drawable, setDrawable] = createSignal(true);
  const hasData = () =>
    props.data.x.length > 1 && props.data.series.some((s) => s.values.some((v) => v !== null));
  const latest = (s: ChartSeries) => {
    for (let i = s.values.length - 1; i >= 0; i--) {
      const v = s.values[i];
      if (v !== null && v !== undefined) return v;
    }
    return null;
  };
  const total = (s: ChartSeries) => s.values.reduce<number>((a, v) => a + (v ?? 0), 0);

  const build = () => {
    plot?.destroy();
    plot = null;
    if (!host) return;
    const fg = themeColor(host, '--muted', '#667');
    const grid = themeColor(host, '--grid', 'rgba(128,128,128,0.15)');
    const unit = props.unit;
    const width = Math.max(200, host.clientWidth || 600);
    const opts: uPlot.Options = {
      width,
      height: props.height ?? 220,
      scales: { x: { time: true }, y: { range: (_u, min, max) => yRange(unit, min, max) } },
      ...(props.utc ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') } : {}),
      series: [
        { label: 'time' },
        ...props.data.series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 1.5,
          points: { show: props.points === true },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : formatUnit(unit, v)),
        })),
      ],
      axes: [
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          label: props.xLabel ?? 'time',
          labelSize: 18,
        },
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          label: props.yLabel ?? axisLabel(unit),
          labelSize: 18,
          size: 64,
          values: (_u, vals) => vals.map((v) => axisTick(unit, v)),
        },
      ],
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
    };
    plot = new uPlot(opts, toAligned(props.data), host);
    shape = shapeOf(props.data);
  };

  onMount(() => {
    if (!canvasWorks()) {
      setDrawable(false);
      return;
    }
    build();
    if (typeof ResizeObserver !== 'undefined') {
      const ro = new ResizeObserver(() => {
        if (plot && host.clientWidth > 0)
          plot.setSize({ width: host.clientWidth, height: props.height ?? 220 });
      });
      ro.observe(host);
      onCleanup(() => ro.disconnect());
    }
  });

  // New data: redraw in place; other series or another theme: rebuild.
  createEffect(
    on(
      () => [props.data, dash.theme()] as const,
      ([data], prev) => {
        if (!drawable() || !host) return;
        const themeChanged = prev !== undefined && prev[1] !== dash.theme();
        if (!plot || themeChanged || shapeOf(data) !== shape) build();
        else plot.setData(toAligned(data));
      },
      { defer: true },
    ),
  );

  onCleanup(() => {
    plot?.destroy();
    plot = null;
  });

  return (
    <figure class="panel chart" data-testid={props.testid}>
      <figcaption class="panel-title">
        <span>{props.title}</span>
        <span class="chart-latest">
          <For each={props.data.series.slice(0, 6)}>
            {(s, i) => (
              <span class="chart-latest-item">
                <i class="swatch" style={{ background: s.color ?? PALETTE[i() % PALETTE.length] }} />
                {s.label} {formatUnit(props.unit, props.summary === 'total' ? total(s) : latest(s))}
                {props.summary === 'total' ? ' in total' : ''}
              </span>
            )}
          </For>
        </span>
      </figcaption>
      <Show when={!hasData()}>
        <div class="chart-empty">{props.empty ?? 'No data in this period yet.'}</div>
      </Show>
      <div class="chart-canvas" ref={host} />
      <Show when={!drawable()}>
        <div class="chart-fallback">Charts need a canvas; latest values are shown above.</div>
      </Show>
    </figure>
  );
}

function shapeOf(d: ChartData): string {
  return d.series.map((s) => s.label).join('\u0000');
}

function toAligned(d: ChartData): uPlot.AlignedData {
  return [
    d.x,
    ...d.series.map((s) => s.values.map((v) => (v === null || Number.isFinite(v) ? v : null))),
  ] as uPlot.AlignedData;
}

function yRange(unit: Unit, min: number | null, max: number | null): uPlot.Range.MinMax {
  const lo = min ?? 0;
  const hi = max ?? 1;
  if (unit === 'percent') return [0, Math.max(hi, 0.01) * 1.1];
  // Rates, latencies, bytes and counts are never negative: start at 0 for honest shapes.
  const top = hi > lo ? hi : lo + 1;
  return [Math.min(0, lo), top * 1.1];
}
