// Which OpenTelemetry JS line these tests ran on: 3.x (API 1.10, where the logs API joined the
// main package) on Node 22.15+, 2.x (API 1.9) before. vitest.config.ts picks it; this makes sure
// a run on Node 24 really exercised 3.x rather than silently falling back.
import * as api from '@opentelemetry/api';
import { expect, it } from 'vitest';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const sdk3 = major > 22 || (major === 22 && minor >= 15);

it(`runs on the SDK ${sdk3 ? '3.x' : '2.x'} line on Node ${process.versions.node}`, () => {
  expect('logs' in api).toBe(sdk3);
});
