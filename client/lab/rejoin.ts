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

/** How long a fresh link waits for the victim's hello before it counts as refused. */
const HELLO_WAIT_MS = 5_000;

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
  // A fresh id per victim and attempt (one id joins the tracker once).
  const attempts = victims.flatMap((victim, v) =>
    Array.from({ length: ids }, (_, i) => ({
      id: `${p2p.nodeId.slice(0, 48)}-s${v + 1}-${i + 1}`,
      to: victim.id,
    })),
  );
  const links = await Promise.all(attempts.map(({ id, to }) => dial(id, to)));
  const tip = state.chain.tip;
  const admitted = links.map((link, i) => {
    if (!link) return Promise.resolve(false);
    // Admitted once the victim says hello; a throttled link is closed without a word.
    const answered = new Promise<boolean>((resolve) => {
      setTimeout(() => resolve(false), HELLO_WAIT_MS);
      link.attach({
        onFrame: () => resolve(true),
        onClose: () => resolve(false),
        onDrain: () => undefined,
      });
    });
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
    return answered.then((yes) => {
      if (yes) link.send(MALFORMED);
      return yes;
    });
  });
  return {
    victims: victims.length,
    tried: attempts.length,
    admitted: (await Promise.all(admitted)).filter(Boolean).length,
  };
}
