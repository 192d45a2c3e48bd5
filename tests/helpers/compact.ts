/** Fixtures for the compact block tests: tapped links, a funded chain, spendable transactions. */
import {
  COINBASE_MATURITY,
  FrameAssembler,
  decodeMessage,
  headerHash,
  headerId,
  txidHex,
  type Block,
  type Tx,
  type WireMessage,
} from '../../core/index.js';
import { memoryLinkPair, type MemoryLink } from '../../client/net/memory-link.js';
import { Peer } from '../../client/net/peer.js';
import { txKey } from '../../client/net/p2p-types.js';
import { NOW, buildBlock, outputOf, pay, testKey } from './regtest.js';
import { clock, type TestNode } from './net.js';

export const owner = testKey(51);
const payee = testKey(52);

/** Every message sent into `link`, decoded (frames reassembled), and the bytes. */
export interface Tap {
  messages: WireMessage[];
  bytes: number;
}

function tapLink(link: MemoryLink): Tap {
  const tap: Tap = { messages: [], bytes: 0 };
  const assembler = new FrameAssembler();
  const send = link.send.bind(link);
  link.send = (frame: Uint8Array) => {
    {
      tap.bytes += frame.length;
      const whole = assembler.push(frame);
      if (whole.ok && whole.value) {
        const decoded = decodeMessage(whole.value);
        if (decoded.ok) tap.messages.push(decoded.value);
      }
    }
    send(frame);
  };
  return tap;
}

/** Link `a` and `b`, recording what each sends: `ab` is a → b. */
export function tappedLink(a: TestNode, b: TestNode): { ab: Tap; ba: Tap } {
  const [ab, ba] = memoryLinkPair(a.name, b.name);
  const taps = { ab: tapLink(ab), ba: tapLink(ba) };
  a.p2p.addLink(ab);
  b.p2p.addLink(ba);
  return taps;
}

/** Types of the messages on a tap since index `from`. */
export const typesOf = (tap: Tap, from = 0) => tap.messages.slice(from).map((m) => m.type);

/** The block-carrying and block-requesting messages on a tap since index `from`, in order. */
export const blockTraffic = (tap: Tap, from = 0) =>
  typesOf(tap, from).filter((type) => BLOCK_TRAFFIC.has(type));

const BLOCK_TRAFFIC = new Set(['cmpctblock', 'getblocktxn', 'blocktxn', 'block', 'sendcmpct']);

/** The kinds of the block items (block, cmpct) of the getdata messages on a tap since `from`. */
export const blockRequests = (tap: Tap, from = 0) =>
  tap.messages
    .slice(from)
    .flatMap((m) => (m.type === 'getdata' ? m.items.map((i) => i.kind) : []))
    .filter((kind) => kind !== 'tx');

/**
 * A hand-driven peer `name` of `victim` that says hello with `version` (and, from version 2,
 * `sendcmpct`): every message the victim sends it is in `received`.
 */
export async function speakingPeer(victim: TestNode, name: string, version: number) {
  const [mine, theirs] = memoryLinkPair(name, victim.name);
  const received: WireMessage[] = [];
  const peer = new Peer(
    mine,
    { onMessage: (_, m) => received.push(m), onInvalid: () => undefined, onClose: () => undefined },
    () => clock.ms,
  );
  victim.p2p.addLink(theirs);
  peer.send({
    type: 'hello',
    version,
    network: victim.state.params.genesisId,
    nodeId: name,
    tip: headerHash(victim.state.chain.tip.header),
    height: victim.state.chain.height,
    chainWork: victim.state.chain.tip.chainWork,
    userAgent: `raw v${version}`,
  });
  await waitFor('handshake', () => victim.p2p.peers.get(name)?.state === 'ready');
  if (version >= 2) peer.send({ type: 'sendcmpct', highBandwidth: false, version: 1n });
  const of = <T extends WireMessage['type']>(type: T) =>
    received.filter((m): m is Extract<WireMessage, { type: T }> => m.type === type);
  return { peer, received, of };
}

/** Poll until `check` holds (each turn lets the memory links deliver); throws after `turns`. */
export async function waitFor(what: string, check: () => boolean, turns = 400): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`not within ${turns} turns: ${what}`);
}

/**
 * Mine on `node` (as its own miner) enough blocks to mature a reward, then a block with one
 * transaction that fans that reward out to `count` outputs; returns `count` transactions, each
 * spending one of them (valid on top of the node's chain, not yet in any mempool).
 */
export async function fundSpends(node: TestNode, count: number): Promise<Tx[]> {
  const rewards: Block[] = [];
  for (let i = 0; i <= COINBASE_MATURITY; i++) {
    const block = buildBlock(node.state.chain.tip, { payTo: owner });
    const result = await node.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(result.reason);
    rewards.push(block);
  }
  const coin = outputOf(rewards[0]!.txs[0]!, 0, 1, true);
  const each = (coin.coin.amount - 100_000n) / BigInt(count);
  const outputs = Array.from({ length: count }, () => ({ amount: each, pubkey: owner.pubkey }));
  const fan = pay(owner, [coin], outputs);
  const fanBlock = buildBlock(node.state.chain.tip, { payTo: owner, txs: [fan] });
  const result = await node.p2p.submitBlock(fanBlock, 'local');
  if (!result.ok) throw new Error(result.reason);
  const height = node.state.chain.height;
  return Array.from({ length: count }, (_, i) =>
    pay(owner, [outputOf(fan, i, height)], [{ amount: each - 10_000n, pubkey: payee.pubkey }]),
  );
}

/**
 * Put `txs` in `node`'s mempool without relaying them; with `knownTo`, record that the peer of
 * that name has them (as if they had been announced to it), so they are not prefilled for it.
 */
export async function holdTxs(node: TestNode, txs: readonly Tx[], knownTo?: string): Promise<void> {
  for (const tx of txs) {
    const result = await node.state.acceptTx(tx, NOW);
    if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
    if (knownTo) node.p2p.peers.get(knownTo)!.known.add(txKey(txidHex(tx)));
  }
}

/**
 * Two nodes from `make`, `a` and `b`, linked (taps on both directions), `b` synced to `a`'s
 * funded chain and `a` told by `b` to send it compact blocks unsolicited (`a` delivered first).
 */
export async function fundedPairOf(
  make: (name: string) => Promise<TestNode>,
  spends: number,
): Promise<{ a: TestNode; b: TestNode; taps: { ab: Tap; ba: Tap }; txs: Tx[] }> {
  const a = await make('a');
  const b = await make('b');
  const taps = tappedLink(a, b);
  const txs = await fundSpends(a, spends);
  await waitFor('b synced', () => b.state.chain.height === a.state.chain.height);
  await waitFor('a sends b compact blocks', () =>
    a.p2p.compact.sendsUnsolicitedTo(a.p2p.peers.get('b')!),
  );
  return { a, b, taps, txs };
}

/** `a` mines `block` (as its own miner: just found); resolves once `b` has it as its tip. */
export async function mineAndRelay(a: TestNode, b: TestNode, block: Block): Promise<void> {
  const result = await a.p2p.submitBlock(block, 'local', true);
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  const id = headerId(block.header);
  await waitFor('b has the block', () => b.state.chain.tip.id === id);
}
