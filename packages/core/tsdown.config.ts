import { defineConfig } from 'tsdown';
import base from '../../tsdown.base.ts';

// `@argus/core/names` and `@argus/core/wire` are safe to bundle for the browser.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/names.ts', 'src/wire.ts'] });
