/**
 * Scenario tests: every kind of invalid block is refused with its exact reason, the tip stays
 * put, and honest blocks keep connecting afterwards.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  MAX_BLOCK_BYTES,
  blockSubsidy,
  headerId,
  type Block,
  type NodeState,
  type Tx,
} from '../../../core/index.js';
import {
  NOW,
  buildBlock,
  mineBlocks,
  openNode,
  params,
  pay,
  rebuild,
  unmineHeader,
  fundedNode,
  type FundedNode,
  alice,
  bob,
} from '../../helpers/regtest.js';

let node: NodeState;
let rewards: Block[];
/** Alice's coinbase reward from block `i` (1-based), mature once enough blocks are mined. */
let reward: FundedNode['reward'];

beforeEach(async () => {
  ({ node, rewards, reward } = await fundedNode(COINBASE_MATURITY + 2));
});

async function expectRejected(block: Block, reason: string) {
  const tipBefore = node.chain.tip.id;
  const result = await node.processBlock(block, NOW);
  expect(result.ok, `expected ${reason}`).toBe(false);
  if (!result.ok) expect(result.reason).toBe(reason);
  expect(node.chain.tip.id).toBe(tipBefore);
  return result;
}

async function expectHonestBlockStillConnects() {
  const height = node.chain.height;
  const result = await node.processBlock(buildBlock(node.chain.tip, { payTo: bob }), NOW);
  expect(result.ok).toBe(true);
  expect(node.chain.height).toBe(height + 1);
}

const subsidy = blockSubsidy(1, params);

describe('invalid transactions in blocks', () => {
  it('refuses a double spend inside one block', async () => {
    const a = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const b = pay(alice, [reward(1)], [{ amount: subsidy - 2000n, pubkey: alice.pubkey }]);
    const result = await expectRejected(
      buildBlock(node.chain.tip, { txs: [a, b] }),
      'bad-txns-inputs-missingorspent',
    );
    expect(result.ok === false && result.message).toMatch(/double spend/);
    await expectHonestBlockStillConnects();
  });

  it('refuses a double spend across blocks', async () => {
    const a = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    expect((await node.processBlock(buildBlock(node.chain.tip, { txs: [a] }), NOW)).ok).toBe(true);
    const b = pay(alice, [reward(1)], [{ amount: subsidy - 2000n, pubkey: alice.pubkey }]);
    await expectRejected(
      buildBlock(node.chain.tip, { txs: [b] }),
      'bad-txns-inputs-missingorspent',
    );
    await expectHonestBlockStillConnects();
  });

  it('refuses duplicate inputs in one transaction', async () => {
    const tx = pay(
      alice,
      [reward(1), reward(1)],
      [{ amount: 2n * subsidy - 1000n, pubkey: bob.pubkey }],
    );
    await expectRejected(buildBlock(node.chain.tip, { txs: [tx] }), 'bad-txns-inputs-duplicate');
  });

  it('refuses an overspend', async () => {
    const tx = pay(alice, [reward(1)], [{ amount: subsidy + 1n, pubkey: bob.pubkey }]);
    await expectRejected(buildBlock(node.chain.tip, { txs: [tx] }), 'bad-txns-in-belowout');
  });

  it('refuses an inflated coinbase, and accepts one claiming exactly subsidy + fees', async () => {
    const tx = pay(alice, [reward(1)], [{ amount: subsidy - 5000n, pubkey: bob.pubkey }]);
    const height = node.chain.height + 1;
    const greedy = buildBlock(node.chain.tip, {
      txs: [tx],
      reward: blockSubsidy(height, params) + 5001n,
    });
    await expectRejected(greedy, 'bad-cb-amount');
    const fair = buildBlock(node.chain.tip, {
      txs: [tx],
      reward: blockSubsidy(height, params) + 5000n,
    });
    expect((await node.processBlock(fair, NOW)).ok).toBe(true);
  });

  it('refuses spending a coinbase before COINBASE_MATURITY blocks', async () => {
    const young = node.chain.height; // its coinbase needs COINBASE_MATURITY more blocks
    const tx = pay(alice, [reward(young)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    await expectRejected(
      buildBlock(node.chain.tip, { txs: [tx] }),
      'bad-txns-premature-spend-of-coinbase',
    );
  });

  it('refuses a bad signature and an unsigned input', async () => {
    const signedByBob = pay(bob, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    await expectRejected(buildBlock(node.chain.tip, { txs: [signedByBob] }), 'bad-signature');
    const good = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const unsigned: Tx = {
      ...good,
      inputs: good.inputs.map((i) => ({ ...i, witness: new Uint8Array() })),
    };
    const result = await expectRejected(
      buildBlock(node.chain.tip, { txs: [unsigned] }),
      'bad-signature',
    );
    expect(result.ok === false && result.message).toMatch(/not signed/);
    await expectHonestBlockStillConnects();
  });
});

describe('invalid blocks', () => {
  it('refuses a tampered transaction in a middle block without poisoning the real block', async () => {
    const tx = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const middle = buildBlock(node.chain.tip, { txs: [tx] });
    expect((await node.processBlock(middle, NOW)).ok).toBe(true);
    await mineBlocks(node, 2);
    const tipBefore = node.chain.tip.id;
    // Rewrite history: pay the amount to Alice instead of Bob, keep the header.
    const tampered: Tx = {
      ...tx,
      outputs: [{ amount: tx.outputs[0]!.amount, pubkey: alice.pubkey }],
    };
    const forged = { header: middle.header, txs: [middle.txs[0]!, tampered] };
    await expectRejected(forged, 'bad-merkle-root'); // even though the header is known
    await expectRejected(middle, 'duplicate');
    const { node: fresh } = await openNode();
    for (const b of rewards) await fresh.processBlock(b, NOW);
    const freshResult = await fresh.processBlock(forged, NOW);
    expect(freshResult.ok === false && freshResult.reason).toBe('bad-merkle-root');
    // The honest block with the same header is still accepted afterwards.
    expect((await fresh.processBlock(middle, NOW)).ok).toBe(true);
    expect(fresh.chain.getEntry(headerId(middle.header))?.status).toBe('valid');
    // Re-mining the tampered block makes a new, lighter branch: it is never adopted.
    const remined = await node.processBlock(rebuild(middle, forged.txs), NOW);
    expect(remined.ok && remined.status).toBe('side-branch');
    expect(node.chain.tip.id).toBe(tipBefore);
  });

  it('holds a block with an unknown parent as an orphan, and refuses a child of an invalid block', async () => {
    const stray = buildBlock({
      ...node.chain.tip,
      header: { ...node.chain.tip.header, nonce: 12345 },
    });
    const result = await node.processBlock(stray, NOW);
    expect(result.ok && result.status).toBe('orphan');
    expect(result.ok && result.missingParent).toBeTruthy();
    const header = await node.chain.acceptHeader(stray.header, NOW);
    expect(header.ok === false && header.reason).toBe('prev-blk-not-found');

    const greedy = buildBlock(node.chain.tip, { reward: subsidy * 2n });
    await expectRejected(greedy, 'bad-cb-amount');
    const greedyEntry = node.chain.getEntry(headerId(greedy.header))!;
    await expectRejected(buildBlock(greedyEntry), 'bad-prevblk');
  });

  it('refuses proof of work that does not meet the target', async () => {
    const block = buildBlock(node.chain.tip, { mine: false });
    await expectRejected({ ...block, header: unmineHeader(block.header) }, 'high-hash');
  });

  it('refuses bits other than the retarget result', async () => {
    await expectRejected(buildBlock(node.chain.tip, { bits: 0x1f7fffff }), 'bad-diffbits');
    await expectRejected(buildBlock(node.chain.tip, { bits: 0x2100ffff }), 'bad-diffbits');
  });

  it('refuses a time not after the median time past', async () => {
    await expectRejected(
      buildBlock(node.chain.tip, { time: node.chain.medianTimePast() }),
      'time-too-old',
    );
  });

  it('refuses a time too far in the future without marking the block invalid', async () => {
    const block = buildBlock(node.chain.tip, { time: NOW + params.maxFutureBlockTime + 1 });
    const result = await expectRejected(block, 'time-too-new');
    expect(result.ok === false && result.category).toBe('time-future');
    expect(result.ok === false && result.score).toBe(0);
    // Once the clock catches up, the same block is valid.
    expect((await node.processBlock(block, NOW + 2 * params.maxFutureBlockTime)).ok).toBe(true);
  });

  it('refuses a mutated merkle tree (CVE-2012-2459)', async () => {
    const a = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const b = pay(alice, [reward(2)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    const honest = buildBlock(node.chain.tip, { txs: [a, b] });
    // [cb, a, b] and [cb, a, b, b] share a merkle root.
    const mutated = { header: honest.header, txs: [...honest.txs, b] };
    await expectRejected(mutated, 'bad-txns-duplicate');
    expect((await node.processBlock(honest, NOW)).ok).toBe(true);
  });

  it('refuses an oversize block', async () => {
    const inputs = Array.from({ length: 10_000 }, (_, i) => ({
      ...reward(1),
      prevout: { ...reward(1).prevout, vout: i },
    }));
    const tx = pay(alice, inputs.slice(0, 1), [{ amount: 1n, pubkey: bob.pubkey }]);
    const fat: Tx = {
      ...tx,
      inputs: inputs.map((i) => ({
        prevout: i.prevout,
        script: new Uint8Array(),
        witness: tx.inputs[0]!.witness,
      })),
    };
    const result = await expectRejected(
      buildBlock(node.chain.tip, { txs: [fat] }),
      'bad-blk-length',
    );
    expect(result.ok === false && result.message).toContain(String(MAX_BLOCK_BYTES));
  });

  it('refuses a coinbase that does not commit to its height (BIP34), a missing or second coinbase', async () => {
    await expectRejected(buildBlock(node.chain.tip, { coinbaseHeight: 1 }), 'bad-cb-height');
    const block = buildBlock(node.chain.tip);
    const other = buildBlock(node.chain.tip, { extraNonce: 7 });
    await expectRejected(rebuild(block, [...block.txs, other.txs[0]!]), 'bad-cb-multiple');
    const tx = pay(alice, [reward(1)], [{ amount: subsidy - 1000n, pubkey: bob.pubkey }]);
    await expectRejected(rebuild(block, [tx]), 'bad-cb-missing');
  });
});
