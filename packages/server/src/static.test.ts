import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spaFixture } from '../test/helpers';
import { contentTypeOf, etagOf, readInside, safeSegments } from './static';

const fixtures: (() => void)[] = [];
afterEach(() => {
  while (fixtures.length > 0) fixtures.pop()!();
});

function spa() {
  const fixture = spaFixture();
  fixtures.push(fixture.cleanup);
  return fixture;
}

describe('safeSegments', () => {
  it('splits a plain relative path and decodes each segment once', () => {
    expect(safeSegments('assets/index-Ab12Cd.js')).toEqual(['assets', 'index-Ab12Cd.js']);
    expect(safeSegments('fonts/Geist%20Mono.woff2')).toEqual(['fonts', 'Geist Mono.woff2']);
    // A double-encoded dot stays a literal "%2e" file name: decoded once, never twice.
    expect(safeSegments('assets/%252e%252e')).toEqual(['assets', '%2e%2e']);
  });

  it.each([
    ['empty', ''],
    ['dot dot', '../secret.txt'],
    ['inner dot dot', 'assets/../../secret.txt'],
    ['encoded dot dot', '%2e%2e/secret.txt'],
    ['mixed-case encoded dot dot', '%2E%2e/secret.txt'],
    ['half-encoded dot dot', '.%2e/secret.txt'],
    ['dot', './index.html'],
    ['dot file', '.env'],
    ['encoded slash', '..%2fsecret.txt'],
    ['encoded slash inside a name', 'assets%2F..%2F..%2Fsecret.txt'],
    ['backslash', 'assets\\..\\secret.txt'],
    ['encoded backslash', 'assets%5c..%5csecret.txt'],
    ['absolute (leading slash)', '/etc/passwd'],
    ['empty segment', 'assets//index.js'],
    ['trailing slash (a directory)', 'assets/'],
    ['NUL', 'index.html%00.js'],
    ['drive letter', 'C:%5cWindows'],
    ['bad percent-encoding', 'assets/%zz.js'],
    ['truncated percent-encoding', 'assets/%e2%82.js'],
  ])('refuses %s', (_name, path) => {
    expect(safeSegments(path)).toBeUndefined();
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['index-Ab12Cd.js', 'text/javascript; charset=utf-8'],
    ['chunk.mjs', 'text/javascript; charset=utf-8'],
    ['index.CSS', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['geist.woff2', 'font/woff2'],
    ['logo.png', 'image/png'],
    ['manifest.json', 'application/json; charset=utf-8'],
    ['index.js.map', 'application/json; charset=utf-8'],
    ['favicon.ico', 'image/x-icon'],
    ['weird.bin', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream'],
  ])('%s → %s', (name, type) => {
    expect(contentTypeOf(name)).toBe(type);
  });
});

describe('readInside', () => {
  it('reads a regular file inside the root', async () => {
    const { dir } = spa();
    const file = await readInside(dir, ['assets', 'index-Ab12Cd.js']);
    expect(Buffer.from(file!.data).toString()).toBe('console.log("argus");\n');
    expect(file!.size).toBe(22);
    expect(etagOf(file!)).toMatch(/^W\/"16-[0-9a-f]+"$/);
  });

  it('follows a symlink that stays inside the root', async () => {
    const { dir } = spa();
    const file = await readInside(dir, ['assets', 'link-in.svg']);
    expect(Buffer.from(file!.data).toString()).toContain('<svg');
  });

  it('refuses symlinks out of the root, directories, missing files and traversal', async () => {
    const { dir } = spa();
    expect(await readInside(dir, ['assets', 'link-out.js'])).toBeUndefined();
    expect(await readInside(dir, ['up', 'secret.txt'])).toBeUndefined();
    expect(await readInside(dir, ['assets'])).toBeUndefined();
    expect(await readInside(dir, ['assets', 'nested'])).toBeUndefined();
    expect(await readInside(dir, ['nope.js'])).toBeUndefined();
    // Even if a caller skipped safeSegments, the real-path check holds.
    expect(await readInside(dir, ['..', 'secret.txt'])).toBeUndefined();
    expect(await readInside(dir, ['/etc/passwd'])).toBeUndefined();
    expect(await readInside(join(dir, 'missing-root'), ['index.html'])).toBeUndefined();
  });

  it('refuses a FIFO without blocking on it', async () => {
    const { dir } = spa();
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.js')]);
    } catch {
      return; // No mkfifo here: nothing to prove.
    }
    expect(await readInside(dir, ['pipe.js'])).toBeUndefined();
  });
});
