/** client/pacer.ts: tip-following work at once at the tip, at most once per interval while syncing. */
import { describe, expect, it } from 'vitest';
import {
  Pacer,
  RELAY_FIRST_MS,
  SYNC_PACE_MS,
  isCatchingUp,
  relayWait,
  renderDelay,
  type PacerTimers,
} from '../../client/pacer.js';

function fakeTimers() {
  const waiting = new Map<number, () => void>();
  let next = 0;
  const timers: PacerTimers = {
    setTimeout: (fn) => (waiting.set(++next, fn), next),
    clearTimeout: (handle) => void waiting.delete(handle as number),
  };
  const fire = () => {
    const due = [...waiting.values()];
    waiting.clear();
    for (const fn of due) fn();
  };
  return { timers, waiting, fire };
}

describe('Pacer', () => {
  it('runs at once while the node is at its tip', () => {
    const { timers, waiting } = fakeTimers();
    const runs: number[] = [];
    const pace = new Pacer(() => false, 250, timers);
    for (let i = 0; i < 3; i++) pace.run(() => runs.push(i));
    expect(runs).toEqual([0, 1, 2]);
    expect(waiting.size).toBe(0);
  });

  it('while catching up, runs the latest of a burst once when the interval ends', () => {
    const { timers, waiting, fire } = fakeTimers();
    const runs: number[] = [];
    const pace = new Pacer(() => true, 250, timers);
    for (let i = 0; i < 100; i++) pace.run(() => runs.push(i));
    expect(runs).toEqual([]);
    expect(waiting.size).toBe(1);
    fire();
    expect(runs).toEqual([99]);
    pace.run(() => runs.push(100));
    pace.now(); // a reader needs it now
    expect(runs).toEqual([99, 100]);
    expect(waiting.size).toBe(0);
    pace.run(() => runs.push(101));
    pace.stop();
    fire();
    expect(runs).toEqual([99, 100]);
  });

  it('with a delay at the tip, runs the latest of a burst once after it (the block relays first)', () => {
    const { timers, waiting, fire } = fakeTimers();
    const runs: number[] = [];
    const delays: number[] = [];
    const spy: PacerTimers = {
      setTimeout: (fn, ms) => (delays.push(ms), timers.setTimeout(fn, ms)),
      clearTimeout: timers.clearTimeout,
    };
    let slow = false;
    const pace = new Pacer(() => slow, 250, spy, RELAY_FIRST_MS);
    pace.run(() => runs.push(1));
    pace.run(() => runs.push(2));
    expect(runs).toEqual([]);
    fire();
    expect(runs).toEqual([2]);
    slow = true;
    pace.run(() => runs.push(3));
    expect(delays).toEqual([RELAY_FIRST_MS, 250]);
    expect(waiting.size).toBe(1);
  });

  it('counts a node as catching up only when more than one header is ahead of its tip', () => {
    const at = (best: number, height: number) =>
      isCatchingUp({ bestHeader: { height: best } as never, height });
    expect(isCatchingUp({ bestHeader: { height: 10 } as never, height: 10 })).toBe(false);
    expect(at(11, 10)).toBe(false);
    expect(at(12, 10)).toBe(true);
  });
});

describe('renderDelay', () => {
  const atTip = { bestHeader: { height: 10 } as never, height: 10 };
  const syncing = { bestHeader: { height: 50 } as never, height: 10 };

  it('waits out the relay moment after a new tip, then renders at once', () => {
    const tipAt = 1_000;
    const until = tipAt + RELAY_FIRST_MS;
    expect(renderDelay(atTip, until, tipAt)).toBe(RELAY_FIRST_MS);
    expect(renderDelay(atTip, until, tipAt + 100)).toBe(RELAY_FIRST_MS - 100);
    expect(renderDelay(atTip, until, tipAt + 99.5)).toBe(RELAY_FIRST_MS - 99); // never early
    expect(renderDelay(atTip, until, until)).toBe(0);
    expect(renderDelay(atTip, until, until + 5_000)).toBe(0);
    expect(renderDelay(atTip, 0, 42)).toBe(0); // no tip change yet
  });

  it('paces renders while the node catches up, whatever the last tip change', () => {
    expect(renderDelay(syncing, 0, 1_000)).toBe(SYNC_PACE_MS);
    expect(renderDelay(syncing, 1_100, 1_000)).toBe(SYNC_PACE_MS);
  });
});

describe('relayWait', () => {
  const atTip = { bestHeader: { height: 10 } as never, height: 10 };
  const syncing = { bestHeader: { height: 50 } as never, height: 10 };

  it('is what is left of the relay moment at the tip: a frame asked for before the tip waits it out', () => {
    const until = 1_000 + RELAY_FIRST_MS;
    expect(relayWait(atTip, until, 1_000)).toBe(RELAY_FIRST_MS);
    expect(relayWait(atTip, until, 1_100.5)).toBe(RELAY_FIRST_MS - 100);
    expect(relayWait(atTip, until, until)).toBe(0);
    expect(relayWait(atTip, 0, 5_000)).toBe(0);
  });

  it('holds a render one relay moment at most, however often new tips move the moment on', () => {
    // Asked for at 1 000; tips at 1 010, 1 140, 1 290... (blocks mined back to back).
    const askedAt = 1_000;
    expect(relayWait(atTip, 1_010 + RELAY_FIRST_MS, 1_016, askedAt)).toBe(RELAY_FIRST_MS - 16);
    expect(relayWait(atTip, 1_140 + RELAY_FIRST_MS, 1_100, askedAt)).toBe(RELAY_FIRST_MS - 100);
    expect(relayWait(atTip, 1_290 + RELAY_FIRST_MS, askedAt + RELAY_FIRST_MS, askedAt)).toBe(0);
    // A moment that ends sooner than the cap is still waited out only to its end.
    expect(relayWait(atTip, 1_050, 1_020, askedAt)).toBe(30);
  });

  it('never holds a frame while catching up (renders are paced there instead)', () => {
    expect(relayWait(syncing, 10_000, 1_000)).toBe(0);
  });
});
