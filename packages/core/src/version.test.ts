import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { version } from './version';

describe('version', () => {
  it("is core's package.json version, injected (never a constant to keep in step)", () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(version).toBe(manifest.version);
    expect(readFileSync(new URL('./version.ts', import.meta.url), 'utf8')).not.toContain(
      `'${manifest.version}'`,
    );
  });
});
