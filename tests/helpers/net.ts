/** Several nodes in one process over in-memory links (regtest, injected clock). */
import {
  COINBASE_MATURITY,
  MemoryStore,
  NodeState,
  type Block,
  type ChainStore,
  type WireMessage,
} from '../../core/index.js';
import { memoryLinkPair, type MemoryLink } from '../../client/net/memory-link.js';
import { Peer } from '../../client/net/peer.js';
import { P2P, type P2POptions } from '../../client/net/p2p.js';
import { NOW, buildBlock, outputOf, params, pay, testKey } from './regtest.js';

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

/** A hand-driven peer of `victim` (an attacker or a misbehaving implementation). */
export interface RawPeer {
  /** The attacker's end (send with `peer.send`, raw frames with `peer.link.send`). */
  peer: Peer;
  /** The victim's link to the attacker: `stallDelivery()` models an attacker that stops reading. */
  victimSide: MemoryLink;
  attackerSide: MemoryLink;
  /** Every message the attacker received from the victim. */
  received: WireMessage[];
  /** Resolves once the attacker has answered the victim's hello. */
  ready: Promise<void>;
  /** Whether the victim took the link at all (`addLink`). */
  admitted: boolean;
}

/** Link a raw peer named `name` to `victim` (tagged with `origin`) and complete the handshake. */
export function rawPeer(
  victim: TestNode,
  name: string,
  origin?: string,
  /** The protocol version of the raw peer's hello (the victim's own by default). */
  version?: number,
): RawPeer {
  const [attackerSide, victimSide] = memoryLinkPair(name, victim.name);
  const received: WireMessage[] = [];
  let handshaken!: () => void;
  const ready = new Promise<void>((resolve) => (handshaken = resolve));
  const peer = new Peer(
    attackerSide,
    {
      onMessage: (p, message) => {
        received.push(message);
        if (message.type === 'hello') {
          p.send({
            ...message,
            nodeId: name,
            userAgent: 'raw',
            version: version ?? message.version,
          });
          handshaken();
        }
      },
      onInvalid: () => undefined,
      onClose: () => undefined,
    },
    () => clock.ms,
  );
  const admitted = victim.p2p.addLink(victimSide, origin);
  return { peer, victimSide, attackerSide, received, ready, admitted };
}

/** Messages of `type` the raw peer received. */
export function receivedOf<T extends WireMessage['type']>(
  raw: RawPeer,
  type: T,
): Extract<WireMessage, { type: T }>[] {
  return raw.received.filter((m): m is Extract<WireMessage, { type: T }> => m.type === type);
}

/**
 * A node whose chain holds `COINBASE_MATURITY + 1` small blocks and then one block of about
 * `bytes` bytes (one transaction with many 40-byte outputs): something worth asking for.
 */
export async function bigBlockNode(
  name: string,
  bytes: number,
): Promise<{ node: TestNode; big: Block; height: number }> {
  const node = await makeNode(name);
  const owner = testKey(1);
  const rewards: Block[] = [];
  for (let i = 0; i <= COINBASE_MATURITY; i++) {
    const block = buildBlock(node.state.chain.tip, { payTo: owner });
    const result = await node.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(result.reason);
    rewards.push(block);
  }
  const coin = outputOf(rewards[0]!.txs[0]!, 0, 1, true);
  const count = Math.floor(bytes / 40);
  const each = coin.coin.amount / BigInt(count + 1);
  const fat = pay(
    owner,
    [coin],
    Array.from({ length: count }, () => ({ amount: each, pubkey: owner.pubkey })),
  );
  const big = buildBlock(node.state.chain.tip, { payTo: owner, txs: [fat] });
  const result = await node.p2p.submitBlock(big, 'local');
  if (!result.ok) throw new Error(`big block refused: ${result.reason}`);
  return { node, big, height: node.state.chain.height };
}
