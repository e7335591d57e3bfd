import type { ExpositionFormat } from './types';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Media ranges looked at in one Accept header; the rest is ignored. */
const MAX_RANGES = 32;

/**
 * Picks the exposition format from an `Accept` header: OpenMetrics when the client names
 * `application/openmetrics-text` with a quality above zero and at least as high as anything that
 * would take the text format (`text/plain`, `text/*`, `*\/*`). Everything else gets text.
 */
export function negotiateFormat(accept: string | null | undefined): ExpositionFormat {
  if (!accept) return 'text';
  let openMetrics = -1;
  let text = -1;
  const ranges = accept.split(',', MAX_RANGES);
  for (const range of ranges) {
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
