// The README's first command, as a user runs it: the demo process on the simulator shows live
// metrics within 10 s and stops cleanly on Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, type DemoProcess, startDemo } from './demo-process';

let demo: DemoProcess | undefined;
let dir: string;

beforeAll(() => {
  buildDemo();
  dir = mkdtempSync(join(tmpdir(), 'argus-demo-'));
}, 180_000);

afterAll(() => {
  demo?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('serves live metrics within 10 s and stops cleanly on SIGINT', async () => {
    const started = Date.now();
    demo = await startDemo({ DEMO_SCENARIO: 'busy', ARGUS_CLICKHOUSE_DSN: `embedded:${join(dir, 'ch')}` });
    const { port } = demo;
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
    expect(commands, demo.output()).toBeGreaterThan(0);
    expect(text).toMatch(/^discord_shards_connected\{cluster="default"\} 2$/m);
    expect(demo.output()).toContain(`http://127.0.0.1:${port}/metrics`);
    // Per-guild analytics is on by default in the demo, behind a token made for the run.
    const [, token] = await demo.waitFor(/dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=([\w-]+)/);
    expect((await fetch(`http://127.0.0.1:${port}/api/analytics/top-guilds`)).status).toBe(401);
    const top = await fetch(`http://127.0.0.1:${port}/api/analytics/top-guilds`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(top.status).toBe(200);

    expect(await demo.stop()).toBe(0);
    expect(demo.output()).toContain('stopping');
  }, 60_000);
});
