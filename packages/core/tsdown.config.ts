import { defineConfig } from 'tsdown';
import base from '../../tsdown.base.ts';

// `@argus/core/names` is safe to bundle for the browser; `@argus/core/discordjs` is the discord.js layer.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/names.ts', 'src/discordjs.ts'] });
