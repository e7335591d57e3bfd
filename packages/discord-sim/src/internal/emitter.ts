import { EventEmitter } from 'node:events';

/**
 * A minimal typed event emitter. Listener errors are caught and reported as a process warning:
 * a throwing test listener must not break the sim's request handling or gateway loop.
 */
export class TypedEmitter<E extends object> {
  readonly #ee = new EventEmitter();

  constructor() {
    this.#ee.setMaxListeners(0);
  }

  on<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): this {
    this.#ee.on(event, listener);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): this {
    this.#ee.once(event, listener);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: (payload: E[K]) => void): this {
    this.#ee.off(event, listener);
    return this;
  }

  /**
   * Resolves with the first event of this name that matches `predicate`; rejects after `timeoutMs`.
   * Tests use it to poll for a condition instead of sleeping.
   */
  waitFor<K extends keyof E & string>(
    event: K,
    predicate: (payload: E[K]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<E[K]> {
    return new Promise((resolve, reject) => {
      const listener = (payload: E[K]): void => {
        let ok = false;
        try {
          ok = predicate(payload);
        } catch (error) {
          cleanup();
          reject(error);
          return;
        }
        if (ok) {
          cleanup();
          resolve(payload);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for sim event '${event}'`));
      }, timeoutMs);
      timer.unref();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#ee.off(event, listener);
      };
      this.#ee.on(event, listener);
    });
  }

  protected emit<K extends keyof E & string>(event: K, payload: E[K]): void {
    if (this.#ee.listenerCount(event) === 0) return;
    try {
      this.#ee.emit(event, payload);
    } catch (error) {
      process.emitWarning(`@argus/discord-sim: a '${event}' listener threw: ${String(error)}`);
    }
  }

  protected removeAllListeners(): void {
    this.#ee.removeAllListeners();
  }
}
