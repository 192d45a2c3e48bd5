/**
 * Fuzzed blocks (fast-check, seeded): random transactions, some spending outputs created
 * earlier in the same block, with a random mutation in random ones (a signature bit, another
 * input's signature, a key that does not own the coin, an amount or an output key changed
 * after signing, a truncated witness). Two identical nodes process each block, one serially
 * and one through the worker pool: the verdict, reason, message and tip must be the same.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeState, Tx } from '../../core/index.js';
import { createNodeVerifyWorker } from '../../client/verify/node-verify-worker.js';
import { Preverifier } from '../../client/verify/preverifier.js';
import { VerifyPool } from '../../client/verify/verify-pool.js';
import {
  NOW,
  alice,
  bob,
  buildBlock,
  carol,
  nodeWithCoins,
  outputOf,
  pay,
  type Spendable,
  type TestKey,
} from '../helpers/regtest.js';

const COINS = 200;
const keys = [alice, bob, carol];

type Mutation = 'none' | 'flip-sig' | 'other-sig' | 'wrong-key' | 'amount' | 'out-key' | 'short';
const MUTATIONS: Mutation[] = ['flip-sig', 'other-sig', 'wrong-key', 'amount', 'out-key', 'short'];

interface TxPlan {
  /** Spend a fresh funded coin (false), or the first output of an earlier tx in the block. */
  chained: boolean;
  /** Who gets the output (alice, bob or carol). */
  to: number;
  mutation: Mutation;
  bit: number;
}

const txPlan = fc.record({
  chained: fc.boolean(),
  to: fc.integer({ min: 0, max: 2 }),
  mutation: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Mutation>('none') },
    { weight: 1, arbitrary: fc.constantFrom(...MUTATIONS) },
  ),
  bit: fc.nat(511),
});

let pool: VerifyPool | undefined;
let serial: NodeState;
let parallel: NodeState;
let preverifier: Preverifier;
let fresh: Spendable[];

beforeAll(async () => {
  pool = await VerifyPool.start(createNodeVerifyWorker, 2, 'fastest');
  const a = await nodeWithCoins(COINS);
  const b = await nodeWithCoins(COINS);
  serial = a.node;
  parallel = b.node;
  preverifier = new Preverifier(parallel.chain, pool);
  fresh = Array.from({ length: COINS }, (_, i) => outputOf(a.fanout, i));
});

afterAll(() => pool?.close());

/** The block's transactions from `plans`, mutated as planned; `used` are the fresh coins spent. */
function buildTxs(plans: TxPlan[]): { txs: Tx[]; used: Spendable[] } {
  const txs: Tx[] = [];
  const used: Spendable[] = [];
  const owners: TestKey[] = [];
  for (const plan of plans) {
    const parent = plan.chained && txs.length > 0 ? txs.length - 1 : -1;
    const coin = parent >= 0 ? outputOf(txs[parent]!, 0) : fresh[used.length]!;
    if (parent < 0) used.push(coin);
    const owner = parent >= 0 ? owners[parent]! : alice;
    const to = keys[plan.to]!;
    const amount = coin.coin.amount - 1_000n;
    const signer = plan.mutation === 'wrong-key' ? keys[(keys.indexOf(owner) + 1) % 3]! : owner;
    let tx = pay(signer, [coin], [{ amount, pubkey: to.pubkey }], true);
    const witness = tx.inputs[0]!.witness;
    const withWitness = (w: Uint8Array): Tx => ({
      ...tx,
      inputs: [{ ...tx.inputs[0]!, witness: w }],
    });
    if (plan.mutation === 'flip-sig') {
      const w = witness.slice();
      w[plan.bit >> 3]! ^= 1 << (plan.bit & 7);
      tx = withWitness(w);
    } else if (plan.mutation === 'other-sig' && txs.length > 0) {
      tx = withWitness(txs[txs.length - 1]!.inputs[0]!.witness);
    } else if (plan.mutation === 'amount') {
      tx = { ...tx, outputs: [{ amount: amount - 1n, pubkey: to.pubkey }] };
    } else if (plan.mutation === 'out-key') {
      tx = { ...tx, outputs: [{ amount, pubkey: keys[(plan.to + 1) % 3]!.pubkey }] };
    } else if (plan.mutation === 'short') {
      tx = withWitness(witness.subarray(0, 63));
    }
    txs.push(tx);
    owners.push(plan.mutation === 'out-key' ? keys[(plan.to + 1) % 3]! : to);
  }
  return { txs, used };
}

describe('parallel verification on fuzzed blocks', () => {
  it('gives the serial verdict and reason on every block', async () => {
    expect(pool?.verifier).toBe('libsecp256k1-wasm');
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(txPlan, { minLength: 1, maxLength: 6 }), async (plans) => {
        const { txs, used } = buildTxs(plans);
        const block = buildBlock(serial.chain.tip, { txs });
        const a = await serial.processBlock(block, NOW);
        const b = await preverifier.inOrder(block, () => parallel.processBlock(block, NOW));
        expect(b.ok).toBe(a.ok);
        if (a.ok && b.ok) {
          expect(b.status).toBe(a.status);
          accepted++;
          fresh.splice(0, used.length);
        } else if (!a.ok && !b.ok) {
          expect({ reason: b.reason, message: b.message }).toEqual({
            reason: a.reason,
            message: a.message,
          });
          refused++;
        }
        expect(parallel.chain.tip.id).toBe(serial.chain.tip.id);
      }),
      { seed: 1717, numRuns: 40 },
    );
    // Both outcomes were exercised, and the pool verified signatures of both kinds.
    expect(accepted).toBeGreaterThan(3);
    expect(refused).toBeGreaterThan(3);
    expect(preverifier.totals.valid).toBeGreaterThan(0);
    expect(preverifier.totals.notValid).toBeGreaterThan(0);
  });
});
