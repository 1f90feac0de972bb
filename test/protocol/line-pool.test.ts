/**
 * LinePool and the framer's use of it: when memory goes back to the pool,
 * when it never does, and what the pool keeps. The suite runs with
 * RXINDI_POISON_LINES set, so memory back in the pool reads as '!'.
 */
import { from } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameIndi, type IndiFrame } from '../../src/protocol/frame-indi.js';
import { LinePool } from '../../src/protocol/line-pool.js';

const KiB = 1024;

afterEach(() => {
  vi.useRealTimers();
});

/** Frames `elements` through a framer with `pool`, handing each frame to `use` while it is handed on. */
function frameAll(
  pool: LinePool,
  elements: readonly string[],
  use: (frame: IndiFrame) => void = () => undefined,
): IndiFrame[] {
  const frames: IndiFrame[] = [];
  from(elements.map((element) => Buffer.from(element)))
    .pipe(frameIndi({ linePool: pool }))
    .subscribe((frame) => {
      frames.push(frame);
      use(frame);
    });
  return frames;
}

const element = (fill: string, bytes: number): string => `<message message='${fill.repeat(bytes)}'/>`;

describe('LinePool', () => {
  it('lends memory in powers of two from minBytes up, and lends it again once released', () => {
    const pool = new LinePool({ minBytes: 4 * KiB });
    const first = pool.take(5000);
    expect(first.bytes.length).toBe(5000);
    expect(first.bytes.buffer.byteLength).toBe(8 * KiB);
    first.release();
    const second = pool.take(6000);
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(pool.take(100).bytes.buffer.byteLength).toBe(4 * KiB);
    expect(pool.stats).toEqual({ taken: 3, reused: 1 });
  });

  it('keeps memory out of the pool while anyone holds it, and for good once kept', () => {
    const pool = new LinePool({ minBytes: 4 * KiB });
    const held = pool.take(4 * KiB);
    held.hold();
    held.release();
    expect(pool.take(4 * KiB).bytes.buffer).not.toBe(held.bytes.buffer);
    held.release();
    expect(pool.take(4 * KiB).bytes.buffer).toBe(held.bytes.buffer);

    expect(() => held.hold()).toThrow(/held after its last holder released it/);

    const kept = pool.take(4 * KiB);
    kept.keep();
    kept.release();
    expect(pool.take(4 * KiB).bytes.buffer).not.toBe(kept.bytes.buffer);
    // Kept memory may be held and released later, as a delayed message's write does.
    kept.hold();
    kept.release();
    expect(pool.take(4 * KiB).bytes.buffer).not.toBe(kept.bytes.buffer);
  });

  it('lends an element larger than maxFreeBytes memory of its own size, which it never takes back', () => {
    const pool = new LinePool({ minBytes: 4 * KiB, maxFreeBytes: 16 * KiB });
    const large = pool.take(20 * KiB);
    expect(large.bytes.buffer.byteLength).toBe(20 * KiB);
    large.bytes.write('<a/>');
    large.release();
    expect(large.bytes.toString('latin1', 0, 4)).toBe('<a/>');
    expect(pool.take(20 * KiB).bytes.buffer).not.toBe(large.bytes.buffer);
  });

  it('overwrites memory that comes back, under RXINDI_POISON_LINES', () => {
    const pool = new LinePool({ minBytes: 4 * KiB });
    const line = pool.take(10);
    line.bytes.write('<a/>');
    line.release();
    expect(line.bytes.toString('latin1', 0, 4)).toBe('!!!!');
  });

  it('keeps at most maxFreeBytes free, and gives it all back after idleMs without a take', () => {
    vi.useFakeTimers();
    const pool = new LinePool({ minBytes: 4 * KiB, maxFreeBytes: 8 * KiB, idleMs: 1000 });
    const lines = [pool.take(4 * KiB), pool.take(4 * KiB), pool.take(4 * KiB)];
    for (const line of lines) line.release();
    const again = [pool.take(4 * KiB), pool.take(4 * KiB), pool.take(4 * KiB)];
    expect(pool.stats.reused).toBe(2);
    for (const line of again) line.release();
    vi.advanceTimersByTime(999);
    pool.take(4 * KiB).release();
    vi.advanceTimersByTime(1000);
    expect(pool.stats.reused).toBe(3);
    vi.advanceTimersByTime(1000);
    pool.take(4 * KiB);
    expect(pool.stats.reused).toBe(3);
  });
});

describe('frameIndi with a line pool', () => {
  it('lends large elements pooled memory for their hand-over only, and small ones none', () => {
    const pool = new LinePool({ minBytes: 4 * KiB });
    const seen: string[] = [];
    const frames = frameAll(
      pool,
      [element('a', 5000), element('b', 5000), "<pingRequest uid='1'/>"],
      (frame) => seen.push(frame.bytes.toString('latin1', 0, 20)),
    );
    expect(seen).toEqual(["<message message='aa", "<message message='bb", "<pingRequest uid='1'"]);
    expect(frames.map((frame) => frame.lease !== undefined)).toEqual([true, true, false]);
    expect(frames[0]?.line.buffer).toBe(frames[1]?.line.buffer);
    // Past its hand-over, an unheld frame's memory is the pool's.
    expect(frames[1]?.bytes.toString('latin1', 0, 4)).toBe('!!!!');
    expect(frames[2]?.bytes.toString('latin1')).toBe("<pingRequest uid='1'/>");
  });

  it('leaves a held frame as it was until its holder releases it', () => {
    const pool = new LinePool({ minBytes: 4 * KiB });
    const held: IndiFrame[] = [];
    frameAll(pool, [element('a', 5000), element('b', 5000)], (frame) => {
      frame.lease?.hold();
      held.push(frame);
    });
    expect(held.map((frame) => frame.line.toString('latin1', 0, 20))).toEqual([
      "<message message='aa",
      "<message message='bb",
    ]);
    expect(held.map((frame) => frame.line.at(-1))).toEqual([0x0a, 0x0a]);
    expect(pool.stats.reused).toBe(0);
  });
});
