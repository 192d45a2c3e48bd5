/**
 * What a tab does when it goes away and comes back. Closing or reloading closes the node at
 * once (its links end with a clean close, so peers drop it now rather than when WebRTC gives up
 * on it ~30 s later) and remembers the miner's settings for this node in sessionStorage; a
 * reload then resumes mining if it was on, and says so. A tab the browser froze and resumed
 * (`freeze`/`resume`) gives its links time to answer and replaces those it lost.
 */
import type { TabNode } from './node.js';

interface SavedMiner {
  running: boolean;
  workers: number;
  paceMs: number;
}

const key = (node: TabNode) => `tabcoin.miner.${node.params.network}.${node.identity.nodeId}`;

/** Stop `node` cleanly when the page is closed or reloaded, keeping the miner's settings. */
export function stopOnPageHide(node: TabNode, session: Pick<Storage, 'setItem'>): void {
  addEventListener('pagehide', (event: PageTransitionEvent) => {
    if (event.persisted) return; // kept in the back/forward cache: it may come back as it is
    const status = node.miner.status();
    const saved: SavedMiner = {
      running: status.running,
      workers: status.workers,
      paceMs: status.paceMs,
    };
    session.setItem(key(node), JSON.stringify(saved));
    node.stop();
  });
}

/**
 * Write the node's cached chain changes as soon as the page is hidden: a hidden tab may be
 * discarded without another event, and what it has synced should not be lost with it.
 */
export function flushWhenHidden(node: Pick<TabNode, 'flushNow'>, doc: Document = document): void {
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') node.flushNow();
  });
}

/**
 * Apply the miner settings saved by the last page of this node in this tab, resuming mining if
 * it was on; returns a notice for the page when it did.
 */
export function restoreMiner(
  node: TabNode,
  session: Pick<Storage, 'getItem' | 'removeItem'>,
): string | undefined {
  const text = session.getItem(key(node));
  if (!text) return undefined;
  session.removeItem(key(node));
  let saved: Partial<SavedMiner>;
  try {
    saved = JSON.parse(text) as Partial<SavedMiner>;
  } catch {
    return undefined;
  }
  if (typeof saved.workers === 'number') node.miner.setWorkers(saved.workers);
  if (typeof saved.paceMs === 'number' && node.params.network === 'regtest')
    node.miner.setPace(saved.paceMs);
  if (saved.running !== true) return undefined;
  void node.miner.start();
  const n = node.miner.status().workers;
  return `Mining resumed after the reload (${n} worker${n === 1 ? '' : 's'}); press Stop mining to stop.`;
}

/**
 * Chromium does not freeze a hidden tab that holds a Web Lock or uses WebRTC (a node does both),
 * but a sleeping laptop, DevTools or another browser may freeze one anyway (docs/architecture.md,
 * "Long-lived tabs"). On `resume` the keepalive gives every link a reprieve (our peers' answers
 * are still queued), the mesh replaces the links that were lost, and the event log says so.
 */
export function keepLinksThroughFreeze(
  node: Pick<TabNode, 'p2p' | 'mesh' | 'emit'>,
  target: Pick<EventTarget, 'addEventListener'>,
  now: () => number = Date.now,
): void {
  let frozenAt: number | undefined;
  target.addEventListener('freeze', () => (frozenAt = now()));
  target.addEventListener('resume', () => {
    node.p2p.wake.resume();
    void node.mesh.topUp();
    const seconds = frozenAt === undefined ? undefined : Math.round((now() - frozenAt) / 1000);
    frozenAt = undefined;
    const how = seconds === undefined ? '' : ` for ${seconds} s`;
    node.emit('notice', `The browser froze this tab${how}; its links were given time to answer.`);
  });
}
