/**
 * A tab the browser froze: on `resume` the keepalive's next tick is a wake (links get a
 * reprieve), the mesh tops up at once, and the event log says how long the tab was frozen.
 */
import { describe, expect, it } from 'vitest';
import { WakeDetector } from '../../client/net/keepalive.js';
import { keepLinksThroughFreeze } from '../../client/page-lifecycle.js';

describe('keepLinksThroughFreeze', () => {
  it('on resume: a wake for the keepalive, a top-up for the mesh, a notice with the duration', () => {
    const target = new EventTarget();
    const wake = new WakeDetector();
    let topUps = 0;
    const notices: string[] = [];
    let now = 1_000_000;
    const node = {
      p2p: { wake },
      mesh: { topUp: async () => void topUps++ },
      emit: (event: string, text: unknown) =>
        void (event === 'notice' && notices.push(String(text))),
    };
    keepLinksThroughFreeze(node as never, target, () => now);
    wake.tick(now);
    target.dispatchEvent(new Event('freeze'));
    now += 42_000;
    target.dispatchEvent(new Event('resume'));
    expect(topUps).toBe(1);
    expect(notices).toEqual([
      'The browser froze this tab for 42 s; its links were given time to answer.',
    ]);
    // Even a tick only a second after the last one is a wake once the page says it resumed.
    expect(wake.tick(1_001_000)).toBe(true);
    expect(wake.tick(1_002_000)).toBe(false);
  });
});
