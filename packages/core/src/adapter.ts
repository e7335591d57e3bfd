// The contract between argus() and the adapters a bot composes in its own code
// (`argus(client, { metrics: [prometheus(), otlp({ url })], tracing: tracing(), analytics: ... })`).
// Each adapter package implements it with its own typed options; core names no backend.
import type { AnalyticsSource } from './analytics';
import type { Catalogue } from './catalogue';
import type { ArgusConfig } from './config';
import type { ExpositionFormat } from './exposition';
import type { FailOpenGuard } from './guard';
import type { HealthState } from './health';
import type { CommandRecord, InteractionRecord, LifecycleSubscriber } from './lifecycle';
import type { NotableTrace } from './notable-trace';
import type { MetricRegistry } from './registry';
import type { MetricsSnapshot } from './snapshot';
import type { Logger, MetricBackend } from './types';

/** What an adapter slot of argus() takes. */
export type AdapterRole = 'metrics' | 'tracing' | 'analytics';

/** A backend that keeps series itself and can say what they hold, so core keeps no copy. */
export interface SnapshotBackend extends MetricBackend {
  snapshot(): MetricsSnapshot | Promise<MetricsSnapshot>;
}

/** What an adapter gets when argus() starts it: everything is already defined and attached. */
export interface AdapterContext {
  readonly config: ArgusConfig;
  readonly registry: MetricRegistry;
  readonly catalogue: Catalogue;
  /** Every metric at one instant, from whichever backend keeps the series (or core's store). */
  readonly snapshot: () => Promise<MetricsSnapshot>;
  /** The Prometheus text exposition, when a metrics adapter renders one (see `AdapterRuntime.render`). */
  readonly render?: (format?: ExpositionFormat) => Promise<string>;
  /** The `cluster` label value. */
  readonly clusterId: string;
  readonly health: HealthState;
  readonly guard: FailOpenGuard;
  readonly logger: Logger;
}

/** What a started adapter hands back; every part is optional. */
export interface AdapterRuntime {
  /** Listeners on the lifecycle seam, called synchronously and fail-open. */
  readonly subscribers?: readonly LifecycleSubscriber[];
  /** Serves `/metrics`: the exposition as bytes in `format`. Never rejects. */
  readonly metrics?: (format: ExpositionFormat) => Promise<Uint8Array>;
  /** The exposition as text, for other adapters (a Pushgateway push). */
  readonly render?: (format?: ExpositionFormat) => Promise<string>;
  /** Per-guild analytics queries for `/api/analytics/*`. */
  readonly analytics?: AnalyticsSource;
  /** The trace of an interaction or command run, for exemplars. */
  readonly traceIdOf?: (subject: InteractionRecord | CommandRecord) => string | undefined;
  /** The newest failed, late and unanswered interactions with their traces, for the dashboard. */
  readonly notableTraces?: () => readonly NotableTrace[];
  /** Flushes and stops within `deadlineMs`; never rejects. */
  close?(deadlineMs: number): Promise<void> | void;
}

/**
 * An adapter value: options checked when it was made, nothing started. argus() first asks every
 * metrics adapter for its `backend()` (before the catalogue is bound, so each series is recorded
 * once, by the backend that keeps it), then calls `start()` once the registry is complete.
 */
export interface ArgusAdapter {
  /** Names the adapter in logs and errors, e.g. `prometheus`. */
  readonly kind: string;
  readonly role: AdapterRole;
  /** The backend this adapter records into, when it keeps series itself. Called once. */
  backend?(context: Pick<AdapterContext, 'config' | 'guard' | 'clusterId'>): SnapshotBackend;
  start(context: AdapterContext): AdapterRuntime;
}
