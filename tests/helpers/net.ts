/** Several nodes in one process over in-memory links (regtest, injected clock). */
import { MemoryStore, NodeState, type ChainStore } from '../../core/index.js';
import { memoryLinkPair } from '../../client/net/memory-link.js';
import { P2P, type P2POptions } from '../../client/net/p2p.js';
import { NOW, params } from './regtest.js';

export interface TestNode {
  name: string;
  state: NodeState;
  p2p: P2P;
  store: ChainStore;
}

/** A clock the tests move by hand: milliseconds, starting at the regtest fixture's NOW. */
export const clock = { ms: NOW * 1000 };

export async function makeNode(
  name: string,
  options: Partial<P2POptions> & { store?: ChainStore } = {},
): Promise<TestNode> {
  const store = options.store ?? new MemoryStore();
  const state = await NodeState.open(params, store);
  const p2p = new P2P({
    nodeId: name,
    state,
    env: {
      now: () => clock.ms,
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
      random: () => 0.5,
    },
    ...options,
  });
  return { name, state, p2p, store };
}

export function link(a: TestNode, b: TestNode): void {
  const [ab, ba] = memoryLinkPair(a.name, b.name);
  a.p2p.addLink(ab);
  b.p2p.addLink(ba);
}

export function stopAll(nodes: TestNode[]): void {
  for (const node of nodes) node.p2p.stop();
}
