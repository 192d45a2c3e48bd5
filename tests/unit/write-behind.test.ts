/**
 * client/write-behind.ts: storage writes that follow a new tip start together a moment later
 * (or at once when the page is being hidden), each on its own, failures reported.
 */
import { describe, expect, it } from 'vitest';
import { WRITE_BEHIND_MS, WriteBehind } from '../../client/write-behind.js';
import type { PacerTimers } from '../../client/pacer.js';

function fakeTimers() {
  const waiting = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: PacerTimers = {
    setTimeout: (fn, ms) => (waiting.set(++next, { fn, ms }), next),
    clearTimeout: (handle) => void waiting.delete(handle as number),
  };
  const fire = () => {
    const due = [...waiting.values()];
    waiting.clear();
    for (const { fn } of due) fn();
  };
  return { timers, waiting, fire };
}

describe('WriteBehind', () => {
  it('starts queued writes together once the delay has passed, one timer for a burst', async () => {
    const { timers, waiting, fire } = fakeTimers();
    const started: string[] = [];
    const writes = new WriteBehind(() => undefined, WRITE_BEHIND_MS, timers);
    writes.add(async () => started.push('chain'));
    writes.add(async () => started.push('mempool'));
    expect(started).toEqual([]);
    expect([...waiting.values()].map((w) => w.ms)).toEqual([WRITE_BEHIND_MS]);
    expect(writes.pending).toBe(2);
    fire();
    expect(started).toEqual(['chain', 'mempool']);
    expect(writes.pending).toBe(0);
  });

  it('runs everything at once when asked (the page is closing), and reports failures', async () => {
    const { timers, waiting } = fakeTimers();
    const errors: unknown[] = [];
    const started: string[] = [];
    const writes = new WriteBehind((e) => errors.push(e), WRITE_BEHIND_MS, timers);
    writes.add(() => Promise.reject(new Error('quota')));
    writes.add(() => {
      throw new Error('closed');
    });
    writes.add(async () => started.push('after'));
    writes.runNow();
    expect(waiting.size).toBe(0);
    expect(started).toEqual(['after']); // a failed write does not hold the others back
    await Promise.resolve();
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['closed', 'quota']);
  });
});
