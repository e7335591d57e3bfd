import type { ReceivedSpan } from './otlp-receiver';

/** One line per span, children indented under their parent in start order: names, kind, status. */
export function spanTree(spans: readonly ReceivedSpan[]): string {
  const KIND = ['?', 'internal', 'server', 'client'];
  const byParent = new Map<string, ReceivedSpan[]>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const span of spans) {
    const parent = ids.has(span.parentSpanId) ? span.parentSpanId : '';
    const list = byParent.get(parent) ?? [];
    list.push(span);
    byParent.set(parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    const children = [...(byParent.get(parent) ?? [])].sort((a, b) =>
      a.startNs === b.startNs ? 0 : a.startNs < b.startNs ? -1 : 1,
    );
    for (const span of children) {
      const status = span.status.code === 2 ? ' ERROR' : '';
      const events = span.events.map((e) => e.name).join(', ');
      lines.push(
        `${'  '.repeat(depth)}${span.name} (${KIND[span.kind]}${status})${events ? ` [${events}]` : ''}`,
      );
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  return lines.join('\n');
}

export const ms = (ns: bigint) => Number(ns) / 1e6;
