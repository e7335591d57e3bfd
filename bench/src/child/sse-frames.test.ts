// The viewers' frame counter must count each frame once however the stream is cut into chunks.
import { describe, expect, it } from 'vitest';
import { FrameCounter } from './sse-frames';

const stream = Buffer.from(
  'retry: 3000\n\n' +
    'id: 1\ndata: {"a":"data: \\n x"}\n\n' +
    ': ping\n\n' +
    'id: 2\ndata: {"b":2}\n\n' +
    'id: 3\ndata: {"c":3}\n\n',
);

describe('FrameCounter', () => {
  it('counts frames, not pings, retry lines or "data: " inside JSON', () => {
    const counter = new FrameCounter();
    counter.push(stream);
    expect(counter.frames).toBe(3);
    expect(counter.bytes).toBe(stream.length);
  });

  it('counts a frame split between chunks once, wherever the cut falls', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const counter = new FrameCounter();
      counter.push(stream.subarray(0, cut));
      counter.push(stream.subarray(cut));
      expect(counter.frames, `cut at ${cut}`).toBe(3);
    }
  });

  it('counts a stream fed one byte at a time', () => {
    const counter = new FrameCounter();
    for (let i = 0; i < stream.length; i++) counter.push(stream.subarray(i, i + 1));
    expect(counter.frames).toBe(3);
    expect(counter.bytes).toBe(stream.length);
  });
});
