// Workload 3a: one `/metrics` scrape of a 16-shard bot with 100 commands.

import {
  BOUND_SERIES,
  buildArgus,
  buildPromClient,
  COMMAND_COUNT,
  describeExposition,
  GATEWAY_EVENTS,
  REST_ROUTES,
  SHARD_COUNT,
} from '../fixtures/catalogue';
import { goals, type Workload } from '../harness';
import { encode } from '../measure';

export const renderCatalogue: Workload = {
  name: 'render-catalogue',
  title: `/metrics render, ${SHARD_COUNT} shards x ${COMMAND_COUNT} commands`,
  description:
    `The whole Argus catalogue with ${BOUND_SERIES} bound series (app commands, durations, errors, interactions, ` +
    `${GATEWAY_EVENTS.length} gateway events, ${REST_ROUTES.length} REST routes) and ${SHARD_COUNT} shards in the ` +
    'gauges, rendered by PrometheusAdapter.render() vs the same metrics and values defined directly in prom-client ' +
    'and rendered by registry.metrics(). Every variant includes UTF-8 encoding the result, as the HTTP ' +
    'response does (renderBytes() returns the encoded bytes, which @argus/server sends as they are). Default ' +
    'process metrics off unless stated.',
  unit: 'ms/op',
  baseline: 'prom-client registry.metrics()',
  reference: 'argus-dpy: 3.7 ms per render',
  async setup() {
    const argus = buildArgus();
    const argusProcess = buildArgus({ processMetrics: true });
    const prom = buildPromClient();
    const promDefault = buildPromClient({ defaultMetrics: true });
    const notes = [
      describeExposition('argus text', await argus.adapter.render('text')),
      describeExposition('prom-client text', await prom.register.metrics()),
      describeExposition('argus text, processMetrics on', await argusProcess.adapter.render('text')),
      describeExposition('prom-client + default metrics', await promDefault.register.metrics()),
    ];
    return {
      notes,
      variants: [
        {
          name: 'prom-client registry.metrics()',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await prom.register.metrics());
          },
        },
        {
          name: 'argus render(text)',
          goal: goals.below(1, 'ms'),
          async run(n) {
            for (let i = 0; i < n; i++) encode(await argus.adapter.render('text'));
          },
        },
        {
          name: 'argus renderBytes(text)',
          goal: goals.below(0.5, 'ms'),
          async run(n) {
            // Already the bytes the response sends: nothing left to encode.
            let length = 0;
            for (let i = 0; i < n; i++) length += (await argus.adapter.renderBytes('text')).byteLength;
            if (length < 0) throw new Error('unreachable');
          },
        },
        {
          name: 'argus render(text), not encoded',
          async run(n) {
            // Diagnostic: the string as returned, before the response flattens and encodes it.
            let length = 0;
            for (let i = 0; i < n; i++) length += (await argus.adapter.render('text')).length;
            if (length < 0) throw new Error('unreachable');
          },
        },
        {
          name: 'argus render(openmetrics)',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await argus.adapter.render('openmetrics'));
          },
        },
        {
          name: 'argus adapter.registry.metrics()',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await argus.adapter.registry.metrics());
          },
        },
        {
          name: 'prom-client + default metrics',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await promDefault.register.metrics());
          },
        },
        {
          name: 'argus render(text), processMetrics on',
          compareTo: 'prom-client + default metrics',
          async run(n) {
            for (let i = 0; i < n; i++) encode(await argusProcess.adapter.render('text'));
          },
        },
        {
          name: 'argus renderBytes(text), processMetrics on',
          compareTo: 'prom-client + default metrics',
          async run(n) {
            let length = 0;
            for (let i = 0; i < n; i++) length += (await argusProcess.adapter.renderBytes('text')).byteLength;
            if (length < 0) throw new Error('unreachable');
          },
        },
      ],
      teardown() {
        argus.adapter.close();
        argusProcess.adapter.close();
        prom.register.clear();
        promDefault.register.clear();
      },
    };
  },
};
