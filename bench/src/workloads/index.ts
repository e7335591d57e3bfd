// Every workload, in the order `pnpm bench` runs them. To add one: write `src/workloads/<name>.ts`
// exporting a `Workload` (see ../harness.ts and the README), then list it here.
//
// Order matters a little: workloads that start process-wide monitors (prom-client's default
// process metrics start an event-loop-delay histogram and a GC observer) come late, and the sink
// workloads that load chdb (ClickHouse in-process, with its own thread pools) or start a
// clickhouse-server come after everything else, so neither can disturb the other measurements.
import type { Workload } from '../harness';
import { alertEvaluation } from './alert-evaluation';
import { botWithoutPrometheus } from './bot-without-prometheus';
import { bundleSize } from './bundle-size';
import { counterInc } from './counter';
import { e2eGateway } from './e2e-gateway';
import { gatewayHook } from './gateway-hook';
import { histogramObserve } from './histogram';
import { interactionLifecycle } from './interaction-lifecycle';
import { memoryCatalogue } from './memory-catalogue';
import { otlpExport, otlpHotPath } from './otlp';
import { render10k } from './render-10k';
import { renderCatalogue } from './render-catalogue';
import { restRequest } from './rest-request';
import { scrapeUnderLoad } from './scrape-under-load';
import { shardingManager, shardingReport } from './sharding';
import { sinkEnqueue } from './sink-enqueue';
import { sinkMemory } from './sink-memory';
import { sinkThroughput } from './sink-throughput';
import { snapshot } from './snapshot';
import { sseViewers } from './sse-viewers';
import { startup } from './startup';
import { startupCold } from './startup-cold';
import { tracingInteraction } from './tracing-interaction';

export const workloads: readonly Workload[] = [
  counterInc,
  histogramObserve,
  gatewayHook,
  interactionLifecycle,
  tracingInteraction,
  memoryCatalogue,
  sinkMemory,
  startup,
  startupCold,
  e2eGateway,
  restRequest,
  scrapeUnderLoad,
  sseViewers,
  bundleSize,
  render10k,
  renderCatalogue,
  snapshot,
  alertEvaluation,
  otlpExport,
  otlpHotPath,
  botWithoutPrometheus,
  shardingReport,
  shardingManager,
  sinkEnqueue,
  sinkThroughput,
];
