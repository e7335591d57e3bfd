export { createApp, DEFAULT_MAX_BODY_BYTES } from './app';
export { createTokenMatcher } from './auth';
export { negotiateFormat, OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from './negotiate';
export { contentSecurityPolicy, httpOrigin, SERVER_HEADER } from './security';
export { describeListenError, startServer } from './start';
export type {
  AppConfig,
  ArgusApp,
  CreateAppOptions,
  ExpositionFormat,
  ExposureConfig,
  FetchApp,
  MetricsRenderer,
  ReadinessReport,
  RouteTools,
  ServerHandle,
  StartServerOptions,
} from './types';
export { warnIfDashboardUnprotected } from './warnings';
