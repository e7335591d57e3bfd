// A child's Prometheus text, split into families once when it arrives, so the manager's render
// is a concatenation: HELP/TYPE once per family, every child's samples under it.

import { scanExpositionLines } from './exposition-lines';

export interface ParsedFamily {
  readonly name: string;
  /** `# HELP` and `# TYPE` lines, newline-terminated (empty when the child sent none). */
  readonly header: string;
  /** The sample lines, newline-terminated, each carrying a `cluster` label. */
  readonly body: string;
  /** Sample name and value of each line, for the fleet summary (only for families asked for). */
  readonly values?: readonly number[];
}

const CLUSTER_LABEL = /[{,]cluster="/;

/** Adds `cluster="…"` to a sample line that lacks one (prom-client's process_* and nodejs_*). */
function withCluster(line: string, label: string): string {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace !== -1 && (space === -1 || brace < space)) {
    const close = line.indexOf('}', brace);
    if (CLUSTER_LABEL.test(line.slice(brace, close + 1))) return line;
    return close === brace + 1
      ? `${line.slice(0, brace)}{${label}${line.slice(close)}`
      : `${line.slice(0, brace + 1)}${label},${line.slice(brace + 1)}`;
  }
  return space === -1 ? line : `${line.slice(0, space)}{${label}}${line.slice(space)}`;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * Splits Prometheus text into families. `keepValues` names the families whose sample values the
 * caller wants (for the fleet summary). Lines that are neither comments nor samples are dropped.
 */
export function parseExposition(
  text: string,
  cluster: string,
  keepValues: ReadonlySet<string>,
): ParsedFamily[] {
  const label = `cluster="${escapeLabelValue(cluster)}"`;
  const families: ParsedFamily[] = [];
  let name = '';
  let header = '';
  let body: string[] = [];
  let values: number[] | undefined;
  const flush = () => {
    if (name !== '' && (body.length > 0 || header !== '')) {
      families.push({
        name,
        header,
        body: body.length > 0 ? `${body.join('\n')}\n` : '',
        ...(values ? { values } : {}),
      });
    }
    header = '';
    body = [];
    values = undefined;
  };
  scanExpositionLines(text, {
    header: (line, _kind, family) => {
      if (family !== name) {
        flush();
        name = family;
        if (keepValues.has(family)) values = [];
      }
      header += `${line}\n`;
    },
    sample: (line) => {
      if (name === '') {
        // A sample with no HELP/TYPE before it: its own untyped family.
        const cut = line.search(/[{ ]/);
        name = cut === -1 ? line : line.slice(0, cut);
      }
      body.push(withCluster(line, label));
      if (values) {
        const value = Number(line.slice(line.lastIndexOf(' ') + 1));
        if (Number.isFinite(value)) values.push(value);
      }
    },
  });
  flush();
  return families;
}
