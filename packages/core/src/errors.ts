/** Thrown at definition time for a metric that could not be exposed correctly. */
export class MetricDefinitionError extends Error {
  override readonly name = 'MetricDefinitionError';
  constructor(
    readonly metric: string,
    reason: string,
  ) {
    super(`Invalid metric "${metric}": ${reason}`);
  }
}

/** Thrown when a metric is used that was never defined, or as the wrong kind. */
export class UnknownMetricError extends Error {
  override readonly name = 'UnknownMetricError';
  constructor(
    readonly metric: string,
    detail = 'is not defined',
  ) {
    super(`Metric "${metric}" ${detail}`);
  }
}
