// Exact exposition of every metric kind, in both formats, through the real MetricRegistry with
// a default label. The inline snapshots pin the format: a prom-client upgrade that changes how
// it formats or what its collector contract reads fails here.
import { MetricRegistry } from '@argus/core';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusAdapter } from '../src/index';

function setup() {
  const registry = new MetricRegistry({ defaultLabels: { cluster: 'c1' } });
  const adapter = new PrometheusAdapter({ processMetrics: false, guard: registry.guard });
  registry.attach(adapter);
  return { registry, adapter };
}

/** The exposition without core's own two `argus_*` counters, which every registry has. */
async function renderOwn(adapter: PrometheusAdapter, format: 'text' | 'openmetrics' = 'text') {
  const out = await adapter.render(format);
  return out
    .split(/\n(?=# HELP )/)
    .filter((family) => !/^# HELP argus_(label_values_folded|instrumentation_errors)/.test(family))
    .join('\n');
}

describe('counter', () => {
  it('renders labeled series with the default label, in both formats', async () => {
    const { registry, adapter } = setup();
    registry.define({
      kind: 'counter',
      name: 'discord_app_commands_total',
      help: 'Application command invocations by outcome.',
      labelNames: ['command', 'status'],
    });
    const commands = registry.counter('discord_app_commands_total');
    commands.labels('ping', 'ok').inc();
    commands.labels('ping', 'ok').inc(2);
    commands.labels('ban', 'error').inc(0.5);
    commands.labels('idle', 'ok');
    expect(await renderOwn(adapter)).toMatchInlineSnapshot(`
      "# HELP discord_app_commands_total Application command invocations by outcome.
      # TYPE discord_app_commands_total counter
      discord_app_commands_total{command="ping",status="ok",cluster="c1"} 3
      discord_app_commands_total{command="ban",status="error",cluster="c1"} 0.5
      discord_app_commands_total{command="idle",status="ok",cluster="c1"} 0
      "
    `);
    expect(await renderOwn(adapter, 'openmetrics')).toMatchInlineSnapshot(`
      "# HELP discord_app_commands Application command invocations by outcome.
      # TYPE discord_app_commands counter
      discord_app_commands_total{command="ping",status="ok",cluster="c1"} 3
      discord_app_commands_total{command="ban",status="error",cluster="c1"} 0.5
      discord_app_commands_total{command="idle",status="ok",cluster="c1"} 0
      # EOF
      "
    `);
  });
});

describe('gauge', () => {
  it('reads the callback at every scrape', async () => {
    const { registry, adapter } = setup();
    let latency = 0.042;
    registry.define({
      kind: 'gauge',
      name: 'discord_shard_latency_seconds',
      help: 'Gateway heartbeat round trip per shard, in seconds.',
      labelNames: ['shard'],
      collect: (emit) => {
        emit(latency, { shard: '0' });
        emit(0.1, { shard: '1' });
      },
    });
    registry.define({
      kind: 'gauge',
      name: 'discord_guilds',
      help: 'Guilds the bot is in.',
      collect: (e) => e(12),
    });
    expect(await renderOwn(adapter)).toMatchInlineSnapshot(`
      "# HELP discord_shard_latency_seconds Gateway heartbeat round trip per shard, in seconds.
      # TYPE discord_shard_latency_seconds gauge
      discord_shard_latency_seconds{shard="0",cluster="c1"} 0.042
      discord_shard_latency_seconds{shard="1",cluster="c1"} 0.1

      # HELP discord_guilds Guilds the bot is in.
      # TYPE discord_guilds gauge
      discord_guilds{cluster="c1"} 12
      "
    `);
    latency = 0.05;
    expect(await renderOwn(adapter, 'openmetrics')).toMatchInlineSnapshot(`
      "# HELP discord_shard_latency_seconds Gateway heartbeat round trip per shard, in seconds.
      # TYPE discord_shard_latency_seconds gauge
      discord_shard_latency_seconds{shard="0",cluster="c1"} 0.05
      discord_shard_latency_seconds{shard="1",cluster="c1"} 0.1
      # HELP discord_guilds Guilds the bot is in.
      # TYPE discord_guilds gauge
      discord_guilds{cluster="c1"} 12
      # EOF
      "
    `);
  });
});

describe('histogram', () => {
  it('renders cumulative buckets, +Inf, sum and count', async () => {
    const { registry, adapter } = setup();
    registry.define({
      kind: 'histogram',
      name: 'discord_interaction_response_seconds',
      help: 'Seconds from interaction receipt to its initial response.',
      labelNames: ['command'],
      buckets: [0.1, 0.5, 1, 3],
    });
    const ping = registry.histogram('discord_interaction_response_seconds').labels('ping');
    for (const seconds of [0.05, 0.1, 0.7, 2.9, 3, 4.5]) ping.observe(seconds);
    expect(await renderOwn(adapter)).toMatchInlineSnapshot(`
      "# HELP discord_interaction_response_seconds Seconds from interaction receipt to its initial response.
      # TYPE discord_interaction_response_seconds histogram
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="0.1"} 2
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="0.5"} 2
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="1"} 3
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="3"} 5
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="+Inf"} 6
      discord_interaction_response_seconds_sum{command="ping",cluster="c1"} 11.25
      discord_interaction_response_seconds_count{command="ping",cluster="c1"} 6
      "
    `);
    expect(await renderOwn(adapter, 'openmetrics')).toMatchInlineSnapshot(`
      "# HELP discord_interaction_response_seconds Seconds from interaction receipt to its initial response.
      # TYPE discord_interaction_response_seconds histogram
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="0.1"} 2
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="0.5"} 2
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="1"} 3
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="3"} 5
      discord_interaction_response_seconds_bucket{command="ping",cluster="c1",le="+Inf"} 6
      discord_interaction_response_seconds_sum{command="ping",cluster="c1"} 11.25
      discord_interaction_response_seconds_count{command="ping",cluster="c1"} 6
      # EOF
      "
    `);
  });
});

describe('info', () => {
  it('is one sample of value 1, replaced by setInfo; the info type in OpenMetrics', async () => {
    const { registry, adapter } = setup();
    registry.define({
      kind: 'info',
      name: 'discord_bot_info',
      help: 'Versions running this bot.',
      labelNames: ['discordjs_version', 'argus_version'],
    });
    registry.setInfo('discord_bot_info', { discordjs_version: '14.27.0', argus_version: '0.0.9' });
    registry.setInfo('discord_bot_info', { discordjs_version: '14.28.1', argus_version: '0.1.0' });
    expect(await renderOwn(adapter)).toMatchInlineSnapshot(`
      "# HELP discord_bot_info Versions running this bot.
      # TYPE discord_bot_info gauge
      discord_bot_info{discordjs_version="14.28.1",argus_version="0.1.0",cluster="c1"} 1
      "
    `);
    expect(await renderOwn(adapter, 'openmetrics')).toMatchInlineSnapshot(`
      "# HELP discord_bot Versions running this bot.
      # TYPE discord_bot info
      discord_bot_info{discordjs_version="14.28.1",argus_version="0.1.0",cluster="c1"} 1
      # EOF
      "
    `);
  });
});

describe('document structure', () => {
  it('separates families like prom-client and ends OpenMetrics with # EOF', async () => {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'a_total', help: 'A.' });
    registry.counter('a_total').labels().inc();
    expect(await adapter.render()).toMatchInlineSnapshot(`
      "# HELP argus_label_values_folded_total Label values folded into "other" because a metric reached its distinct-value cap.
      # TYPE argus_label_values_folded_total counter

      # HELP argus_instrumentation_errors_total Instrumentation failures that were counted and swallowed, by hook.
      # TYPE argus_instrumentation_errors_total counter

      # HELP a_total A.
      # TYPE a_total counter
      a_total{cluster="c1"} 1
      "
    `);
    expect(await adapter.render('openmetrics')).toMatchInlineSnapshot(`
      "# HELP argus_label_values_folded Label values folded into \\"other\\" because a metric reached its distinct-value cap.
      # TYPE argus_label_values_folded counter
      # HELP argus_instrumentation_errors Instrumentation failures that were counted and swallowed, by hook.
      # TYPE argus_instrumentation_errors counter
      # HELP a A.
      # TYPE a counter
      a_total{cluster="c1"} 1
      # EOF
      "
    `);
  });

  it('escapes HELP per format (a quote is escaped only in OpenMetrics)', async () => {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'q_total', help: 'Folded into "other"; a \\ and a\nnewline.' });
    expect(await renderOwn(adapter)).toMatchInlineSnapshot(`
      "# HELP q_total Folded into "other"; a \\\\ and a\\nnewline.
      # TYPE q_total counter
      "
    `);
    expect(await renderOwn(adapter, 'openmetrics')).toMatchInlineSnapshot(`
      "# HELP q Folded into \\"other\\"; a \\\\ and a\\nnewline.
      # TYPE q counter
      # EOF
      "
    `);
  });
});

describe('label value escaping', () => {
  const tricky = ['say "hi"', 'C:\\bots\\argus', 'two\nlines', 'ünïcödé ✓ 🚀', '\\"\n'];

  it('escapes quotes, backslashes and newlines and keeps unicode, for every kind and format', async () => {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.', labelNames: ['v'] });
    registry.define({ kind: 'histogram', name: 'h_seconds', help: 'H.', labelNames: ['v'], buckets: [1] });
    registry.define({
      kind: 'gauge',
      name: 'g',
      help: 'G.',
      labelNames: ['v'],
      collect: (emit) => {
        for (const v of tricky) emit(1, { v });
      },
    });
    registry.define({ kind: 'info', name: 'i_info', help: 'I.', labelNames: ['v'] });
    for (const v of tricky) registry.counter('c_total').labels(v).inc();
    registry.histogram('h_seconds').labels(tricky[0]!).observe(0.5);
    registry.setInfo('i_info', { v: tricky[4]! });
    const text = await renderOwn(adapter);
    expect(text).toMatchInlineSnapshot(`
      "# HELP c_total C.
      # TYPE c_total counter
      c_total{v="say \\"hi\\"",cluster="c1"} 1
      c_total{v="C:\\\\bots\\\\argus",cluster="c1"} 1
      c_total{v="two\\nlines",cluster="c1"} 1
      c_total{v="ünïcödé ✓ 🚀",cluster="c1"} 1
      c_total{v="\\\\\\"\\n",cluster="c1"} 1

      # HELP h_seconds H.
      # TYPE h_seconds histogram
      h_seconds_bucket{v="say \\"hi\\"",cluster="c1",le="1"} 1
      h_seconds_bucket{v="say \\"hi\\"",cluster="c1",le="+Inf"} 1
      h_seconds_sum{v="say \\"hi\\"",cluster="c1"} 0.5
      h_seconds_count{v="say \\"hi\\"",cluster="c1"} 1

      # HELP g G.
      # TYPE g gauge
      g{v="say \\"hi\\"",cluster="c1"} 1
      g{v="C:\\\\bots\\\\argus",cluster="c1"} 1
      g{v="two\\nlines",cluster="c1"} 1
      g{v="ünïcödé ✓ 🚀",cluster="c1"} 1
      g{v="\\\\\\"\\n",cluster="c1"} 1

      # HELP i_info I.
      # TYPE i_info gauge
      i_info{v="\\\\\\"\\n",cluster="c1"} 1
      "
    `);
    // Label lines are identical in both formats; only the family headers differ.
    const samples = (s: string) => s.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples(await renderOwn(adapter, 'openmetrics'))).toEqual(samples(text));
  });

  it('matches prom-client escaping of the same values', async () => {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.', labelNames: ['v'] });
    const own = new Registry();
    const native = new Counter({
      name: 'c_total',
      help: 'C.',
      labelNames: ['v', 'cluster'],
      registers: [own],
    });
    for (const v of tricky) {
      registry.counter('c_total').labels(v).inc();
      native.labels(v, 'c1').inc();
    }
    expect(await renderOwn(adapter)).toBe(await own.metrics());
  });
});

describe('prom-client compatibility', () => {
  function mixed() {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'argus_c_total', help: 'C.', labelNames: ['command'] });
    registry.define({
      kind: 'histogram',
      name: 'argus_h_seconds',
      help: 'H.',
      labelNames: ['command'],
      buckets: [0.005, 0.25, 1, 2.5, 10],
    });
    registry.define({
      kind: 'gauge',
      name: 'argus_g',
      help: 'G.',
      labelNames: ['shard'],
      collect: (e) => e(3, { shard: '0' }),
    });
    registry.define({ kind: 'info', name: 'argus_i_info', help: 'I.', labelNames: ['v'] });
    registry.counter('argus_c_total').labels('ping').inc(3);
    registry.histogram('argus_h_seconds').labels('ping').observe(0.3);
    registry.histogram('argus_h_seconds').labels('ping').observe(0.0001);
    registry.setInfo('argus_i_info', { v: '1' });
    // The user's own prom-client metrics in the adapter's registry.
    const mine = new Counter({
      name: 'my_jobs_total',
      help: 'Mine.',
      labelNames: ['kind'],
      registers: [adapter.registry],
    });
    mine.labels('a').inc(2);
    const myHistogram = new Histogram({
      name: 'my_job_seconds',
      help: 'Mine.',
      buckets: [1],
      registers: [adapter.registry],
    });
    myHistogram.observe(0.5);
    return { registry, adapter };
  }

  it('text: render() is byte-identical to prom-client formatting the same registry', async () => {
    const { adapter } = mixed();
    const rendered = await adapter.render();
    expect(rendered).toBe(await adapter.registry.metrics());
    expect(rendered).toContain('# TYPE my_jobs_total counter\nmy_jobs_total{kind="a"} 2\n');
  });

  it('OpenMetrics: render() matches prom-client, and does not rename user counters in place', async () => {
    const { adapter } = mixed();
    const rendered = await adapter.render('openmetrics');
    expect(rendered).toContain('# TYPE my_jobs counter\nmy_jobs_total{kind="a"} 2\n');
    expect(rendered).toContain('# TYPE argus_i info\nargus_i_info{v="1",cluster="c1"} 1\n');
    // Still correct in text afterwards (prom-client's own metrics() would have renamed my_jobs_total).
    expect(await adapter.render()).toContain('# TYPE my_jobs_total counter\nmy_jobs_total{kind="a"} 2\n');
    // prom-client itself differs in one place: OpenMetrics requires `\"` for a quote in HELP
    // (core's argus_label_values_folded_total has one), prom-client writes it raw.
    const unescapedHelp = rendered
      .split('\n')
      .map((line) => (line.startsWith('# HELP ') ? line.replaceAll('\\"', '"') : line))
      .join('\n');
    expect(unescapedHelp).not.toBe(rendered);
    adapter.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    expect(await adapter.registry.metrics()).toBe(unescapedHelp);
  });

  it('renders both formats concurrently from one registry', async () => {
    const { adapter } = mixed();
    const [text, om] = await Promise.all([adapter.render(), adapter.render('openmetrics')]);
    expect(text).toBe(await adapter.render());
    expect(om).toBe(await adapter.render('openmetrics'));
    expect(text).not.toContain('# EOF');
    expect(om.endsWith('\n# EOF\n')).toBe(true);
  });

  it('exposes Argus metrics to getMetricsAsJSON (cluster aggregation) like native ones', async () => {
    const { adapter } = mixed();
    const json = await adapter.registry.getMetricsAsJSON();
    const byName = Object.fromEntries(json.map((m) => [m.name, m]));
    expect(byName.argus_c_total).toMatchObject({
      type: 'counter',
      aggregator: 'sum',
      values: [{ value: 3, labels: { command: 'ping', cluster: 'c1' } }],
    });
    expect(byName.argus_h_seconds?.values).toContainEqual({
      value: 2,
      labels: { command: 'ping', cluster: 'c1', le: '+Inf' },
      metricName: 'argus_h_seconds_bucket',
    });
    expect(byName.argus_i_info).toMatchObject({ type: 'gauge', aggregator: 'first' });
  });

  it('applies prom-client registry default labels to Argus metrics too', async () => {
    const { adapter } = mixed();
    adapter.registry.setDefaultLabels({ app: 'bot' });
    const text = await adapter.render();
    expect(text).toBe(await adapter.registry.metrics());
    expect(text).toContain('argus_c_total{command="ping",cluster="c1",app="bot"} 3\n');
    expect(text).toContain('argus_g{shard="0",cluster="c1",app="bot"} 3\n');
    const om = await adapter.render('openmetrics');
    expect(om).toContain('# TYPE argus_c counter\nargus_c_total{command="ping",cluster="c1",app="bot"} 3\n');
    expect(om).toContain('# TYPE argus_i info\nargus_i_info{v="1",cluster="c1",app="bot"} 1\n');
  });

  it('zeroes Argus counters and histograms on registry.resetMetrics()', async () => {
    const { registry, adapter } = mixed();
    adapter.registry.resetMetrics();
    const text = await adapter.render();
    expect(text).toContain('argus_c_total{command="ping",cluster="c1"} 0\n');
    expect(text).toContain('argus_h_seconds_count{command="ping",cluster="c1"} 0\n');
    registry.counter('argus_c_total').labels('ping').inc();
    expect(await adapter.render()).toContain('argus_c_total{command="ping",cluster="c1"} 1\n');
  });
});

describe('renderBytes', () => {
  it('is the UTF-8 of render(), in both formats, and a new buffer per call', async () => {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'b_total', help: 'Bytes "é".', labelNames: ['v'] });
    registry.define({
      kind: 'histogram',
      name: 'b_seconds',
      help: 'H.',
      labelNames: ['v'],
      buckets: [0.1, 1],
    });
    for (const v of ['plain', 'café', 'a"b\\c\nd', '\ud83d\ude00', 'lone \ud800']) {
      registry.counter('b_total').labels(v).inc(3);
      registry.histogram('b_seconds').labels(v).observe(0.5);
    }
    for (const format of ['text', 'openmetrics'] as const) {
      const bytes = await adapter.renderBytes(format);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(Buffer.from(await adapter.render(format), 'utf8'))).toBe(true);
      expect(Buffer.from(bytes).toString('utf8')).toContain('b_total{v="café",cluster="c1"} 3\n');
      // A new render never writes into bytes handed out before (small buffers may share Node's
      // allocation pool, so the check is on the bytes themselves, not on their ArrayBuffer).
      const before = Buffer.from(bytes).toString('latin1');
      registry.counter('b_total').labels('plain').inc(1_000_000);
      const again = await adapter.renderBytes(format);
      expect(Buffer.from(again).toString('latin1')).not.toBe(before);
      expect(Buffer.from(bytes).toString('latin1')).toBe(before);
    }
  });

  it('renders concurrent scrapes of both kinds each in full', async () => {
    const { registry, adapter } = setup();
    registry.define({ kind: 'counter', name: 'c_total', help: 'C.', labelNames: ['v'] });
    for (let i = 0; i < 500; i++) registry.counter('c_total').labels(`value-${i}`).inc(i);
    const expected = await adapter.render('text');
    const results = await Promise.all([
      adapter.render('text'),
      adapter.renderBytes('text'),
      adapter.render('text'),
      adapter.renderBytes('text'),
    ]);
    for (const result of results) {
      expect(typeof result === 'string' ? result : Buffer.from(result).toString('utf8')).toBe(expected);
    }
  });

  it('is # EOF alone once closed', async () => {
    const { adapter } = setup();
    adapter.close();
    expect(Buffer.from(await adapter.renderBytes('openmetrics')).toString()).toBe('# EOF\n');
    expect((await adapter.renderBytes('text')).byteLength).toBe(0);
  });
});

describe('default process metrics', () => {
  it('are collected into the adapter registry by default', async () => {
    const adapter = new PrometheusAdapter();
    try {
      const text = await adapter.render();
      expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
      expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      expect(text).toContain('# TYPE nodejs_heap_size_total_bytes gauge');
      const om = await adapter.render('openmetrics');
      expect(om).toContain('# TYPE process_cpu_user_seconds counter\nprocess_cpu_user_seconds_total ');
    } finally {
      adapter.close();
    }
  });

  it('carry the labels given in processMetricsLabels, so every metric has the cluster label', async () => {
    const registry = new MetricRegistry({ defaultLabels: { cluster: 'eu-1' } });
    const adapter = new PrometheusAdapter({
      guard: registry.guard,
      processMetricsLabels: { cluster: 'eu-1' },
    });
    registry.attach(adapter);
    try {
      for (const format of ['text', 'openmetrics'] as const) {
        const text = await adapter.render(format);
        const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
        const families = new Set(
          text
            .split('\n')
            .filter((line) => line.startsWith('# TYPE '))
            .map((line) => line.split(' ')[2]!),
        );
        const processFamilies = [...families].filter((name) => /^(?:process|nodejs)_/.test(name));
        expect(processFamilies.length).toBeGreaterThanOrEqual(20);
        expect(samples.filter((line) => !/[{,]cluster="eu-1"[,}]/.test(line))).toEqual([]);
      }
    } finally {
      adapter.close();
    }
  });

  it.each([
    [{ 'bad-name': 'x' }, /"processMetricsLabels".*"bad-name"/],
    [{ __reserved: 'x' }, /"processMetricsLabels".*"__reserved"/],
    [{ guild_id: 'x' }, /"processMetricsLabels".*"guild_id"/],
    [{ cluster: 1 }, /"processMetricsLabels".*"cluster".*string/],
    ['cluster', /"processMetricsLabels" must be an object/],
  ])('refuses processMetricsLabels %j with an error naming the option', (labels, message) => {
    expect(
      () => new PrometheusAdapter({ processMetricsLabels: labels as unknown as Record<string, string> }),
    ).toThrow(message);
  });

  it('are absent with processMetrics: false', async () => {
    const adapter = new PrometheusAdapter({ processMetrics: false });
    const text = await adapter.render();
    expect(text).not.toContain('process_cpu_user_seconds_total');
    expect(text).not.toContain('nodejs_eventloop_lag_seconds');
    expect(text).toBe('');
    expect(await adapter.render('openmetrics')).toBe('# EOF\n');
  });
});
