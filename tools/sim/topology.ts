/**
 * How simulated nodes find each other, as the browser node does through the tracker: a node
 * that joins is introduced to a uniformly random subset of the peers already there (the
 * tracker's own `randomSubset`, PEER_SUBSET_SIZE = 8), dials them until it has
 * DEFAULT_TARGET_LINKS (8) links, and asks for more (leaving out those it tried) while it is
 * short, as `Mesh.dialSome` / `Mesh.topUp` do. A peer that already has its maximum (16) links
 * refuses the offer, as `Mesh.onSignal` does.
 */
import { randomSubset } from '../../tracker/signaling.js';
import { DEFAULT_TARGET_LINKS } from '../../client/net/mesh.js';
import type { Prng } from './prng.js';
import type { SimNode } from './sim-node.js';

/** Peers per introduction: the tracker's default `PEER_SUBSET_SIZE`. */
export const PEER_SUBSET_SIZE = 8;
/** Introductions a joining node asks for before it settles for fewer links. */
const MAX_INTRODUCTIONS = 8;

/**
 * Link `node` to peers among `members` (the nodes already in the tracker's room). `connect`
 * makes the link pair and hands each end to its node.
 */
export function joinNetwork(
  node: SimNode,
  members: readonly SimNode[],
  random: Prng,
  connect: (a: SimNode, b: SimNode) => void,
): void {
  const tried = new Set<string>([node.id]);
  for (let round = 0; round < MAX_INTRODUCTIONS; round++) {
    if (node.p2p.peers.size >= DEFAULT_TARGET_LINKS) return;
    const others = members.filter((m) => !tried.has(m.id));
    if (others.length === 0) return;
    for (const peer of randomSubset(others, PEER_SUBSET_SIZE, () => random.next())) {
      if (node.p2p.peers.size >= DEFAULT_TARGET_LINKS) return;
      tried.add(peer.id);
      if (peer.p2p.peers.size >= peer.p2p.maxPeers) continue;
      connect(node, peer);
    }
  }
}
