/**
 * Network budgets under attack (figures, not pass/fail), in-process over memory links:
 * - the memory a node grows while a peer that has stopped reading floods it with getdata for its
 *   largest block (40 messages each naming a ~900 KB block 8 times, like the security review's),
 *   and whether that peer gets dropped (target, issue 12: under 50 MB, attacker dropped);
 * - how many getdata a node sends in one second to a peer that answers every one `notfound`;
 * - the node's time to handle 200 zero-fee transactions from one peer.
 * Uses only APIs the node had before the budgets, so the same file measures older code for a
 * before/after ratio.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  COINBASE_MATURITY,
  encodeMessage,
  frameMessage,
  hexToHash,
  type Block,
  type WireMessage,
} from '../../core/index.js';
import { memoryLinkPair, type Schedule } from '../../client/net/memory-link.js';
import { Peer } from '../../client/net/peer.js';
import { buildBlock, outputOf, pay, testKey } from '../helpers/regtest.js';
import { bigBlockNode, clock, makeNode, type TestNode } from '../helpers/net.js';

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
  const { node, big } = await bigBlockNode('victim', 900_000);
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

/** A raw peer of `node` that answers its hello, and hands every message to `onMessage`. */
async function rawPeer(
  node: TestNode,
  name: string,
  onMessage: (peer: Peer, message: WireMessage) => void = () => undefined,
): Promise<Peer> {
  const [attackerSide, victimSide] = memoryLinkPair(name, node.name);
  let handshaken = false;
  const peer = new Peer(
    attackerSide,
    {
      onMessage: (p, message) => {
        if (message.type === 'hello' && !handshaken) {
          handshaken = true;
          p.send({ ...message, nodeId: name, userAgent: name });
        }
        onMessage(p, message);
      },
      onInvalid: () => undefined,
      onClose: () => undefined,
    },
    () => clock.ms,
  );
  node.p2p.addLink(victimSide);
  while (node.p2p.peers.get(name)?.state !== 'ready') await pause(5);
  return peer;
}

/** getdata a syncing node sends in one second to a peer that answers each with notfound. */
export async function notfoundStorm(): Promise<number> {
  const seed = await makeNode('seed');
  const blocks: Block[] = [];
  for (let i = 0; i < 3; i++) {
    const block = buildBlock(seed.state.chain.tip, { payTo: testKey(1) });
    await seed.p2p.submitBlock(block, 'local');
    blocks.push(block);
  }
  const syncing = await makeNode('syncing');
  let asked = 0;
  const liar = await rawPeer(syncing, 'liar', (p, message) => {
    if (message.type !== 'getdata') return;
    asked++;
    p.send({ type: 'notfound', items: message.items });
  });
  liar.send({ type: 'headers', headers: blocks.map((b) => b.header) });
  while (asked === 0) await pause(5);
  const start = asked;
  await pause(1000);
  const perSecond = asked - start;
  syncing.p2p.stop();
  seed.p2p.stop();
  return perSecond;
}

/**
 * CPU milliseconds this process spends while a node receives `count` zero-fee transactions
 * (each `inputs` inputs, validly signed) from one peer, and how many it checked. The frames are
 * encoded beforehand, so the figure is the receiving node's work.
 */
export async function zeroFeeFlood(
  count = 200,
  inputs = 4,
): Promise<{ cpuMs: number; checked: number }> {
  const node = await makeNode('victim');
  const spammer = testKey(41);
  const rewards: Block[] = [];
  for (let i = 0; i < COINBASE_MATURITY + inputs; i++) {
    const block = buildBlock(node.state.chain.tip, { payTo: spammer });
    await node.p2p.submitBlock(block, 'local');
    rewards.push(block);
  }
  const coins = rewards.slice(0, inputs).map((b, i) => outputOf(b.txs[0]!, 0, i + 1, true));
  const total = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
  const frames = Array.from({ length: count }, (_, i) =>
    frameMessage(
      encodeMessage({
        type: 'tx',
        tx: pay(spammer, coins, [
          { amount: BigInt(i + 1), pubkey: spammer.pubkey },
          { amount: total - BigInt(i + 1), pubkey: spammer.pubkey },
        ]),
      }),
    ),
  ).flat();
  const original = node.state.acceptTx.bind(node.state);
  let checked = 0;
  node.state.acceptTx = (tx, now) => {
    checked++;
    return original(tx, now);
  };
  const peer = await rawPeer(node, 'spammer');
  const before = process.cpuUsage();
  for (const frame of frames) peer.link.send(frame);
  // Every message delivered (hello, the transactions), then no more checks for 200 ms.
  while ((node.p2p.peers.get('spammer')?.stats().messagesIn ?? 0) < count + 1) await pause(20);
  for (let last = -1; last !== checked;) {
    last = checked;
    await pause(200);
  }
  const used = process.cpuUsage(before);
  node.p2p.stop();
  return { cpuMs: (used.user + used.system) / 1000, checked };
}

export async function benchHostilePeers(): Promise<void> {
  await benchGetdataFlood();
  console.log(
    `notfound storm: ${await notfoundStorm()} getdata in 1 s to a peer answering notfound`,
  );
  const spam = await zeroFeeFlood();
  console.log(
    `zero-fee flood: 200 zero-fee 4-input transactions from one peer cost the node ` +
      `${spam.cpuMs.toFixed(0)} ms of CPU (${spam.checked} checked)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHostilePeers();
