import { describe, expect, it } from 'vitest';
import { RecordingBackend } from '../test/recording-backend';
import { createTelemetry } from './ergonomics';
import { MetricRegistry } from './registry';

function setup() {
  const registry = new MetricRegistry({ defaultLabels: { cluster: 'c' } });
  const backend = new RecordingBackend();
  registry.attach(backend);
  return { registry, backend, t: createTelemetry(registry, 'bot') };
}

describe('telemetry helpers', () => {
  it('timed() records sync calls, including ones that throw, and keeps results', () => {
    const { backend, t } = setup();
    const add = t.timed('add', (a: number, b: number) => a + b);
    expect(add(2, 3)).toBe(5);
    const boom = t.timed('add', () => {
      throw new RangeError('no');
    });
    expect(() => boom()).toThrow(RangeError);
    expect(backend.observations.get('bot_add_duration_seconds{c}')).toHaveLength(2);
  });

  it('timed() records async calls when they settle, and passes rejections through', async () => {
    const { backend, t } = setup();
    const slow = t.timed('slow', async (ms: number) => {
      await new Promise((r) => setTimeout(r, ms));
      return 'done';
    });
    await expect(slow(30)).resolves.toBe('done');
    const [seconds] = backend.observations.get('bot_slow_duration_seconds{c}')!;
    expect(seconds).toBeGreaterThanOrEqual(0.025);
    await expect(t.timed('slow', async () => Promise.reject(new Error('x')))()).rejects.toThrow('x');
    expect(backend.observations.get('bot_slow_duration_seconds{c}')).toHaveLength(2);
  });

  it('timer() observes once and returns the elapsed seconds', async () => {
    const { backend, t } = setup();
    const stop = t.timer('job');
    await new Promise((r) => setTimeout(r, 20));
    const s = stop();
    stop();
    expect(s).toBeGreaterThanOrEqual(0.015);
    expect(backend.observations.get('bot_job_duration_seconds{c}')).toEqual([s]);
  });

  it('countExceptions() counts by error type and rethrows unchanged', async () => {
    const { backend, t } = setup();
    const err = new TypeError('bad');
    const f = t.countExceptions('parse', (fail: boolean) => {
      if (fail) throw err;
      return 1;
    });
    expect(f(false)).toBe(1);
    expect(() => f(true)).toThrow(err);
    await expect(
      t.countExceptions('parse', async () => Promise.reject(new SyntaxError('s')))(),
    ).rejects.toThrow(SyntaxError);
    expect(backend.counters.get('bot_parse_exceptions_total{TypeError,c}')).toBe(1);
    expect(backend.counters.get('bot_parse_exceptions_total{SyntaxError,c}')).toBe(1);
  });

  it('refuses a name that cannot become a metric name', () => {
    const { t } = setup();
    expect(() => t.timer('my job')).toThrow(/letters, digits and underscores/);
    expect(() => t.timed('a-b', () => 1)).toThrow(TypeError);
  });

  it('stays fail-open when the metric name is taken by another kind', () => {
    const { registry, backend, t } = setup();
    registry.define({ kind: 'counter', name: 'bot_clash_duration_seconds_total', help: 'h' });
    registry.define({ kind: 'gauge', name: 'bot_clash_duration_seconds', help: 'h', collect: () => {} });
    expect(t.timed('clash', () => 'still works')()).toBe('still works');
    expect(backend.counters.get('argus_instrumentation_errors_total{timer:clash,c}')).toBeGreaterThan(0);
  });
});
