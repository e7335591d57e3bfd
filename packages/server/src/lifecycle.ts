// Lets `startServer(app).close()` end what the app keeps open (dashboard streams) at once,
// without widening the app's public type.

const hooks = new WeakMap<object, () => void>();

/** Registers what closing the server should end right away for `app`. */
export function onServerClose(app: object, hook: () => void): void {
  hooks.set(app, hook);
}

/** Runs `app`'s close hook, if any. Never throws. */
export function runServerCloseHook(app: object): void {
  try {
    hooks.get(app)?.();
  } catch {
    // Closing must not fail because a hook did.
  }
}
