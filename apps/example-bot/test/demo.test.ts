// The README's first command, as a user runs it: the demo process on the simulator shows live
// metrics within 10 s and stops cleanly on Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@argus/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const demo = fileURLToPath(new URL('../dist/demo.mjs', import.meta.url));
let child: ChildProcess | undefined;

beforeAll(() => {
  // The demo runs from its build, as `pnpm demo` does; turbo makes this a cache hit when fresh.
  const build = spawnSync(
    'pnpm',
    ['turbo', 'run', 'build', '--filter=@argus/example-bot...', '--output-logs=errors-only'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  expect(build.status, build.stdout + build.stderr).toBe(0);
}, 180_000);

afterAll(() => {
  child?.kill('SIGKILL');
});

describe('the demo', () => {
  it('serves live metrics within 10 s and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const started = Date.now();
    child = spawn(process.execPath, [demo], {
      env: { ...process.env, ARGUS_PORT: String(port), DISCORD_TOKEN: '', DEMO_SCENARIO: 'busy' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => {
      output += c;
    });
    child.stderr!.on('data', (c: Buffer) => {
      output += c;
    });

    let commands = 0;
    let text = '';
    while (Date.now() - started < 10_000 && commands === 0) {
      await new Promise((r) => setTimeout(r, 250));
      try {
        text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      } catch {
        continue;
      }
      const m =
        /^discord_interactions_total\{type="application_command",status="received",cluster="default"\} (\d+)/m.exec(
          text,
        );
      commands = m ? Number(m[1]) : 0;
    }
    expect(commands, output).toBeGreaterThan(0);
    expect(text).toMatch(/^discord_shards_connected\{cluster="default"\} 2$/m);
    expect(output).toContain(`http://127.0.0.1:${port}/metrics`);

    child.kill('SIGINT');
    const [code] = (await Promise.race([
      once(child, 'exit'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`demo did not exit:\n${output}`)), 10_000),
      ),
    ])) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('stopping');
  }, 60_000);
});
