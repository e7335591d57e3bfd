import { type ChildProcess, fork } from 'node:child_process';

export interface IpcChild<Request, Reply> {
  /** Sends one request and waits for its one reply; rejects when the child reports an error or exits. */
  ask(request: Request): Promise<Reply>;
  stop(): Promise<void>;
}

/**
 * Forks a helper process of the bench (TypeScript through tsx) that answers one IPC message with
 * one reply, so load generators never share the measured process's CPU.
 */
export async function forkIpcChild<Request, Reply>(
  script: string,
  cwd: string,
  label: string,
  errorOf: (reply: Reply) => string | undefined,
): Promise<IpcChild<Request, Reply>> {
  // tsx resolves from the bench package, whatever the parent was started with.
  const child: ChildProcess = fork(script, [], {
    cwd,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return {
    ask(request) {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the ${label} process exited (${code})`));
        child.once('exit', onExit);
        child.once('message', (reply: Reply) => {
          child.off('exit', onExit);
          const error = errorOf(reply);
          if (error !== undefined) reject(new Error(`${label}: ${error}`));
          else resolve(reply);
        });
        child.send(request as object);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        const timer = setTimeout(() => child.kill(), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
