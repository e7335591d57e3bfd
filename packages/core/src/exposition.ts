// What both the metrics renderer and the HTTP server need to agree on: the two exposition
// formats, their content types, and which one an `Accept` header asks for.

export type ExpositionFormat = 'text' | 'openmetrics';

/** The same strings prom-client's `Registry` uses, so responses match what its users expect. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The `Content-Type` header value for a format. */
export function contentType(format: ExpositionFormat = 'text'): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

/** Media ranges looked at in one Accept header; the rest is ignored (the header comes from the network). */
const MAX_RANGES = 32;

/**
 * Picks the exposition format from an `Accept` header (or its repeated values): OpenMetrics when
 * the client names `application/openmetrics-text` with a quality above zero and at least as high
 * as anything that would take the text format (`text/plain`, `text/*`, `*\/*`), as Prometheus
 * does; text otherwise. An unreadable quality counts as 0.
 */
export function negotiateFormat(accept: string | readonly string[] | null | undefined): ExpositionFormat {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (typeof header !== 'string' || header === '') return 'text';
  let openMetrics = -1;
  let text = -1;
  for (const range of header.split(',', MAX_RANGES)) {
    const [rawType = '', ...params] = range.split(';');
    const type = rawType.trim().toLowerCase();
    let quality = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const value = Number(param.slice(eq + 1).trim());
      quality = Number.isFinite(value) ? Math.min(Math.max(value, 0), 1) : 0;
    }
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, quality);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'text';
}
