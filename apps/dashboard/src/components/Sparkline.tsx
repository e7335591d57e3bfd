import { createMemo, Show } from 'solid-js';

/** A tiny SVG line of the last minutes (null values break the line). */
export function Sparkline(props: { values: readonly (number | null)[]; label?: string }) {
  const path = createMemo(() => {
    const vs = props.values;
    const finite = vs.filter((v): v is number => v !== null && Number.isFinite(v));
    if (finite.length < 2) return '';
    let min = Math.min(...finite);
    let max = Math.max(...finite);
    if (max === min) {
      // A flat series sits in the middle.
      min -= 1;
      max += 1;
    }
    const n = vs.length;
    let d = '';
    let pen = false;
    vs.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      const x = n === 1 ? 50 : (i / (n - 1)) * 100;
      const y = 22 - ((v - min) / (max - min)) * 20;
      d += `${pen ? 'L' : 'M'}${x.toFixed(2)} ${y.toFixed(2)}`;
      pen = true;
    });
    return d;
  });
  return (
    <Show when={path() !== ''} fallback={<div class="spark spark-empty" aria-hidden="true" />}>
      <svg
        class="spark"
        viewBox="0 0 100 24"
        preserveAspectRatio="none"
        role="img"
        aria-label={props.label ?? 'trend'}
      >
        <path
          d={path()}
          fill="none"
          stroke="currentColor"
          stroke-width="1.5"
          vector-effect="non-scaling-stroke"
        />
      </svg>
    </Show>
  );
}
