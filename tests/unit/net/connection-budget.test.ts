/**
 * The connection budget with an injected clock: levels from the uncollected count, the rate of
 * new connections, backoff on peers that flap, the pause after many links are lost at once.
 */
import { describe, expect, it } from 'vitest';
import {
  ConnectionBudget,
  DEFAULT_BUDGET,
  MAX_FLAPPING_PEERS,
  PeerConnectionCount,
  budgetNotice,
} from '../../../client/net/connection-budget.js';

const T0 = 1_000_000;

function budget(options: Partial<typeof DEFAULT_BUDGET> = {}) {
  const count = new PeerConnectionCount();
  return { count, budget: new ConnectionBudget(count, T0, options) };
}

/** Spend `n` connections at `now` through `check`, as the mesh does. */
function spendAll(
  b: ConnectionBudget,
  count: PeerConnectionCount,
  n: number,
  dial: boolean,
  now: number,
) {
  for (let i = 0; i < n; i++) {
    expect(b.check(`p${i}`, dial, 0, now)).toBeUndefined();
    b.spend(dial, now);
    count.created++;
  }
}

describe('ConnectionBudget', () => {
  it('is low at cap - reserve uncollected, exhausted at cap - floor, and recovers on collection', () => {
    const { count, budget: b } = budget({ burst: 1000, perMinute: 1000 });
    count.created = 399;
    expect(b.level()).toBe('ok');
    expect(b.status(T0)).toMatchObject({ created: 399, uncollected: 399, remaining: 1 });
    count.created = 400;
    expect(b.level()).toBe('low');
    // Low: links are replaced only below minLinks (3).
    expect(b.check('a', true, 3, T0)).toBe('budget-low');
    expect(b.check('a', false, 3, T0)).toBe('budget-low');
    expect(b.check('a', true, 2, T0)).toBeUndefined();
    count.created = 480;
    expect(b.level()).toBe('exhausted');
    expect(b.check('a', true, 0, T0)).toBe('budget-exhausted');
    // The garbage collector frees closed connections: the budget comes back.
    count.collected = 200;
    expect(b.level()).toBe('ok');
    expect(b.status(T0)).toMatchObject({ created: 480, uncollected: 280, remaining: 120 });
    expect(b.status(T0).refused).toMatchObject({ 'budget-low': 2, 'budget-exhausted': 1 });
  });

  it('allows `burst` new connections at once, then `perMinute`: half dialled, half answered', () => {
    const { count, budget: b } = budget();
    const half = DEFAULT_BUDGET.burst / 2;
    spendAll(b, count, half, true, T0);
    expect(b.check('x', true, 0, T0)).toBe('rate-limited');
    // A flood of offers cannot take what our own dials need, nor the reverse.
    spendAll(b, count, half, false, T0);
    expect(b.check('x', false, 0, T0)).toBe('rate-limited');
    const every = 120_000 / DEFAULT_BUDGET.perMinute;
    expect(b.check('x', true, 0, T0 + every - 1)).toBe('rate-limited');
    expect(b.check('x', true, 0, T0 + every)).toBeUndefined();
    b.spend(true, T0 + every);
    expect(b.check('y', true, 0, T0 + every)).toBe('rate-limited');
    // Over an hour of constant demand both ways: burst + perMinute * 60 connections, no more.
    let made = DEFAULT_BUDGET.burst + 1;
    for (let t = T0 + every; t <= T0 + 3_601_000; t += 1000)
      for (const dial of [true, false])
        if (b.check('z', dial, 0, t) === undefined) {
          b.spend(dial, t);
          made++;
        }
    expect(made).toBe(DEFAULT_BUDGET.burst + DEFAULT_BUDGET.perMinute * 60);
  });

  it('backs off a peer whose links keep closing early, doubling up to the maximum', () => {
    const { budget: b } = budget({ burst: 1000, massLoss: 1000 });
    let now = T0;
    const waits: number[] = [];
    for (let flap = 0; flap < 9; flap++) {
      b.linkOpened('flaky', now);
      now += 5_000;
      b.linkClosed('flaky', now);
      const closedAt = now;
      if (flap > 0) {
        expect(b.check('flaky', true, 0, now)).toBe('peer-backoff');
        expect(b.check('flaky', false, 0, now)).toBe('peer-backoff');
      }
      expect(b.check('steady', true, 0, now)).toBeUndefined();
      while (b.check('flaky', true, 0, now) === 'peer-backoff') now += 1_000;
      waits.push(now - closedAt);
    }
    // The first short link is forgiven (a reload looks the same).
    expect(waits).toEqual([0, 30, 60, 120, 240, 480, 960, 1800, 1800].map((s) => s * 1000));
    // A link that lasts a minute clears the record.
    b.linkOpened('flaky', now);
    b.linkClosed('flaky', now + 60_000);
    expect(b.check('flaky', true, 0, now + 60_000)).toBeUndefined();
    expect(b.status(now).refused['peer-backoff']).toBeGreaterThan(0);
  });

  it('pauses dialling (not answering) after many links close at once', () => {
    const { budget: b } = budget();
    for (const p of ['a', 'b', 'c']) b.linkClosed(p, T0);
    expect(b.check('x', true, 0, T0)).toBeUndefined();
    b.linkClosed('d', T0 + 9_999); // the 4th within 10 s
    expect(b.check('x', true, 0, T0 + 9_999)).toBe('mass-loss-pause');
    expect(b.check('x', false, 0, T0 + 9_999)).toBeUndefined();
    expect(b.check('x', true, 0, T0 + 9_999 + 29_999)).toBe('mass-loss-pause');
    expect(b.check('x', true, 0, T0 + 9_999 + 30_000)).toBeUndefined();
    // Spread-out losses never pause.
    const { budget: c } = budget();
    for (let i = 0; i < 10; i++) c.linkClosed(`p${i}`, T0 + i * 10_000);
    expect(c.check('x', true, 0, T0 + 100_000)).toBeUndefined();
  });

  it('remembers at most MAX_FLAPPING_PEERS peers', () => {
    const { budget: b } = budget({ massLoss: Infinity });
    for (let i = 0; i <= MAX_FLAPPING_PEERS; i++)
      for (let flap = 0; flap < 2; flap++) {
        b.linkOpened(`p${i}`, T0);
        b.linkClosed(`p${i}`, T0 + 1);
      }
    expect(b.status(T0 + 2).backingOff).toBe(MAX_FLAPPING_PEERS);
    expect(b.check('p0', true, 0, T0 + 2)).toBeUndefined(); // the oldest was forgotten
    expect(b.check(`p${MAX_FLAPPING_PEERS}`, true, 0, T0 + 2)).toBe('peer-backoff');
  });

  it('tells the user what low and exhausted mean, and nothing when ok', () => {
    const { count, budget: b } = budget();
    expect(budgetNotice(b.status(T0), 3)).toBeUndefined();
    count.created = 410;
    expect(budgetNotice(b.status(T0), 3)).toMatch(
      /410 WebRTC connections .* keeps its links and replaces them only below 3/,
    );
    count.created = 490;
    expect(budgetNotice(b.status(T0), 3)).toMatch(
      /makes no new links .* open Tabcoin in a new tab/,
    );
  });
});
