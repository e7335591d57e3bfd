import { isLoopbackHost, type Logger } from '@argus/core';
import type { ExposureConfig } from './types';

/**
 * Logs one warning when the dashboard is on, has no auth token and is bound to a non-loopback
 * address: anyone who can reach the port can read it. Argus cannot refuse to start (the
 * metrics endpoint must stay up), so it says so. Returns whether it warned. Never logs a token.
 */
export function warnIfDashboardUnprotected(config: ExposureConfig, logger: Logger): boolean {
  if (!config.dashboard || config.dashboardAuthToken !== undefined || isLoopbackHost(config.host)) {
    return false;
  }
  const metricsNote =
    config.metricsAuthToken === undefined
      ? ` The ${config.metricsPath} endpoint stays open for Prometheus.`
      : ` The ${config.metricsPath} endpoint keeps its own token.`;
  try {
    logger.warn(
      `argus dashboard is reachable on ${config.host}:${config.port} without an auth token; set ` +
        'dashboardAuthToken (or ARGUS_DASHBOARD_AUTH_TOKEN), or bind to 127.0.0.1 and put a reverse ' +
        `proxy in front.${metricsNote}`,
      { host: config.host, port: config.port },
    );
  } catch {
    // A warning is not worth a crash.
  }
  return true;
}
