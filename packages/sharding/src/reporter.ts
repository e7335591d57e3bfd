import { parentPort } from 'node:worker_threads';
import type { ArgusEvent } from '@argus/core';
import { type ChildEvents, type ChildReport, EVENTS_TAG, REPORT_TAG } from './report';

export interface ManagerReporterOptions {
  /** The child's `cluster` label. */
  cluster: string;
  namespace: string;
  intervalMs: number;
  /** The child's registry as Prometheus text. */
  render: () => Promise<string> | string;
  ready: () => boolean;
  /** Where a failed render or send is counted (the bot's fail-open guard). */
  onError: (hook: string, error: unknown) => void;
}

export interface ManagerReporter {
  /** Sends a report now (the interval keeps running). */
  flush(): Promise<void>;
  stop(): void;
}

type Send = (message: ChildReport | ChildEvents, done: (error?: Error | null) => void) => void;

/** The manager's own channel: the worker's parent port, or the IPC channel of a forked process. */
function managerChannel(): Send | undefined {
  if (parentPort) {
    const port = parentPort;
    return (message, done) => {
      port.postMessage(message);
      done();
    };
  }
  if (typeof process.send === 'function') {
    return (message, done) => {
      if (!process.connected) return done(new Error('the IPC channel to the manager is closed'));
      process.send!(message, undefined, undefined, (error) => done(error));
    };
  }
  return undefined;
}

/**
 * Sends the child's state to its manager at once and then every interval, on a timer that never
 * keeps the process alive. A render or a send still in flight when the next tick comes skips that
 * tick, so a slow manager never piles reports up in the child.
 */
export function startManagerReporter(options: ManagerReporterOptions): ManagerReporter {
  const send = managerChannel();
  if (!send) throw new Error('@argus/sharding: this process has no IPC channel to a sharding manager');
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const text = await options.render();
      const report: ChildReport = {
        tag: REPORT_TAG,
        cluster: options.cluster,
        namespace: options.namespace,
        ready: options.ready(),
        pid: process.pid,
        rss: process.memoryUsage.rss(),
        time: Date.now(),
        text,
      };
      await new Promise<void>((resolve) => {
        try {
          send(report, (error) => {
            if (error) options.onError('sharding:send', error);
            resolve();
          });
        } catch (error) {
          options.onError('sharding:send', error);
          resolve();
        }
      });
    } catch (error) {
      options.onError('sharding:render', error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  void tick();
  return {
    flush: tick,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/**
 * Sends one batch of per-guild events to the manager, which writes them to its analytics store
 * (the embedded engine lives in one process). Resolves once the batch is handed to the channel;
 * rejects when there is no channel, so the caller's batching sink keeps the batch and retries.
 */
export function sendEventsToManager(cluster: string, events: readonly ArgusEvent[]): Promise<void> {
  const send = managerChannel();
  if (!send)
    return Promise.reject(
      new Error('@argus/sharding: this process has no IPC channel to a sharding manager'),
    );
  return new Promise((resolve, reject) => {
    try {
      send({ tag: EVENTS_TAG, cluster, events: events as ArgusEvent[] }, (error) =>
        error ? reject(error) : resolve(),
      );
    } catch (error) {
      reject(error);
    }
  });
}
