/**
 * Refusals that cost their sender nothing still cost us a check: each peer has a budget of them
 * (client/net/tx-relay.ts). A flood of zero-fee transactions gets 20 checked, then 2 a second;
 * the same refused transaction is never checked twice; and a forged witness on an honest txid
 * does not keep the honest transaction out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COINBASE_MATURITY, txidHex, type Block, type Tx } from '../../core/index.js';
import { TX_REFUSALS_BURST, TX_REFUSALS_PER_SECOND } from '../../client/net/tx-relay.js';
import type { RefusedEvent } from '../../client/net/p2p.js';
import { buildBlock, outputOf, pay, testKey } from '../helpers/regtest.js';
import { clock, link, makeNode, rawPeer, stopAll, type TestNode } from '../helpers/net.js';

const spammer = testKey(41);
const nodes: TestNode[] = [];
afterEach(() => stopAll(nodes.splice(0)));

/** A node whose chain pays `spammer` a mature coin; returns it and that coin's block. */
async function fundedVictim(): Promise<{ victim: TestNode; reward: Block }> {
  const victim = await makeNode('victim');
  nodes.push(victim);
  const blocks: Block[] = [];
  for (let i = 0; i <= COINBASE_MATURITY; i++) {
    const block = buildBlock(victim.state.chain.tip, { payTo: spammer });
    const result = await victim.p2p.submitBlock(block, 'local');
    if (!result.ok) throw new Error(result.reason);
    blocks.push(block);
  }
  return { victim, reward: blocks[0]! };
}

/** `count` distinct zero-fee transactions spending the same mature coin. */
function zeroFee(reward: Block, count: number, from = 0): Tx[] {
  const coin = outputOf(reward.txs[0]!, 0, 1, true);
  return Array.from({ length: count }, (_, i) =>
    pay(
      spammer,
      [coin],
      [
        { amount: BigInt(from + i + 1), pubkey: spammer.pubkey },
        { amount: coin.coin.amount - BigInt(from + i + 1), pubkey: spammer.pubkey },
      ],
    ),
  );
}

/** Count the victim's transaction checks (each slowed down to 3 ms). */
function countChecks(victim: TestNode): () => number {
  const original = victim.state.acceptTx.bind(victim.state);
  let checks = 0;
  // Each check takes a while, as in a browser (storage reads, signatures): transactions that
  // arrive meanwhile must not all pass the budget before the first refusal is counted.
  victim.state.acceptTx = async (tx, now) => {
    checks++;
    await new Promise((resolve) => setTimeout(resolve, 3));
    return original(tx, now);
  };
  return () => checks;
}

describe('policy refusals', () => {
  it('checks 20 zero-fee transactions of a flood, then 2 a second, and never bans', async () => {
    const { victim, reward } = await fundedVictim();
    const checks = countChecks(victim);
    const refused: RefusedEvent[] = [];
    victim.p2p.on('refused', (r) => refused.push(r));
    const raw = rawPeer(victim, 'spammer');
    await raw.ready;
    await expect.poll(() => victim.p2p.peers.get('spammer')?.state).toBe('ready');
    for (const tx of zeroFee(reward, 200)) raw.peer.send({ type: 'tx', tx });
    raw.peer.send({ type: 'ping', nonce: 1n });
    await expect.poll(() => raw.received.some((m) => m.type === 'pong')).toBe(true);
    await expect.poll(checks).toBe(TX_REFUSALS_BURST);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checks()).toBe(TX_REFUSALS_BURST);
    const reasons = refused.map((r) => r.reason);
    expect(reasons.filter((r) => r === 'min-relay-fee-not-met')).toHaveLength(TX_REFUSALS_BURST);
    expect(reasons.filter((r) => r === 'tx-refusals-rate-limited')).toHaveLength(1);
    expect(refused.every((r) => r.score === 0)).toBe(true);

    clock.ms += 5_000; // 10 more refusals' worth
    for (const tx of zeroFee(reward, 200, 1000)) raw.peer.send({ type: 'tx', tx });
    await expect.poll(checks).toBe(TX_REFUSALS_BURST + 5 * TX_REFUSALS_PER_SECOND);
    expect(victim.p2p.peers.has('spammer')).toBe(true);
    expect(victim.p2p.bans.get('spammer', clock.ms)).toBeUndefined();
  });

  it('checks a refused transaction sent again and again only once', async () => {
    const { victim, reward } = await fundedVictim();
    const checks = countChecks(victim);
    const raw = rawPeer(victim, 'repeater');
    await raw.ready;
    await expect.poll(() => victim.p2p.peers.get('repeater')?.state).toBe('ready');
    const [tx] = zeroFee(reward, 1);
    for (let i = 0; i < 100; i++) raw.peer.send({ type: 'tx', tx: tx! });
    raw.peer.send({ type: 'ping', nonce: 2n });
    await expect.poll(() => raw.received.some((m) => m.type === 'pong')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checks()).toBe(1);
  });

  it('a forged witness on an honest txid bans the forger but does not keep the honest tx out', async () => {
    const { victim, reward } = await fundedVictim();
    const coin = outputOf(reward.txs[0]!, 0, 1, true);
    const honestTx = pay(
      spammer,
      [coin],
      [{ amount: coin.coin.amount - 100_000n, pubkey: testKey(5).pubkey }],
    );
    const forged: Tx = {
      ...honestTx,
      inputs: honestTx.inputs.map((input) => ({ ...input, witness: new Uint8Array(64).fill(7) })),
    };
    const forger = rawPeer(victim, 'forger');
    await forger.ready;
    await expect.poll(() => victim.p2p.peers.get('forger')?.state).toBe('ready');
    forger.peer.send({ type: 'tx', tx: forged });
    await expect.poll(() => victim.p2p.bans.get('forger', clock.ms)).toBeDefined();
    const honest = await makeNode('honest');
    nodes.push(honest);
    link(honest, victim);
    await expect.poll(() => honest.state.chain.height).toBe(victim.state.chain.height);
    expect(await honest.p2p.submitTx(honestTx, 'local')).toBeUndefined();
    await expect.poll(() => victim.state.mempool.has(txidHex(honestTx))).toBe(true);
  });
});
