/**
 * Network budgets under attack (figures, not pass/fail): the heap a node grows while a peer that
 * has stopped reading floods it with getdata for its largest block (40 messages each naming a
 * ~900 KB block 8 times, like the security review's), and whether that peer gets dropped. Target
 * (issue 12): under 50 MB, attacker dropped. In-process over memory links; uses only APIs the
 * node had before the budgets, so the same file measures older code for a before/after ratio.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { COINBASE_MATURITY, hexToHash, type Block, type WireMessage } from '../../core/index.js';
import { memoryLinkPair, type Schedule } from '../../client/net/memory-link.js';
import { Peer } from '../../client/net/peer.js';
import { buildBlock, outputOf, pay, testKey } from '../helpers/regtest.js';
import { clock, makeNode, type TestNode } from '../helpers/net.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JS heap plus the buffers outside it (queued frames are ArrayBuffers), in MB. */
const usedMb = () => {
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / 2 ** 20;
};
const settledMb = () => {
  gc();
  return usedMb();
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A node whose tip is one block of about `bytes` (a transaction with many outputs). */
async function nodeWithBigTip(bytes: number): Promise<{ node: TestNode; big: Block }> {
  const node = await makeNode('victim');
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
  const outputs = Array.from({ length: count }, () => ({ amount: each, pubkey: owner.pubkey }));
  const big = buildBlock(node.state.chain.tip, {
    payTo: owner,
    txs: [pay(owner, [coin], outputs)],
  });
  const result = await node.p2p.submitBlock(big, 'local');
  if (!result.ok) throw new Error(`big block refused: ${result.reason}`);
  return { node, big };
}

export interface FloodFigures {
  blockBytes: number;
  requested: number;
  heapGrowthMb: number;
  peakGrowthMb: number;
  dropped: boolean;
  queuedMb: number;
}

/** One getdata flood from a peer that stops reading right after the handshake. */
export async function getdataFlood(messages = 40, copies = 8): Promise<FloodFigures> {
  const { node, big } = await nodeWithBigTip(900_000);
  const blockBytes = big.txs.reduce((sum, tx) => sum + tx.outputs.length * 40, 80);
  // Both directions share one schedule: once `stalled`, nothing more is delivered, so the
  // victim's answers stay buffered exactly as with a peer that never reads its channel.
  let stalled = false;
  const held: (() => void)[] = [];
  const schedule: Schedule = (task) => (stalled ? held.push(task) : setTimeout(task, 0));
  const [attackerSide, victimSide] = memoryLinkPair('flooder', 'victim', schedule);
  let handshaken = false;
  const attacker = new Peer(
    attackerSide,
    {
      onMessage: (p, message: WireMessage) => {
        if (message.type !== 'hello' || handshaken) return;
        handshaken = true;
        p.send({ ...message, nodeId: 'flooder', userAgent: 'flooder' });
      },
      onInvalid: () => undefined,
      onClose: () => undefined,
    },
    () => clock.ms,
  );
  let dropped = false;
  node.p2p.on('peer-disconnected', ({ id }) => (dropped ||= id === 'flooder'));
  node.p2p.addLink(victimSide);
  while (node.p2p.peers.get('flooder')?.state !== 'ready') await pause(5);

  const before = settledMb();
  const hash = hexToHash(node.state.chain.tip.id);
  for (let i = 0; i < messages; i++) {
    const items = Array.from({ length: copies }, () => ({ kind: 'block' as const, hash }));
    attacker.send({ type: 'getdata', items });
  }
  stalled = true;
  // Let the victim handle every message; sample the heap until its queue stops changing.
  let peak = 0;
  let last = -1;
  for (let steady = 0; steady < 5;) {
    await pause(100);
    peak = Math.max(peak, usedMb() - before);
    const queued = node.p2p.peers.get('flooder')?.queuedBytes ?? 0;
    steady = queued === last ? steady + 1 : 0;
    last = queued;
  }
  const growth = settledMb() - before;
  const queuedMb = (node.p2p.peers.get('flooder')?.queuedBytes ?? 0) / 2 ** 20;
  const wasDropped = dropped;
  node.p2p.stop();
  held.length = 0;
  return {
    blockBytes,
    requested: messages * copies,
    heapGrowthMb: growth,
    peakGrowthMb: Math.max(peak, growth),
    dropped: wasDropped,
    queuedMb,
  };
}

export async function benchGetdataFlood(): Promise<void> {
  const f = await getdataFlood();
  console.log(
    `getdata flood (${f.requested} requests for a ${(f.blockBytes / 1e3).toFixed(0)} KB block, ` +
      `peer not reading): memory +${f.heapGrowthMb.toFixed(1)} MB after, peak +${f.peakGrowthMb.toFixed(1)} MB, ` +
      `send queue ${f.queuedMb.toFixed(1)} MB, attacker ${f.dropped ? 'dropped' : 'NOT dropped'} ` +
      `(target: < 50 MB, dropped)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchGetdataFlood();
