import type { MetricsSnapshot } from '@argus/core';
import { Histogram, Summary } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { realisticRegistry } from './fixtures';

/** `name{a="x",b="y"}` with its label pairs sorted, so label order does not matter. */
function normalise(sample: string): string {
  const brace = sample.indexOf('{');
  if (brace === -1) return sample;
  const pairs = [...sample.slice(brace + 1, -1).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => m[0]);
  return `${sample.slice(0, brace)}{${pairs.sort().join(',')}}`;
}

/** Every sample of a text exposition, keyed by its normalised `name{labels}`. */
function textSamples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(normalise(line.slice(0, space)), Number(line.slice(space + 1)));
  }
  return out;
}

const escapeValue = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
const key = (name: string, names: string[], values: string[], extra: [string, string][] = []) => {
  const pairs = [...names.map((n, i) => [n, values[i]!] as [string, string]), ...extra].map(
    ([k, v]) => `${k}="${escapeValue(v)}"`,
  );
  return normalise(pairs.length ? `${name}{${pairs.join(',')}}` : name);
};

/** The compact snapshot spelled out as exposition samples. */
function expand(snapshot: MetricsSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, family] of Object.entries(snapshot.metrics)) {
    if (family.type === 'histogram') {
      for (const [values, buckets, sum, count] of family.series) {
        for (const [i, le] of family.le.entries()) {
          out.set(key(`${name}_bucket`, family.labelNames, values, [['le', le]]), buckets[i]!);
        }
        out.set(key(`${name}_sum`, family.labelNames, values), sum);
        out.set(key(`${name}_count`, family.labelNames, values), count);
      }
    } else {
      for (const [values, value] of family.series) out.set(key(name, family.labelNames, values), value);
    }
  }
  return out;
}

describe('snapshot()', () => {
  it('holds exactly the samples of the text exposition, compactly', async () => {
    const { adapter } = realisticRegistry({ shards: 3, commands: 4 });
    const snapshot = await adapter.snapshot();
    const text = textSamples(await adapter.render('text'));
    const expanded = expand(snapshot);
    expect([...expanded.keys()].sort()).toEqual([...text.keys()].sort());
    for (const [k, v] of expanded) {
      // Uptime moves between the two reads.
      if (!k.startsWith('discord_uptime_seconds')) expect(v, k).toBe(text.get(k));
    }
    const response = snapshot.metrics.discord_interaction_response_seconds!;
    expect(response.type).toBe('histogram');
    if (response.type !== 'histogram') throw new Error('unreachable');
    expect(response.le.at(-1)).toBe('+Inf');
    expect(response.le).toContain('3');
    expect(response.labelNames).toEqual(['type', 'command', 'cluster']);
    expect(snapshot.metrics.discord_bot_info?.type).toBe('info');
    expect(snapshot.metrics.discord_shard_up?.help).toMatch(/shard/);
    adapter.close();
  });

  it('is compact: label names and bounds once per family', async () => {
    const { adapter } = realisticRegistry({ shards: 16, commands: 100 });
    const json = JSON.stringify(await adapter.snapshot());
    const text = await adapter.render('text');
    // The exposition repeats names and labels on every bucket line; the snapshot does not.
    expect(json.length).toBeLessThan(text.length / 3);
    adapter.close();
  });

  it('reads gauges live and includes prom-client process metrics', async () => {
    const { adapter, shards } = realisticRegistry({ processMetrics: true });
    const first = await adapter.snapshot();
    shards[0]!.latencySeconds = 0.5;
    const second = await adapter.snapshot();
    const shard0 = (s: MetricsSnapshot) => {
      const family = s.metrics.discord_shard_latency_seconds!;
      if (family.type === 'histogram') throw new Error('not a gauge');
      return family.series.find(([values]) => values[0] === '0')![1];
    };
    expect(shard0(first)).not.toBe(0.5);
    expect(shard0(second)).toBe(0.5);
    expect(expand(second).get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(second.time).toBeGreaterThanOrEqual(first.time);
    adapter.close();
  });

  it('regroups foreign prom-client histograms and splits summaries into untyped families', async () => {
    const { adapter } = realisticRegistry();
    const h = new Histogram({
      name: 'user_job_seconds',
      help: 'Jobs.',
      labelNames: ['queue'],
      buckets: [0.1, 1],
      registers: [adapter.registry],
    });
    h.labels('email').observe(0.05);
    h.labels('email').observe(0.5);
    const summary = new Summary({ name: 'user_size_bytes', help: 'Sizes.', registers: [adapter.registry] });
    summary.observe(10);
    const snapshot = await adapter.snapshot();
    expect(snapshot.metrics.user_job_seconds).toEqual({
      type: 'histogram',
      help: 'Jobs.',
      labelNames: ['queue'],
      le: ['0.1', '1', '+Inf'],
      series: [[['email'], [1, 2, 2], 0.55, 2]],
    });
    expect(snapshot.metrics.user_size_bytes_sum).toMatchObject({ type: 'untyped', series: [[[], 10]] });
    expect(snapshot.metrics.user_size_bytes?.labelNames).toEqual(['quantile']);
    const text = textSamples(await adapter.render('text'));
    for (const [k, v] of expand(snapshot)) if (k.startsWith('user_')) expect(v, k).toBe(text.get(k));
    adapter.close();
  });

  it('round-trips through JSON for any label text and never carries a forbidden label', async () => {
    const { registry, adapter } = realisticRegistry();
    registry.define({ kind: 'counter', name: 'odd_total', help: 'Odd "labels".', labelNames: ['value'] });
    const odd = ['say "hi"', 'C:\\bots', 'two\nlines', 'ünïcödé ✓ 🚀', '', '</script>'];
    for (const v of odd) registry.counter('odd_total').labels(v).inc();
    const snapshot = await adapter.snapshot();
    const json = JSON.stringify(snapshot);
    expect(JSON.parse(json)).toEqual(snapshot);
    const family = snapshot.metrics.odd_total!;
    if (family.type === 'histogram') throw new Error('not a counter');
    expect(family.series.map(([values]) => values[0])).toEqual(odd);
    expect(json).not.toMatch(/"(guild_id|user_id|channel_id|message_id|interaction_id|custom_id)"/);
    adapter.close();
  });

  it('leaves out a failing gauge and reports it', async () => {
    const { registry, adapter } = realisticRegistry();
    registry.define({
      kind: 'gauge',
      name: 'broken_gauge',
      help: 'Throws.',
      collect: () => {
        throw new Error('no');
      },
    });
    const snapshot = await adapter.snapshot();
    expect(snapshot.metrics.broken_gauge).toBeUndefined();
    expect(expand(snapshot).get('discord_guilds{cluster="c1"}')).toBe(1234);
    adapter.close();
  });
});
