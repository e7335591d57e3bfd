import { describe, expect, it } from 'vitest';
import { asEvents, asReport, EVENTS_TAG, MAX_FORWARDED_BATCH, REPORT_TAG } from './report';

const event = {
  time: 1,
  cluster: '0',
  shard: 0,
  guildId: '123456789012345678',
  event: 'interaction',
  type: 'application_command',
  command: 'ping',
  status: 'answered',
  errorType: '',
  durationMs: null,
  responseMs: 12,
};

describe('messages from children', () => {
  it('takes a report only with every field well typed, plain or wrapped by hybrid-sharding', () => {
    const report = {
      tag: REPORT_TAG,
      cluster: '1',
      namespace: 'discord',
      ready: true,
      pid: 1,
      rss: 2,
      time: 3,
      text: '',
    };
    expect(asReport(report)).toEqual(report);
    expect(asReport({ raw: report })).toEqual(report);
    expect(asReport({ ...report, cluster: '' })).toBeUndefined();
    expect(asReport({ ...report, text: 5 })).toBeUndefined();
    expect(asReport({ _ready: true })).toBeUndefined();
    expect(asReport(null)).toBeUndefined();
  });

  it('keeps the well-formed events of a forwarded batch and counts the rest', () => {
    const bad = [
      { ...event, guildId: 'x' },
      { ...event, status: 'maybe' },
      { ...event, time: Number.NaN },
      7,
    ];
    expect(asEvents({ tag: EVENTS_TAG, cluster: '0', events: [event, ...bad] })).toEqual({
      events: [event],
      malformed: 4,
    });
    expect(asEvents({ tag: EVENTS_TAG, events: 'nope' })).toEqual({ events: [], malformed: 1 });
    const huge = { tag: EVENTS_TAG, events: { length: MAX_FORWARDED_BATCH + 1 } };
    expect(asEvents(huge)).toEqual({ events: [], malformed: 1 });
    expect(asEvents({ tag: REPORT_TAG })).toBeUndefined();
  });
});
