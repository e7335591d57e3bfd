export type { ManagerAnalyticsOptions } from './internal/analytics-store';
export type { ClusterView, FleetView } from './internal/fleet';
export type { SupportedManager } from './internal/manager-events';
export type { ClusterSummary } from './internal/summary';
export {
  type ArgusManager,
  ArgusManagerOptionError,
  type ArgusManagerOptions,
  argusManager,
} from './manager';
export { type ChildEvents, type ChildReport, EVENTS_TAG, REPORT_TAG } from './report';
export {
  type ManagerReporter,
  type ManagerReporterOptions,
  sendEventsToManager,
  startManagerReporter,
} from './reporter';
