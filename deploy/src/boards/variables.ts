import { grafanaVar } from './grafana';

/** What Grafana does to a Prometheus panel query before it runs it, for the checks and the real-data test. */
export function substituteVariables(
  expr: string,
  {
    namespace,
    cluster = '.*',
    rateInterval = '1m',
  }: { namespace: string; cluster?: string; rateInterval?: string },
): string {
  return expr
    .replaceAll(grafanaVar('namespace'), namespace)
    .replaceAll('$__rate_interval', rateInterval)
    .replaceAll('$cluster', cluster);
}
