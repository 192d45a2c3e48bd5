/**
 * Issue 19, "a tab that sees 300 peers come and go stays under its connection budget and keeps
 * its links": a real P2P node and Mesh, a fake tracker, and 300 light peers that join, dial the
 * node, and leave over 20 simulated minutes (a third of them flap: they come back five times).
 * The fake browser counts connections as Chromium does, with no garbage collection at all (the
 * worst case), and refuses past its cap of 500. The same churn without the budget is the
 * baseline that shows the test can fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET, type BudgetOptions } from '../../client/net/connection-budget.js';
import { ChurnWorld } from '../helpers/churn-world.js';
import { seeded } from '../helpers/seeded.js';

const STABLE = ['s1', 's2', 's3', 's4'];
const TRANSIENT = 300;

interface Visit {
  at: number;
  leave: number;
  id: string;
}

/** Arrivals every 4 s for 20 minutes; stays of 10-120 s; every third peer returns 5 times. */
function schedule(): Visit[] {
  const random = seeded(300);
  const visits: Visit[] = [];
  for (let i = 0; i < TRANSIENT; i++) {
    const at = 10 + i * 4;
    let leave = at + 10 + Math.floor(random() * 110);
    visits.push({ id: `t${i}`, at, leave });
    if (i % 3 === 0)
      for (let again = 0; again < 5; again++) {
        const back = leave + 15;
        leave = back + 5 + Math.floor(random() * 15);
        visits.push({ id: `t${i}`, at: back, leave });
      }
  }
  return visits;
}

let world: ChurnWorld | undefined;
afterEach(() => world?.stop());

async function churn(budget?: Partial<BudgetOptions>, alreadyCreated = 0) {
  world = await ChurnWorld.create(budget);
  const w = world;
  w.count.created = alreadyCreated;
  const notices: (string | undefined)[] = [];
  w.mesh.on('budget', ({ notice }) => notices.push(notice));
  for (const id of STABLE) w.join(id, false);
  w.tracker.emit('introduced', STABLE);
  for (let t = 0; t < 30 && STABLE.some((id) => !w.links().has(id)); t++) await w.second();
  const stableSince = new Map(STABLE.map((id) => [id, w.links().get(id)!]));
  const visits = schedule();
  const end = Math.max(...visits.map((v) => v.leave)) + 60;
  const seen = new Set<string>();
  let fewestLinks = Infinity;
  for (let t = 0; t <= end; t++) {
    for (const v of visits) {
      if (v.leave === t) w.leave(v.id);
      if (v.at === t) {
        w.join(v.id, true);
        seen.add(v.id);
      }
    }
    await w.second();
    fewestLinks = Math.min(fewestLinks, w.links().size);
  }
  const links = w.links();
  const kept = STABLE.filter((id) => links.get(id) === stableSince.get(id));
  const budgetStatus = w.mesh.status().budget;
  return { w, seen: seen.size, kept, fewestLinks, seconds: end, budget: budgetStatus, notices };
}

describe('a tab under churn', () => {
  it('sees 300 peers come and go, stays under its budget and keeps its links', async () => {
    const { w, seen, kept, fewestLinks, seconds, budget } = await churn();
    expect(seen).toBe(TRANSIENT);
    expect(w.offersSent).toBeGreaterThanOrEqual(TRANSIENT);
    // Under budget with nothing ever garbage-collected: never low, never refused by the browser.
    expect(w.browserRefused).toBe(0);
    expect(budget.level).toBe('ok');
    expect(budget.created).toBeLessThanOrEqual(DEFAULT_BUDGET.cap - DEFAULT_BUDGET.reserve);
    // At most a burst, then the budget's rate, over the run (about 22 simulated minutes).
    const minutes = Math.ceil(seconds / 60);
    expect(budget.created).toBeLessThanOrEqual(
      DEFAULT_BUDGET.burst + DEFAULT_BUDGET.perMinute * minutes,
    );
    expect(w.count.created).toBe(budget.created);
    // The budget did the limiting: offers it did not answer, flappers it made wait.
    expect(budget.refused['rate-limited']).toBeGreaterThan(0);
    expect(budget.refused['peer-backoff']).toBeGreaterThan(0);
    // The long-lived links were never dropped or replaced.
    expect(kept).toEqual(STABLE);
    expect(fewestLinks).toBeGreaterThanOrEqual(STABLE.length);
  }, 120_000);

  it('without the budget, the same churn spends nearly all of the browser cap (the baseline)', async () => {
    const off = {
      cap: Number.MAX_SAFE_INTEGER,
      burst: 1e9,
      perMinute: 1e9,
      flapMs: 0,
      massLoss: Infinity,
    };
    const { w, kept } = await churn(off);
    // Measured: 490 of 500, against 187 with the budget; a little more churn and the tab could
    // never link again.
    expect(w.count.created).toBeGreaterThan(DEFAULT_BUDGET.cap - DEFAULT_BUDGET.reserve);
    expect(kept).toEqual(STABLE);
  }, 120_000);

  it('a tab that has used most of its budget keeps its links and tells the user', async () => {
    const low = DEFAULT_BUDGET.cap - DEFAULT_BUDGET.reserve - 20;
    const { w, kept, budget, notices } = await churn(undefined, low);
    expect(budget.level).toBe('low');
    expect(budget.refused['budget-low']).toBeGreaterThan(0);
    expect(notices).toEqual([
      expect.stringMatching(/keeps its links and replaces them only below 3/),
    ]);
    // Past `low` it made connections only to stay at 3 links, which it already had.
    expect(budget.created).toBe(DEFAULT_BUDGET.cap - DEFAULT_BUDGET.reserve);
    expect(w.browserRefused).toBe(0);
    expect(kept).toEqual(STABLE);
  }, 120_000);
});
