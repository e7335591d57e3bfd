import {
  AggregationTemporality,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** @opentelemetry/core's ExportResult, named through the SDK so core need not be a dependency. */
type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];

/**
 * Passes exports through to the SDK's OTLP exporter and reports each outcome, so failed exports
 * are counted instead of vanishing into the SDK's diagnostics.
 */
export class CountingExporter implements PushMetricExporter {
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly onResult: (ok: boolean) => void,
  ) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    let reported = false;
    const report = (result: ExportResult) => {
      if (reported) return;
      reported = true;
      this.onResult(result.code === 0);
      resultCallback(result);
    };
    try {
      this.inner.export(metrics, report);
    } catch (error) {
      report({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }
}
