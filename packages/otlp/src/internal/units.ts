// OTLP carries a unit beside the name. Argus names follow Prometheus conventions, so the unit is
// the name's unit suffix; naming it lets OTLP-to-Prometheus translators keep the name as is
// instead of appending a second suffix.
const SUFFIX_UNITS: readonly [suffix: string, unit: string][] = [
  ['_seconds', 's'],
  ['_milliseconds', 'ms'],
  ['_bytes', 'By'],
  ['_ratio', '1'],
];

/** The UCUM unit of a Prometheus-style metric name, or '' when the name has none. */
export function unitOf(name: string): string {
  const base = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  for (const [suffix, unit] of SUFFIX_UNITS) if (base.endsWith(suffix)) return unit;
  return '';
}
