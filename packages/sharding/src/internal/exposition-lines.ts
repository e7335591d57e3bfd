// The line scan both readers of a child's Prometheus text share: the manager's render
// (exposition.ts) and the dashboard's snapshot (fleet-snapshot.ts) must agree on what a line is.

export type ExpositionHeaderKind = 'HELP' | 'TYPE';

export interface ExpositionLineHandler {
  /**
   * A `# HELP` or `# TYPE` line: the line itself, its kind, the family it names and what follows
   * the name as written, escapes and all (`''` when nothing does).
   */
  header(line: string, kind: ExpositionHeaderKind, family: string, detail: string): void;
  /** A line that is neither empty nor a comment; whether it parses is the caller's business. */
  sample(line: string): void;
}

/** Hands each line of `text` to `handler`, in order; empty lines and other comments are skipped. */
export function scanExpositionLines(text: string, handler: ExpositionLineHandler): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const rest = line.slice(7);
      const cut = rest.indexOf(' ');
      handler.header(
        line,
        line[2] === 'H' ? 'HELP' : 'TYPE',
        cut === -1 ? rest : rest.slice(0, cut),
        cut === -1 ? '' : rest.slice(cut + 1),
      );
      continue;
    }
    if (line.startsWith('#')) continue;
    handler.sample(line);
  }
}
