import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/demo.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
