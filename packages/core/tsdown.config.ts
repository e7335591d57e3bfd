import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsdown';
import base from '../../tsdown.base.ts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// `@argus/core/names` and `@argus/core/wire` are safe to bundle for the browser;
// `@argus/core/discordjs` is the discord.js layer.
export default defineConfig({
  ...base,
  entry: ['src/index.ts', 'src/names.ts', 'src/wire.ts', 'src/discordjs.ts'],
  define: { __ARGUS_VERSION__: JSON.stringify(version) },
});
