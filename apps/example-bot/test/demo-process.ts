// The demo as a user runs it: built by turbo, started as its own process, stopped with SIGINT.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@argus/test-services';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const demo = fileURLToPath(new URL('../dist/demo.mjs', import.meta.url));

/** Builds the demo and what it depends on; turbo makes this a cache hit when fresh. */
export function buildDemo(): void {
  const build = spawnSync(
    'pnpm',
    ['turbo', 'run', 'build', '--filter=@argus/example-bot...', '--output-logs=errors-only'],
    { cwd: root, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`building the demo failed:\n${build.stdout}${build.stderr}`);
}

export interface DemoProcess {
  child: ChildProcess;
  port: number;
  /** Everything the demo printed so far, stdout and stderr. */
  output(): string;
  /** Waits for a line matching `pattern` and returns the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGINT, as Ctrl-C; resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export async function startDemo(env: Record<string, string>): Promise<DemoProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [demo], {
    env: { ...process.env, ARGUS_PORT: String(port), DISCORD_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return {
    child,
    port,
    output: () => output,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`the demo exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`the demo never printed ${pattern}:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGINT');
      const [code] = (await Promise.race([
        once(child, 'exit'),
        new Promise((_, reject) =>
          setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`the demo did not exit:\n${output}`));
          }, timeoutMs),
        ),
      ])) as [number | null];
      return code;
    },
  };
}
