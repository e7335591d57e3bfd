// The Node.js releases `npm test` runs the vitest suite on besides the one that runs `npm test`.
// Each comes from npm's `node` package (it ships the binary) in its own folder under .tools/, so
// nothing global changes and its `node` never shadows the system one.
import { join } from 'node:path';

/**
 * `scope: 'all'` runs every test file; `'no-browser'` leaves out the files that drive Chromium
 * (they prove the dashboard, which does not depend on the bot's Node version); `'unit'` runs only
 * the tests beside the code (`src/`), which start no service, plus the runtime check.
 */
export const TEST_NODES = [
  { major: 24, version: '24.21.0', scope: 'all' },
  { major: 22, version: '22.23.3', scope: 'unit' },
];

/** Where the `node` package keeps its binary for one entry of TEST_NODES. */
export function testNodeDir(root, node) {
  return join(root, '.tools', `node${node.major}`);
}

export function testNodeBinary(root, node) {
  return join(testNodeDir(root, node), 'node_modules', 'node', 'bin', 'node');
}
