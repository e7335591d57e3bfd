export { DEFAULT_ANALYTICS_CONCURRENCY, DEFAULT_ANALYTICS_TIMEOUT_MS } from './analytics';
export { createApp, DEFAULT_MAX_BODY_BYTES } from './app';
export { createTokenMatcher } from './auth';
export { dashboardConfigBody, dashboardOptions, resolveDashboardAssets } from './dashboard';
export { negotiateFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './negotiate';
export { contentSecurityPolicy, httpOrigin, SERVER_HEADER } from './security';
export { describeListenError, startServer } from './start';
export type {
  AnalyticsOptions,
  AppConfig,
  ArgusApp,
  CreateAppOptions,
  DashboardConfigBody,
  DashboardConfigSource,
  DashboardOptions,
  ExpositionFormat,
  ExposureConfig,
  FetchApp,
  GuildDirectory,
  MetricsRenderer,
  ReadinessReport,
  RequireTokenOptions,
  RouteTools,
  ServerHandle,
  StartServerOptions,
} from './types';
export { warnIfDashboardUnprotected } from './warnings';
