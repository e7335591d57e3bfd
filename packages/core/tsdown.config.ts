import { defineConfig } from 'tsdown';
import base from '../../tsdown.base.ts';

// A second entry, `@argus/core/names`, is safe to bundle for the browser.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/names.ts'] });
