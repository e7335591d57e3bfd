// Measurement helpers shared by workloads: garbage collection, retained memory, CPU time.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = () => void;

function resolveGc(): Gc | undefined {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (typeof exposed === 'function') return exposed;
  // Without --expose-gc (e.g. under a test runner), expose it for a fresh context and borrow it.
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}

const gc = resolveGc();

/** Whether a full collection can be forced (memory workloads need it). */
export const canCollectGarbage = gc !== undefined;

/** Full garbage collection, when available; a no-op otherwise. */
export function collectGarbage(): void {
  if (!gc) return;
  // Twice: the first pass can leave objects that only die once their finalizers ran.
  gc();
  gc();
}

/**
 * Live objects: every V8 heap space except compiled code (the JIT installs optimized code whenever
 * it likes, which would land in whichever sample happens to be running), plus ArrayBuffer backing
 * stores (typed arrays above 64 bytes live outside the heap).
 */
function liveBytes(): number {
  let bytes = process.memoryUsage().arrayBuffers;
  for (const space of getHeapSpaceStatistics()) {
    if (!space.space_name.includes('code')) bytes += space.space_used_size;
  }
  return bytes;
}

/** Keeps a value reachable until the next `retainedKiB` call so the collector cannot take it. */
const held: { value: unknown } = { value: undefined };

/**
 * Bytes still reachable from what `build` returns, after a full collection, in KiB. Build fresh on
 * every call; warm up first, since the first build also allocates shared code and hidden classes.
 */
export async function retainedKiB(build: () => unknown): Promise<number> {
  if (!gc) throw new Error('memory workloads need a forced GC (run node with --expose-gc)');
  held.value = undefined;
  collectGarbage();
  const before = liveBytes();
  held.value = await build();
  collectGarbage();
  const after = liveBytes();
  held.value = undefined;
  return (after - before) / 1024;
}

/**
 * UTF-8 encodes an exposition as the HTTP response will. A renderer that builds its output by
 * concatenation returns a rope; the flattening cost is paid here, so it is measured with the render.
 */
export function encode(text: string): number {
  return Buffer.from(text, 'utf8').length;
}

/**
 * CPU time (user + system) spent by this process while `fn` runs, in microseconds. For end-to-end
 * workloads that compare CPU with and without Argus: return the ratio of two of these as a sample.
 */
export async function cpuMicros(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** Small deterministic PRNG (mulberry32), so every variant sees the same "random" data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
