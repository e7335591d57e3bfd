export interface ArgusRuleOptions {
  /** The metric namespace the bot uses (`ARGUS_NAMESPACE`). Default `discord`. */
  namespace?: string;
  /**
   * The interaction SLO: the share of interactions that must get their initial response within
   * Discord's 3 s deadline, over 30 days. Default 0.99.
   */
  objective?: number;
  /** The Prometheus job that scrapes the bot, for the target-down and target-absent alerts. Default `argus`. */
  job?: string;
  /** Seconds after its last push that a Pushgateway group counts as stale. Default 600. */
  pushStaleAfterSeconds?: number;
}

export interface ResolvedRuleOptions {
  namespace: string;
  objective: number;
  job: string;
  pushStaleAfterSeconds: number;
}

/** Validates the options once; a bad value fails with an error naming the option and the value. */
export function resolveRuleOptions(options: ArgusRuleOptions = {}): ResolvedRuleOptions {
  const { namespace = 'discord', objective = 0.99, job = 'argus', pushStaleAfterSeconds = 600 } = options;
  if (typeof namespace !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(namespace)) {
    throw new TypeError(
      `@argus/alerts: namespace must be a Prometheus metric name prefix ([a-zA-Z_][a-zA-Z0-9_]*), got ${JSON.stringify(namespace)}`,
    );
  }
  if (typeof objective !== 'number' || !(objective > 0 && objective < 1)) {
    throw new RangeError(
      `@argus/alerts: objective must be a share between 0 and 1 exclusive (0.99 for 99 %), got ${String(objective)}`,
    );
  }
  if (typeof job !== 'string' || job.length === 0 || /["\\\n]/.test(job)) {
    throw new TypeError(
      `@argus/alerts: job must be a non-empty Prometheus job name without quotes, backslashes or newlines, got ${JSON.stringify(job)}`,
    );
  }
  if (!Number.isInteger(pushStaleAfterSeconds) || pushStaleAfterSeconds < 1) {
    throw new RangeError(
      `@argus/alerts: pushStaleAfterSeconds must be a positive whole number of seconds, got ${String(pushStaleAfterSeconds)}`,
    );
  }
  return { namespace, objective, job, pushStaleAfterSeconds };
}
