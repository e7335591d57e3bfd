import { defineConfig } from 'tsdown';
import base from '../../tsdown.base.ts';

// Same build shape as every package, plus the CLI as a second entry (the `argus-discord-sim` bin).
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/cli.ts'] });
