/**
 * Header poisoning (issue 12): a peer that knows an honest block's header sends it with a
 * tampered body. Whatever the tampering, the body is refused at the sender's cost and the
 * header is not condemned: the honest block and its child are accepted afterwards and become
 * the tip. Only a body that matches its header can mark the header invalid.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COINBASE_MATURITY,
  MAX_MONEY,
  createCoinbase,
  headerId,
  type Block,
  type Tx,
} from '../../../core/index.js';
import {
  NOW,
  SUBSIDY,
  alice,
  bob,
  buildBlock,
  carol,
  fundedNode,
  openNode,
  pay,
  rebuild,
  type FundedNode,
} from '../../helpers/regtest.js';
import { childEntry } from '../../helpers/tall-chain.js';

type Tamper =
  | { kind: 'empty' }
  | { kind: 'drop'; at: number }
  | { kind: 'add'; at: number }
  | { kind: 'duplicate'; from: number; at: number }
  | { kind: 'swap'; i: number; j: number }
  | { kind: 'replace-coinbase'; nonce: number }
  | { kind: 'over-money'; tx: number }
  | { kind: 'amount'; tx: number; delta: number }
  | { kind: 'witness'; tx: number; byte: number }
  | { kind: 'oversize' };

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.constant({ kind: 'empty' as const }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('replace-coinbase' as const), nonce: fc.nat(1000) }),
  fc.record({ kind: fc.constant('over-money' as const), tx: fc.nat() }),
  fc.record({
    kind: fc.constant('amount' as const),
    tx: fc.nat(),
    delta: fc.integer({ min: 1, max: 999 }),
  }),
  fc.record({ kind: fc.constant('witness' as const), tx: fc.nat(), byte: fc.nat(63) }),
  fc.constant({ kind: 'oversize' as const }),
);

let funded: FundedNode;
let honest: Block;
let child: Block;
/** A valid transaction in neither block, for the "add" tampering. */
let stranger: Tx;

beforeAll(async () => {
  funded = await fundedNode(COINBASE_MATURITY + 4);
  const { node, reward } = funded;
  const a = pay(alice, [reward(1)], [{ amount: SUBSIDY - 1000n, pubkey: bob.pubkey }]);
  const b = pay(alice, [reward(2)], [{ amount: SUBSIDY - 1000n, pubkey: carol.pubkey }]);
  const c = pay(alice, [reward(3)], [{ amount: SUBSIDY - 1000n, pubkey: bob.pubkey }]);
  stranger = pay(alice, [reward(4)], [{ amount: SUBSIDY - 1000n, pubkey: carol.pubkey }]);
  honest = buildBlock(node.chain.tip, { txs: [a, b] });
  child = buildBlock(childEntry(node.chain.tip, honest), { txs: [c] });
});

/** A 10,000-input transaction: more than MAX_BLOCK_BYTES on its own. */
function fatTx(template: Tx): Tx {
  const input = template.inputs[0]!;
  return {
    ...template,
    inputs: Array.from({ length: 10_000 }, (_, vout) => ({
      ...input,
      prevout: { ...input.prevout, vout },
    })),
  };
}

function withOutput(tx: Tx, amount: bigint): Tx {
  return { ...tx, outputs: [{ ...tx.outputs[0]!, amount }, ...tx.outputs.slice(1)] };
}

function tamper(txs: readonly Tx[], t: Tamper, height: number): Tx[] {
  const out = [...txs];
  const n = out.length;
  switch (t.kind) {
    case 'empty':
      return [];
    case 'drop':
      out.splice(t.at % n, 1);
      return out;
    case 'add':
      out.splice(t.at % (n + 1), 0, stranger);
      return out;
    case 'duplicate':
      out.splice(t.at % (n + 1), 0, out[t.from % n]!);
      return out;
    case 'swap': {
      const i = t.i % n;
      const j = t.j % n === i ? (i + 1) % n : t.j % n;
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }
    case 'replace-coinbase':
      out[0] = createCoinbase({
        height,
        extraNonce: t.nonce + 1,
        outputs: [{ amount: SUBSIDY, pubkey: carol.pubkey }],
      });
      return out;
    case 'over-money':
      out[t.tx % n] = withOutput(out[t.tx % n]!, MAX_MONEY + 1n);
      return out;
    case 'amount': {
      const tx = out[t.tx % n]!;
      out[t.tx % n] = withOutput(tx, tx.outputs[0]!.amount + BigInt(t.delta));
      return out;
    }
    case 'witness': {
      const i = 1 + (t.tx % (n - 1));
      const tx = out[i]!;
      const witness = Uint8Array.from(tx.inputs[0]!.witness);
      witness[t.byte] = witness[t.byte]! ^ 0xff;
      out[i] = { ...tx, inputs: [{ ...tx.inputs[0]!, witness }, ...tx.inputs.slice(1)] };
      return out;
    }
    case 'oversize':
      out.push(fatTx(out[1]!));
      return out;
  }
}

describe('a body must prove it belongs to its header', () => {
  it('after any tampered body, the honest block and its child are accepted and become the tip', async () => {
    await fc.assert(
      fc.asyncProperty(
        tamperArb,
        fc.constantFrom('honest' as const, 'child' as const),
        fc.boolean(),
        async (t, target, headersFirst) => {
          const { node } = await openNode();
          for (const block of funded.rewards) await node.processBlock(block, NOW);
          if (headersFirst) {
            expect(
              (await node.chain.acceptHeaders([honest.header, child.header], NOW)).rejection,
            ).toBeUndefined();
          }
          const real = target === 'honest' ? honest : child;
          const height = funded.rewards.length + (target === 'honest' ? 1 : 2);
          const forged: Block = { header: real.header, txs: tamper(real.txs, t, height) };
          const refused = await node.processBlock(forged, NOW);
          expect(refused.ok).toBe(false);
          // The sender pays (consensus, ban score)...
          expect(!refused.ok && refused.category).toBe('consensus');
          expect(!refused.ok && refused.score).toBeGreaterThan(0);
          // ...the header does not.
          for (const block of [honest, child]) {
            expect(node.chain.getEntry(headerId(block.header))?.status).not.toBe('invalid');
          }
          expect(refused.change.invalid).toEqual([]);
          const first = await node.processBlock(honest, NOW);
          expect(first.ok).toBe(true);
          const second = await node.processBlock(child, NOW);
          expect(second.ok && second.status).toBe('active');
          expect(node.chain.tip.id).toBe(headerId(child.header));
        },
      ),
      {
        numRuns: 60,
        seed: 12,
        examples: [
          [{ kind: 'empty' }, 'honest', true],
          [{ kind: 'oversize' }, 'honest', true],
          [{ kind: 'drop', at: 0 }, 'honest', true],
          [{ kind: 'duplicate', from: 0, at: 1 }, 'honest', true],
          [{ kind: 'over-money', tx: 1 }, 'honest', true],
          [{ kind: 'duplicate', from: 2, at: 3 }, 'honest', true],
          [{ kind: 'replace-coinbase', nonce: 5 }, 'child', false],
        ],
      },
    );
  });

  it('condemns a header whose own body is invalid: same txid twice, different witnesses', async () => {
    const { node } = await openNode();
    for (const block of funded.rewards) await node.processBlock(block, NOW);
    const [cb, a] = honest.txs;
    const witness = Uint8Array.from(a!.inputs[0]!.witness);
    witness[0] = witness[0]! ^ 1;
    const twin: Tx = { ...a!, inputs: [{ ...a!.inputs[0]!, witness }] };
    // The merkle root commits to wtxids: this body matches its (re-mined) header exactly.
    const bad = rebuild(honest, [cb!, a!, twin]);
    expect((await node.chain.acceptHeader(bad.header, NOW)).ok).toBe(true);
    const result = await node.processBlock(bad, NOW);
    expect(!result.ok && result.reason).toBe('bad-txns-duplicate');
    expect(node.chain.getEntry(headerId(bad.header))?.status).toBe('invalid');
  });
});
