import { type JSX, Show } from 'solid-js';
import { Sparkline } from './Sparkline';

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/**
 * One number with a label and an optional trend. `testid` is `stat-<name>`; the raw value is in
 * `data-value` (empty when unknown) and the formatted one in `[data-testid=stat-<name>-value]`.
 */
export function StatCard(props: {
  testid: string;
  label: string;
  value: string;
  raw: number | null;
  sub?: JSX.Element;
  spark?: readonly (number | null)[];
  tone?: Tone;
  title?: string;
}) {
  return (
    <div
      class={`panel stat tone-${props.tone ?? 'neutral'}`}
      data-testid={props.testid}
      data-value={props.raw === null || !Number.isFinite(props.raw) ? '' : String(props.raw)}
      title={props.title}
    >
      <div class="stat-label">{props.label}</div>
      <div class="stat-value" data-testid={`${props.testid}-value`}>
        {props.value}
      </div>
      <Show when={props.sub}>
        <div class="stat-sub">{props.sub}</div>
      </Show>
      <Show when={props.spark}>
        <Sparkline values={props.spark!} label={`${props.label} trend`} />
      </Show>
    </div>
  );
}

/** Higher is worse: tone from warn/bad thresholds. */
export function toneAbove(v: number | null, warn: number, bad: number): Tone {
  if (v === null || !Number.isFinite(v)) return 'neutral';
  return v >= bad ? 'bad' : v >= warn ? 'warn' : 'good';
}

/** Lower is worse. */
export function toneBelow(v: number | null, warn: number, bad: number): Tone {
  if (v === null || !Number.isFinite(v)) return 'neutral';
  return v <= bad ? 'bad' : v <= warn ? 'warn' : 'good';
}
