// The bundle-size workload measures whatever build it finds, and fails loudly when there is none.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measureDist } from './bundle-size';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'argus-bundle-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('measureDist', () => {
  it('fails, saying how to build, when the directory is missing', async () => {
    const dir = join(await tempDir(), 'dist');
    expect(() => measureDist(dir)).toThrow(/not built.*pnpm turbo run build/);
  });

  it('fails when the build has no index.html or no JavaScript', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    expect(() => measureDist(dir)).toThrow(/no index\.html/);
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await rm(join(dir, 'app.js'));
    expect(() => measureDist(dir)).toThrow(/no JavaScript/);
  });

  it('sorts files by kind, gzips them and leaves source maps out', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'assets'));
    const js = 'export const x = 1;\n'.repeat(200);
    await writeFile(join(dir, 'index.html'), '<!doctype html><script src="assets/a.js"></script>');
    await writeFile(join(dir, 'assets', 'a.js'), js);
    await writeFile(join(dir, 'assets', 'a.js.map'), '{}');
    await writeFile(join(dir, 'assets', 'a.css'), 'body{margin:0}');
    await writeFile(join(dir, 'assets', 'f.woff2'), Buffer.alloc(100, 7));
    const sizes = measureDist(dir);
    expect(sizes.map((s) => [s.path, s.kind])).toEqual([
      ['assets/a.css', 'css'],
      ['assets/a.js', 'js'],
      ['assets/f.woff2', 'font'],
      ['index.html', 'html'],
    ]);
    const script = sizes.find((s) => s.kind === 'js')!;
    expect(script.raw).toBe(js.length);
    expect(script.best).toBeLessThan(script.raw / 10);
    expect(script.best).toBeLessThanOrEqual(script.standard);
  });
});
