// Exposition details shared by every family: escaping and numbers. Formats, content types and
// negotiation live in @argus/core, shared with the server.

import type { ExpositionFormat } from '@argus/core';

export {
  contentType,
  type ExpositionFormat,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
} from '@argus/core';

const LABEL_VALUE_SPECIALS = /[\\\n"]/;

/** Label values escape backslash, newline and double quote, in both formats. */
export function escapeLabelValue(value: string): string {
  if (!LABEL_VALUE_SPECIALS.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * HELP text: the text format escapes only backslash and newline (a `\"` there is an invalid
 * escape); OpenMetrics also requires the double quote to be escaped.
 */
export function escapeHelp(help: string, format: ExpositionFormat): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}

/** A sample value as both formats spell it (JS number formatting is valid Go/OpenMetrics float syntax). */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return `${value}`;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/** `a="x",b="y"` for the given names and values: the pairs inside the braces, or '' without labels. */
export function labelPairs(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    out += `${i === 0 ? '' : ','}${names[i]}="${escapeLabelValue(String(values[i]))}"`;
  }
  return out;
}

/**
 * The label values `labelPairs(names, values)` wrote, unescaped: its inverse for string values.
 * Lets a series keep only its exposition text and build label objects when prom-client asks.
 */
export function parseLabelPairs(names: readonly string[], pairs: string): string[] {
  const values: string[] = [];
  let pos = 0;
  for (let i = 0; i < names.length; i++) {
    // Skip `name="` (`,name="` after the first pair).
    pos += (i === 0 ? 0 : 1) + names[i]!.length + 2;
    let value = '';
    let start = pos;
    while (pos < pairs.length) {
      const c = pairs.charCodeAt(pos);
      if (c === 0x22) break; // the closing quote: quotes inside a value are escaped
      if (c === 0x5c) {
        const escaped = pairs[pos + 1];
        value += `${pairs.slice(start, pos)}${escaped === 'n' ? '\n' : escaped}`;
        pos += 2;
        start = pos;
      } else {
        pos++;
      }
    }
    values.push(value + pairs.slice(start, pos));
    pos++;
  }
  return values;
}

/**
 * A flat copy of `text`. V8 keeps a string built by concatenation as a rope, a tree of nodes
 * that each hold two parts; a string kept for the adapter's lifetime is much smaller flat, and a
 * render made of flat pieces leaves less to walk when the response is encoded. The JSON round
 * trip keeps every UTF-16 code unit, lone surrogates included, and yields a one-byte string
 * whenever the text fits one (`Array.prototype.join` writes two bytes per character as soon as a
 * part is a thin string, e.g. a metric name V8 has internalized). Cold paths only: it copies.
 */
export function flatten(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** `{a="x",b="y"}` for the given names and values, or '' without labels. */
export function formatLabels(names: readonly string[], values: readonly string[], extra?: string): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    out += `${i === 0 ? '{' : ','}${names[i]}="${escapeLabelValue(String(values[i]))}"`;
  }
  if (extra !== undefined) out += out === '' ? `{${extra}` : `,${extra}`;
  return out === '' ? '' : `${out}}`;
}
