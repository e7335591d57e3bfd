// A real discord.js Client on the simulator with Argus attached; the real OpenTelemetry SDK
// exporter pushes into an in-process receiver that decodes with the official protobuf
// definitions. What arrives must equal what /metrics shows at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, startBot, until } from '../../discordjs/test/harness';
import { otlp } from '../src/index';
import { labelKey, parseExposition } from './exposition-text';
import { attributesOf, type FlatPoint, flatten, type OtlpReceiver, startOtlpReceiver } from './otlp-receiver';

/** Gauges that read a clock (or the event-loop delay sampler) at each read. */
const CLOCK_GAUGES = new Set(['discord_uptime_seconds']);

/** The UCUM unit a Prometheus name's suffix stands for. */
function expectedUnit(name: string): string {
  const base = name.replace(/_total$/, '');
  if (base.endsWith('_seconds')) return 's';
  if (base.endsWith('_bytes')) return 'By';
  if (base.endsWith('_ratio')) return '1';
  return '';
}

let receiver: OtlpReceiver;
let bot: Running;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // Heartbeats far apart: the shard latency gauge stays put while the two views are compared.
  bot = await startBot(
    { shardCount: 2, guildCount: 3, heartbeatIntervalMs: 60_000 },
    {
      clusterId: 'eu-1',
      // A bare collector address: /v1/metrics is appended, as with OTEL_EXPORTER_OTLP_ENDPOINT.
      otlpEndpoint: receiver.url.replace('/v1/metrics', ''),
      otlpInterval: 1,
      otlpServiceName: 'test-bot',
      otlpServiceVersion: '1.2.3',
      otlpResourceAttributes: 'deployment.environment=test,team=bots',
    },
  );
  // Traffic of every kind: answered, deferred, slow, failing (never answered), a button.
  bot.sim.sendInteraction({ type: 'command', name: 'fail' });
  for (const name of ['ping', 'delayed', 'defer'])
    await bot.sim.sendInteraction({ type: 'command', name }).callback;
  await bot.sim.sendInteraction({ type: 'button', customId: 'b1' }).callback;
  await until(
    async () => ((await bot.scrape()).value('discord_command_errors_total', { command: 'fail' }) ?? 0) >= 1,
  );
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await receiver?.close();
});

describe('OTLP push from argus()', () => {
  it('exports on the interval with the resource attributes and the cluster on every point', async () => {
    const got = await until(() => receiver.received.at(-1), 15_000, 'an OTLP export');
    expect(got.contentType).toBe('application/x-protobuf');
    const resource = attributesOf(got.body.resourceMetrics[0]!.resource.attributes);
    expect(resource).toMatchObject({
      'service.name': 'test-bot',
      'service.version': '1.2.3',
      'service.instance.id': 'eu-1',
      'deployment.environment': 'test',
      team: 'bots',
    });
    const points = flatten(got.body);
    expect(points.length).toBeGreaterThan(50);
    for (const point of points) expect(point.attributes.cluster, point.name).toBe('eu-1');
    expect((await bot.scrape()).value('argus_otlp_exports_total', { result: 'success' })).toBeGreaterThan(0);
    expect((await bot.scrape()).value('argus_subsystem_up', { subsystem: 'otlp' })).toBe(1);
  });

  it('sends, for every Argus metric, exactly what /metrics shows at the same moment', async () => {
    // A second push on the same bot whose snapshot also renders /metrics' text in the same turn.
    const local = await startOtlpReceiver();
    const texts: string[] = [];
    const push = otlp({ url: local.url, intervalMs: 3_600_000 }).start({
      snapshot: async () => {
        const snapshot = await bot.argus.prometheus!.snapshot();
        texts.push(await bot.argus.prometheus!.render());
        return snapshot;
      },
      registry: bot.argus.registry,
      clusterId: 'eu-1',
    });
    await push.flush();
    await push.close(2_000);
    await local.close();
    // The flush, then the last export close() sends.
    expect(local.received).toHaveLength(2);
    const text = texts[0]!;
    const points = flatten(local.received[0]!.body);
    const byName = new Map<string, FlatPoint[]>();
    for (const p of points) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);

    const families = [...parseExposition(text).values()].filter(
      (f) => f.name.startsWith('discord_') || f.name.startsWith('argus_'),
    );
    expect(families.length).toBeGreaterThan(20);
    const checked: string[] = [];
    for (const family of families) {
      if (family.type === 'histogram') {
        const series = new Map<
          string,
          { labels: Record<string, string>; le: [number, number][]; sum: number; count: number }
        >();
        for (const s of family.samples) {
          const { le, ...labels } = s.labels;
          const key = labelKey(labels);
          const row = series.get(key) ?? { labels, le: [], sum: 0, count: 0 };
          series.set(key, row);
          if (s.name.endsWith('_bucket'))
            row.le.push([le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), s.value]);
          else if (s.name.endsWith('_sum')) row.sum = s.value;
          else if (s.name.endsWith('_count')) row.count = s.value;
        }
        const exported = byName.get(family.name) ?? [];
        expect(exported.length, family.name).toBe(series.size);
        for (const row of series.values()) {
          const point = exported.find((p) => labelKey(p.attributes) === labelKey(row.labels));
          expect(point, `${family.name} ${labelKey(row.labels)}`).toBeDefined();
          expect(point!.kind).toBe('histogram');
          expect(point!.temporality).toBe(2); // cumulative
          expect(point!.unit, family.name).toBe(expectedUnit(family.name));
          const bounds = row.le.filter(([b]) => b !== Number.POSITIVE_INFINITY).map(([b]) => b);
          expect(point!.histogram!.bounds).toEqual(bounds);
          const perBucket = row.le.map(([, c], i) => c - (i === 0 ? 0 : row.le[i - 1]![1]));
          expect(point!.histogram!.counts).toEqual(perBucket);
          expect(point!.histogram!.count).toBe(row.count);
          expect(point!.histogram!.sum).toBeCloseTo(row.sum, 9);
        }
      } else {
        const exported = byName.get(family.name) ?? [];
        expect(exported.length, family.name).toBe(family.samples.length);
        for (const s of family.samples) {
          const point = exported.find((p) => labelKey(p.attributes) === labelKey(s.labels));
          expect(point, `${family.name} ${labelKey(s.labels)}`).toBeDefined();
          expect(point!.kind, family.name).toBe(family.type === 'counter' ? 'sum' : 'gauge');
          if (family.type === 'counter') expect(point!.monotonic).toBe(true);
          expect(point!.unit, family.name).toBe(expectedUnit(family.name));
          // Clock readings advance between the two reads of the same instant; everything else is exact.
          if (CLOCK_GAUGES.has(family.name)) expect(Math.abs(point!.value! - s.value)).toBeLessThan(1);
          else expect(point!.value, `${family.name} ${labelKey(s.labels)}`).toBe(s.value);
        }
      }
      checked.push(family.name);
    }
    // The families that matter most are among those compared.
    expect(checked).toEqual(
      expect.arrayContaining([
        'discord_interactions_total',
        'discord_interaction_response_seconds',
        'discord_gateway_events_total',
        'discord_bot_info',
        'argus_instrumentation_errors_total',
      ]),
    );
  });
});
