import type { MetricsSnapshot } from '@argus/core';
import { describe, expect, it } from 'vitest';
import { realisticRegistry } from './fixtures';

/** Every sample of a text exposition, keyed as `name{labels}` exactly as rendered. */
function textSamples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

const key = (name: string, labels: Record<string, string>) => {
  const pairs = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')}"`,
  );
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
};

describe('snapshot()', () => {
  it('holds exactly the samples of the text exposition, with kinds and help', async () => {
    const { adapter } = realisticRegistry({ shards: 3, commands: 4 });
    const snapshot = await adapter.snapshot();
    const text = textSamples(await adapter.render('text'));
    let count = 0;
    for (const family of Object.values(snapshot.metrics)) {
      for (const s of family.samples) {
        // Uptime moves between the two reads; its presence is still checked.
        const expected = s.name === 'discord_uptime_seconds' ? expect.any(Number) : s.value;
        expect(text.get(key(s.name, s.labels)), key(s.name, s.labels)).toEqual(expected);
        count++;
      }
    }
    expect(count).toBe(text.size);
    expect(snapshot.metrics.discord_interactions_total?.type).toBe('counter');
    expect(snapshot.metrics.discord_interaction_response_seconds?.type).toBe('histogram');
    expect(snapshot.metrics.discord_bot_info?.type).toBe('info');
    expect(snapshot.metrics.discord_shard_up?.help).toMatch(/shard/);
    const buckets = snapshot.metrics.discord_interaction_response_seconds!.samples.filter((s) =>
      s.name.endsWith('_bucket'),
    );
    expect(buckets.some((b) => b.labels.le === '+Inf')).toBe(true);
    expect(buckets.some((b) => b.labels.le === '3')).toBe(true);
    adapter.close();
  });

  it('reads gauges live and includes prom-client process metrics', async () => {
    const { adapter, shards } = realisticRegistry({ processMetrics: true });
    const first = await adapter.snapshot();
    shards[0]!.latencySeconds = 0.5;
    const second = await adapter.snapshot();
    const shard0 = (s: MetricsSnapshot) =>
      s.metrics.discord_shard_latency_seconds!.samples.find((x) => x.labels.shard === '0')!.value;
    expect(shard0(first)).not.toBe(0.5);
    expect(shard0(second)).toBe(0.5);
    expect(second.metrics.process_resident_memory_bytes?.samples[0]?.value).toBeGreaterThan(0);
    expect(second.time).toBeGreaterThanOrEqual(first.time);
    adapter.close();
  });

  it('round-trips through JSON for any label text and never carries a forbidden label', async () => {
    const { registry, adapter } = realisticRegistry();
    registry.define({ kind: 'counter', name: 'odd_total', help: 'Odd "labels".', labelNames: ['value'] });
    for (const v of ['say "hi"', 'C:\\bots', 'two\nlines', 'ünïcödé ✓ 🚀', '', '</script>']) {
      registry.counter('odd_total').labels(v).inc();
    }
    const snapshot = await adapter.snapshot();
    const json = JSON.stringify(snapshot);
    expect(JSON.parse(json)).toEqual(snapshot);
    expect(snapshot.metrics.odd_total!.samples.map((s) => s.labels.value)).toContain('two\nlines');
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
    expect(snapshot.metrics.discord_guilds?.samples[0]?.value).toBe(1234);
    adapter.close();
  });
});
