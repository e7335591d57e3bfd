// `pnpm --filter @argus/deploy generate`: writes every generated file under deploy/.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './outputs';

const deployDir = fileURLToPath(new URL('..', import.meta.url));
const written: string[] = [];
for (const [path, text] of generatedFiles()) {
  const file = join(deployDir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  written.push(file);
}
// Biome formats JSON and YAML too: let it lay the files out as `pnpm lint` checks them.
spawnSync('pnpm', ['exec', 'biome', 'format', '--write', ...written], { cwd: deployDir, stdio: 'inherit' });
console.log(`wrote ${written.length} files under deploy/`);
