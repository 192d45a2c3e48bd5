/**
 * An announced transaction is asked of one announcer at a time (client/net/tx-requests.ts,
 * docs/protocol.md "Relay"): announced by several peers, it is downloaded once; withheld by the
 * peer asked first (it answers `notfound`, or nothing), it still reaches every node, from the
 * next announcer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  blockSubsidy,
  hexToHash,
  txid,
  txidHex,
  type Block,
  type Tx,
} from '../../core/index.js';
import { TX_REQUEST_TIMEOUT_MS } from '../../client/net/tx-requests.js';
import { TX_REFUSALS_BURST } from '../../client/net/tx-relay.js';
import { buildBlock, outputOf, params, pay, testKey } from '../helpers/regtest.js';
import {
  clock,
  link,
  makeNode,
  rawPeer,
  receivedOf,
  stopAll,
  type RawPeer,
  type TestNode,
} from '../helpers/net.js';

const alice = testKey(1);
const bob = testKey(2);
const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

/**
 * Nodes named `names` on the same chain, which pays alice mature coins; a tx spending the first,
 * and the blocks.
 */
async function fundedNodes(
  names: string[],
): Promise<{ nodes: TestNode[]; tx: Tx; rewards: Block[] }> {
  const made = await Promise.all(names.map((name) => makeNode(name)));
  nodes.push(...made);
  const first = made[0]!;
  const rewards: Block[] = [];
  for (let i = 0; i <= COINBASE_MATURITY; i++) {
    const block = buildBlock(first.state.chain.tip, { payTo: alice });
    for (const n of made) {
      const result = await n.p2p.submitBlock(block, 'local');
      if (!result.ok) throw new Error(`${n.name}: ${result.reason}`);
    }
    rewards.push(block);
  }
  const tx = pay(
    alice,
    [outputOf(rewards[0]!.txs[0]!, 0, 1, true)],
    [{ amount: blockSubsidy(1, params) - 1000n, pubkey: bob.pubkey }],
  );
  return { nodes: made, tx, rewards };
}

const ready = (n: TestNode, peer: string) =>
  expect.poll(() => n.p2p.peers.get(peer)?.state).toBe('ready');

/** Let every message in flight over the memory links arrive (each hop is a macrotask). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('transaction requests', () => {
  it('downloads a transaction announced by three peers at once only once', async () => {
    const {
      nodes: [victim, ...announcers],
      tx,
    } = await fundedNodes(['v', 'a', 'b', 'c']);
    for (const n of announcers) {
      link(victim!, n);
      await ready(victim!, n.name);
    }
    // All three announce it within one round trip.
    await Promise.all(announcers.map((n) => n.p2p.submitTx(tx, 'local')));
    await expect.poll(() => victim!.state.mempool.has(txidHex(tx))).toBe(true);
    await settle();
    expect(victim!.p2p.traffic.of('tx').messages).toBe(1);
  });

  /**
   * Raw peer `w` links to every node of `victims` and announces `tx` to each first; then `a`
   * (linked to them too) has it. Resolves once each victim asked `w` and heard `a` announce it.
   */
  async function withheld(): Promise<{
    victims: TestNode[];
    withholders: RawPeer[];
    tx: Tx;
    rewards: Block[];
  }> {
    const {
      nodes: [a, ...victims],
      tx,
      rewards,
    } = await fundedNodes(['a', 'v1', 'v2', 'v3']);
    link(victims[0]!, victims[1]!);
    link(victims[1]!, victims[2]!);
    const withholders = victims.map((v) => rawPeer(v, 'w'));
    for (const [i, v] of victims.entries()) {
      await withholders[i]!.ready;
      await ready(v, 'w');
      link(v, a!);
      await ready(v, 'a');
    }
    for (const w of withholders)
      w.peer.send({ type: 'inv', items: [{ kind: 'tx', hash: txid(tx) }] });
    for (const w of withholders) await expect.poll(() => receivedOf(w, 'getdata')).toHaveLength(1);
    expect(await a!.p2p.submitTx(tx, 'local')).toBeUndefined();
    await settle();
    // Nobody asked `a`: it is only the next announcer.
    expect(victims.some((v) => v.state.mempool.has(txidHex(tx)))).toBe(false);
    return { victims, withholders, tx, rewards };
  }

  it('asks the next announcer at once when the first answers notfound', async () => {
    const { victims, withholders, tx } = await withheld();
    for (const w of withholders)
      w.peer.send({ type: 'notfound', items: [{ kind: 'tx', hash: hexToHash(txidHex(tx)) }] });
    for (const v of victims) await expect.poll(() => v.state.mempool.has(txidHex(tx))).toBe(true);
    await settle();
    for (const v of victims) expect(v.p2p.traffic.of('tx').messages).toBe(1);
  });

  it('asks the next announcer once the first has not answered for the timeout', async () => {
    const { victims, tx } = await withheld();
    clock.ms += TX_REQUEST_TIMEOUT_MS - 1_000;
    for (const v of victims) v.p2p.tick();
    await settle();
    expect(victims.some((v) => v.state.mempool.has(txidHex(tx)))).toBe(false);
    clock.ms += 1_000;
    for (const v of victims) v.p2p.tick();
    for (const v of victims) await expect.poll(() => v.state.mempool.has(txidHex(tx))).toBe(true);
    await settle();
    for (const v of victims) expect(v.p2p.traffic.of('tx').messages).toBe(1);
  });

  it('asks the next announcer at once when the first disconnects', async () => {
    const { victims, withholders, tx } = await withheld();
    for (const w of withholders) w.peer.close('gone');
    for (const v of victims) await expect.poll(() => v.state.mempool.has(txidHex(tx))).toBe(true);
  });

  it('asks the next announcer at once when the first sends it with a forged witness', async () => {
    const { victims, withholders, tx } = await withheld();
    const forged: Tx = {
      ...tx,
      inputs: tx.inputs.map((input) => ({ ...input, witness: new Uint8Array(64).fill(7) })),
    };
    for (const w of withholders) w.peer.send({ type: 'tx', tx: forged });
    for (const v of victims) await expect.poll(() => v.p2p.bans.get('w', clock.ms)).toBeDefined();
    for (const v of victims) await expect.poll(() => v.state.mempool.has(txidHex(tx))).toBe(true);
  });

  it('asks the next announcer at once when the first sends it past its refusal budget', async () => {
    const { victims, withholders, tx, rewards } = await withheld();
    // Zero-fee spends of another coin: refused for policy, TX_REFUSALS_BURST of them use up
    // the sender's budget, so its transactions after them are dropped unchecked.
    const coin = outputOf(rewards[1]!.txs[0]!, 0, 2, true);
    const zeroFee = Array.from({ length: TX_REFUSALS_BURST + 1 }, (_, i) =>
      pay(
        alice,
        [coin],
        [
          { amount: coin.coin.amount - BigInt(i), pubkey: alice.pubkey },
          { amount: BigInt(i), pubkey: bob.pubkey },
        ],
      ),
    );
    for (const w of withholders) {
      for (const spam of zeroFee) w.peer.send({ type: 'tx', tx: spam });
      w.peer.send({ type: 'tx', tx });
    }
    for (const v of victims) await expect.poll(() => v.state.mempool.has(txidHex(tx))).toBe(true);
    for (const v of victims) expect(v.p2p.peers.has('w')).toBe(true); // dropped, not banned
  });

  it('asks nobody else for a transaction that reached the mempool meanwhile', async () => {
    const { victims, tx } = await withheld();
    const [v1] = victims;
    expect(await v1!.p2p.submitTx(tx, 'local')).toBeUndefined();
    clock.ms += TX_REQUEST_TIMEOUT_MS;
    v1!.p2p.tick();
    await settle();
    const a = nodes.find((n) => n.name === 'a')!;
    expect(a.p2p.traffic.of('getdata').messages).toBe(0);
  });
});

describe('recently confirmed transactions', () => {
  it('are not fetched again, nor held as orphans, when a peer announces or sends one late', async () => {
    const {
      nodes: [v],
      tx,
    } = await fundedNodes(['v']);
    // A block confirms the transaction before `v` ever saw it on its own.
    const block = buildBlock(v!.state.chain.tip, { txs: [tx] });
    const connected = await v!.p2p.submitBlock(block, 'local');
    expect(connected.ok && connected.status).toBe('active');
    const w = rawPeer(v!, 'w');
    await w.ready;
    await ready(v!, 'w');
    w.peer.send({ type: 'inv', items: [{ kind: 'tx', hash: txid(tx) }] });
    await settle();
    expect(receivedOf(w, 'getdata')).toHaveLength(0);
    // Sent anyway: its inputs are spent (by itself), but it is no orphan and costs no getdata.
    w.peer.send({ type: 'tx', tx });
    await settle();
    expect(v!.p2p.orphanTxs.has(txidHex(tx))).toBe(false);
    expect(receivedOf(w, 'getdata')).toHaveLength(0);
    expect(v!.p2p.peers.has('w')).toBe(true);
  });
});
