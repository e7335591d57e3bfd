export {
  type ExpositionFormat,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  TEXT_CONTENT_TYPE,
} from '@argus/core';
export { createApp } from './app';
export { dashboardConfigBody, dashboardOptions, resolveDashboardAssets } from './dashboard';
export { startServer } from './start';
export type {
  AlertsRouteOptions,
  AnalyticsOptions,
  AppConfig,
  ArgusApp,
  CreateAppOptions,
  DashboardConfigBody,
  DashboardConfigSource,
  DashboardOptions,
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
