/**
 * The simulator's own machinery: the seeded PRNG, the virtual-clock scheduler (event order,
 * microtasks finished between events) and the simulated link (latency, serialisation at the
 * link's bandwidth, queueing, bufferedAmount and drain).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../tools/sim/prng.js';
import { Scheduler } from '../../tools/sim/scheduler.js';
import { LOW_WATER_BYTES, simLinkPair } from '../../tools/sim/sim-link.js';
import type { Link } from '../../client/net/link.js';

describe('Prng', () => {
  it('repeats for a seed, differs across seeds, and is uniform enough', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const first = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(first);
    expect(new Prng(2).nextU32()).not.toBe(first[0]);
    const r = new Prng(42);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => r.next());
    let expSum = 0;
    for (let i = 0; i < n; i++) expSum += r.exponential(4);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, x) => a + x, 0) / n).toBeCloseTo(0.5, 1);
    expect(expSum / n).toBeCloseTo(0.25, 1);
  });

  it('refuses a seed that is not a u32', () => {
    expect(() => new Prng(-1)).toThrow(RangeError);
    expect(() => new Prng(1.5)).toThrow(/seed/);
  });
});

describe('Scheduler', () => {
  it('runs events by time, then in the order they were scheduled', async () => {
    const s = new Scheduler(1000);
    const order: string[] = [];
    s.at(1020, () => order.push('b'));
    s.at(1010, () => order.push('a'));
    s.at(1020, () => order.push('c'));
    s.after(5, () => order.push('first'));
    await s.run(1100);
    expect(order).toEqual(['first', 'a', 'b', 'c']);
    expect(s.now).toBe(1100);
  });

  it("finishes an event's async work before the next event, at the event's time", async () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.at(10, () => {
      void (async () => {
        for (let i = 0; i < 50; i++) await Promise.resolve();
        log.push(`async done at ${s.now}`);
      })();
    });
    s.at(10, () => log.push(`next event at ${s.now}`));
    await s.run(20);
    expect(log).toEqual(['async done at 10', 'next event at 10']);
  });

  it('repeats `every` until cancelled, and stops early when asked', async () => {
    const s = new Scheduler();
    const ticks: number[] = [];
    const handle = s.every(100, () => ticks.push(s.now));
    s.at(350, () => s.cancel(handle));
    await s.run(1000);
    expect(ticks).toEqual([100, 200, 300]);
    let count = 0;
    s.every(10, () => count++);
    await s.run(2000, () => count === 3);
    expect(s.now).toBe(1030);
  });
});

function pair(latencyMs: number, bytesPerMs: number) {
  const s = new Scheduler();
  const [ab, ba] = simLinkPair(
    s,
    { index: 0, id: 'a' },
    { index: 1, id: 'b' },
    { latencyMs, bytesPerMs },
    () => undefined,
  );
  const received: { at: number; bytes: number }[] = [];
  const events: string[] = [];
  ab.attach({
    onFrame: () => undefined,
    onClose: (reason) => events.push(`a closed: ${reason}`),
    onDrain: () => events.push(`drain at ${s.now} with ${ab.bufferedAmount}`),
  });
  ba.attach({
    onFrame: (frame) => received.push({ at: s.now, bytes: frame.length }),
    onClose: (reason) => events.push(`b closed at ${s.now}: ${reason}`),
    onDrain: () => undefined,
  });
  return { s, ab: ab as Link, ba: ba as Link, received, events };
}

describe('simulated link', () => {
  it('delays each frame by its serialisation time, queued behind earlier ones, plus latency', async () => {
    const { s, ab, received } = pair(10, 100); // 100 bytes/ms
    ab.send(new Uint8Array(1000));
    ab.send(new Uint8Array(500));
    expect(ab.bufferedAmount).toBe(1500);
    await s.run(10);
    expect(ab.bufferedAmount).toBe(500); // the first frame left at 10 ms
    await s.run(100);
    expect(received).toEqual([
      { at: 20, bytes: 1000 },
      { at: 25, bytes: 500 },
    ]);
    expect(ab.bufferedAmount).toBe(0);
  });

  it('reports drain when the buffer falls to the low-water mark', async () => {
    const { s, ab, events } = pair(5, 1000);
    const chunk = 16 * 1024;
    for (let i = 0; i < 8; i++) ab.send(new Uint8Array(chunk)); // 128 KiB, 1 s per 1,000 KB
    await s.run(1000);
    const expectedAt = (chunk * 4) / 1000; // after 4 of 8 frames, 64 KiB remain
    expect(events).toEqual([`drain at ${expectedAt} with ${LOW_WATER_BYTES}`]);
  });

  it('closes the far side after what was already on the wire', async () => {
    const { s, ab, received, events } = pair(10, 100);
    ab.send(new Uint8Array(1000));
    ab.close('bye');
    ab.send(new Uint8Array(10)); // after close: dropped
    await s.run(100);
    expect(received).toEqual([{ at: 20, bytes: 1000 }]);
    expect(events).toEqual(['a closed: bye', 'b closed at 20: closed by peer: bye']);
  });
});
