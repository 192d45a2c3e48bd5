/**
 * "Rejoin under new ids", the attack lab's sybil: this tab gets itself banned by its peers (a
 * malformed message), then comes back to each of them under fresh node ids from the same
 * machine, each misbehaving again as soon as it is linked. Node ids cost nothing, so only the
 * origin throttle (client/net/admission.ts) limits how many links the fresh ids get.
 */
import {
  PROTOCOL_VERSION,
  encodeMessage,
  frameMessage,
  headerHash,
  type NodeState,
} from '../../core/index.js';
import type { Link } from '../net/link.js';
import type { P2P } from '../net/p2p.js';

/** Fresh node ids tried per victim. */
export const SYBIL_IDS = 6;

/** Open a link to `remoteId` as node `id` (undefined if the remote does not take it). */
export type SybilDialer = (id: string, remoteId: string) => Promise<Link | undefined>;

/** An unknown message type: 100 points, banned at once. */
const MALFORMED = Uint8Array.of(0, 0xee, 1, 2, 3);

export interface RejoinResult {
  victims: number;
  tried: number;
  admitted: number;
}

export async function rejoinUnderNewIds(
  p2p: P2P,
  state: NodeState,
  dial: SybilDialer,
  ids = SYBIL_IDS,
): Promise<RejoinResult> {
  const victims = [...p2p.peers.values()].filter((p) => p.state === 'ready');
  for (const peer of victims) peer.link.send(MALFORMED);
  // Wait for the bans (each victim closes the link), up to 10 s.
  for (let waited = 0; waited < 200 && victims.some((p) => p.state !== 'closed'); waited++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const attempts = victims.flatMap((victim) =>
    Array.from({ length: ids }, (_, i) => ({ id: `${p2p.nodeId}-s${i + 1}`, to: victim.id })),
  );
  const links = await Promise.all(attempts.map(({ id, to }) => dial(id, to)));
  const tip = state.chain.tip;
  links.forEach((link, i) => {
    if (!link) return;
    link.attach({ onFrame: () => undefined, onClose: () => undefined, onDrain: () => undefined });
    const hello = encodeMessage({
      type: 'hello',
      version: PROTOCOL_VERSION,
      network: state.params.genesisId,
      nodeId: attempts[i]!.id,
      tip: headerHash(tip.header),
      height: tip.height,
      chainWork: tip.chainWork,
      userAgent: 'tabcoin-lab-sybil',
    });
    for (const frame of frameMessage(hello)) link.send(frame);
    link.send(MALFORMED);
  });
  return {
    victims: victims.length,
    tried: attempts.length,
    admitted: links.filter(Boolean).length,
  };
}
