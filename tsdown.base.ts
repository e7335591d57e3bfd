import { defineConfig } from 'tsdown';

// One build shape for every published package: ESM + CJS with their own type files.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  unbundle: false,
});
