/**
 * The honest lesson of proof of work, as a lab action: pay a merchant, let the payment confirm,
 * then release a heavier chain mined in private from before that block, in which the same coin
 * pays this tab instead. Honest nodes follow the most work: they reorganise, the payment
 * disappears (double-spent), and their event logs say so. Regtest makes the private mining
 * instant; on the main network it needs the majority of the hash rate, which is the point.
 */
import { headerHash, hashToHex, txidHex, type Block, type BlockEntry } from '../../core/index.js';
import { craftBlock, ownCoin, payment, sign, type CraftContext } from './craft.js';
import type { P2P } from '../net/p2p.js';

export interface HiddenChainResult {
  /** The payment to the merchant that the heavier chain erases. */
  paid: string;
  /** The transaction spending the same coin on the heavier chain. */
  doubleSpend: string;
  /** Blocks the honest chain loses. */
  depth: number;
  /** Blocks in the released branch. */
  released: number;
}

function entryFor(block: Block, parent: BlockEntry): BlockEntry {
  return {
    ...parent,
    id: hashToHex(headerHash(block.header)),
    header: block.header,
    height: parent.height + 1,
    parent,
  };
}

export async function doubleSpendWithHiddenChain(
  ctx: CraftContext,
  p2p: P2P,
  merchant: Uint8Array,
): Promise<HiddenChainResult> {
  const chain = ctx.state.chain;
  const coin = await ownCoin(ctx);
  const pay = sign(ctx, payment(coin, merchant, coin.coin.amount - 1000n));
  const refused = await p2p.submitTx(pay, 'local');
  if (refused) throw new Error(`the payment was refused: ${refused.reason}`);

  // The payment confirms in an ordinary block on the public chain.
  const fork = chain.tip;
  const publicBlock = await craftBlock(ctx, { txs: [pay] });
  const accepted = await p2p.submitBlock(publicBlock, 'local');
  if (!accepted.ok) throw new Error(`the public block was refused: ${accepted.reason}`);

  // In private: from the same parent, the coin pays this tab, on one block more than public.
  const length = chain.tip.height - fork.height + 1;
  const spend = sign(ctx, payment(coin, ctx.pubkey, coin.coin.amount - 2000n));
  const branch: Block[] = [];
  let parent = fork;
  for (let i = 0; i < length; i++) {
    const block = await craftBlock(
      { ...ctx, now: ctx.now + i },
      { parent, txs: i === 0 ? [spend] : [] },
    );
    branch.push(block);
    parent = entryFor(block, parent);
  }
  // Release: our own node takes the heavier branch and announces it like any new chain.
  for (const block of branch) await p2p.submitBlock(block, 'local');
  return {
    paid: txidHex(pay),
    doubleSpend: txidHex(spend),
    depth: length - 1,
    released: branch.length,
  };
}
