/**
 * Crafting the attack lab's hostile-peer attacks (issue 12): data that used to split, stall or
 * exhaust a node rather than merely break a rule. Each keeps everything else valid so honest
 * nodes show the defence: which reason they give, and that honest data stays welcome.
 */
import {
  blockSize,
  createCoinbase,
  hexToHash,
  type Block,
  type Tx,
  type WireMessage,
} from '../../core/index.js';
import type { AttackKind } from './attacks.js';
import { craftBlock, findCoins, LabError, sign, type CraftContext, type Crafted } from './craft.js';

/** Blocks of at least this size make a getdata flood worth it (past the link's 256 KiB buffer). */
export const FLOOD_BLOCK_BYTES = 300_000;
/** The getdata flood: this many messages, each naming the block this many times. */
export const FLOOD_MESSAGES = 40;
export const FLOOD_COPIES = 8;
/** Zero-fee transactions in one signature-spam burst. */
export const SPAM_TXS = 200;

/** The largest block among the last 30 of the active chain, if any is worth flooding for. */
export async function floodTarget(ctx: CraftContext): Promise<string | undefined> {
  const chain = ctx.state.chain;
  let best: { id: string; size: number } | undefined;
  for (let h = chain.height; h >= Math.max(1, chain.height - 30); h--) {
    const id = chain.entryAt(h)!.id;
    const block = await chain.getBlock(id);
    const size = block ? blockSize(block) : 0;
    if (size >= FLOOD_BLOCK_BYTES && (!best || size > best.size)) best = { id, size };
  }
  return best?.id;
}

/** A valid block on the tip with one transaction of `bytes` of outputs paying this tab. */
export async function craftBigBlock(ctx: CraftContext, bytes = 650_000): Promise<Block> {
  const [coin] = await findCoins(ctx.state, { mature: true, owner: ctx.pubkey });
  if (!coin) throw new LabError('a big block needs a mature coin of this tab: fund the lab key');
  const count = Math.floor(bytes / 40);
  const each = coin.coin.amount / BigInt(count + 1);
  const fat: Tx = {
    version: 1,
    inputs: [{ prevout: coin.prevout, script: new Uint8Array(), witness: new Uint8Array(64) }],
    outputs: Array.from({ length: count }, () => ({ amount: each, pubkey: ctx.pubkey })),
    lockTime: 0,
  };
  return craftBlock(ctx, { txs: [sign(ctx, fat)] });
}

/** A second coinbase (never valid after the first transaction of a block). */
function extraCoinbase(ctx: CraftContext, height = ctx.state.chain.height + 1): Tx {
  return createCoinbase({
    height,
    extraNonce: 0xbad,
    outputs: [{ amount: 1n, pubkey: ctx.pubkey }],
  });
}

const send = (...messages: WireMessage[]): Crafted => ({ messages, frames: [], texts: [] });

export async function craftHostile(kind: AttackKind, ctx: CraftContext): Promise<Crafted> {
  const chain = ctx.state.chain;
  switch (kind) {
    case 'header-poisoning': {
      // An honest block: its header first, then its body tampered so that it fails a check
      // other than the merkle root (a second coinbase). The honest block itself is withheld,
      // to be relayed later by someone else: honest nodes must still accept it then.
      const honest = await craftBlock(ctx);
      const tampered: Block = { header: honest.header, txs: [honest.txs[0]!, extraCoinbase(ctx)] };
      return {
        ...send({ type: 'headers', headers: [honest.header] }, { type: 'block', block: tampered }),
        withheld: honest,
      };
    }
    case 'getdata-flood': {
      const target = await floodTarget(ctx);
      if (!target) throw new LabError('no big block to ask for: the lab mines one first');
      const hash = hexToHash(target);
      const items = Array.from({ length: FLOOD_COPIES }, () => ({ kind: 'block' as const, hash }));
      return send(
        ...Array.from({ length: FLOOD_MESSAGES }, () => ({ type: 'getdata' as const, items })),
      );
    }
    case 'old-fork-invalid': {
      // On top of block 1, a block whose body matches its header but carries two coinbases:
      // provably invalid, so the header is marked invalid with it (this used to walk the whole
      // block tree).
      const parent = chain.entryAt(Math.min(1, chain.height))!;
      const txs = [extraCoinbase(ctx, parent.height + 1)];
      return send({ type: 'block', block: await craftBlock(ctx, { parent, txs }) });
    }
    case 'zero-fee-spam': {
      const coins = await findCoins(ctx.state, { mature: true, owner: ctx.pubkey });
      if (coins.length === 0)
        throw new LabError('zero-fee spam needs a mature coin: fund the lab key');
      const total = coins.reduce((sum, c) => sum + c.coin.amount, 0n);
      const txs = Array.from({ length: SPAM_TXS }, (_, i) =>
        sign(ctx, {
          version: 1,
          inputs: coins.map((c) => ({
            prevout: c.prevout,
            script: new Uint8Array(),
            witness: new Uint8Array(64),
          })),
          // All of it paid out again: no fee at all. Each split differs, so each txid does.
          outputs: [
            { amount: BigInt(i + 1), pubkey: ctx.pubkey },
            { amount: total - BigInt(i + 1), pubkey: ctx.pubkey },
          ],
          lockTime: 0,
        }),
      );
      return send(...txs.map((tx) => ({ type: 'tx' as const, tx })));
    }
    case 'future-time-griefing':
      return send({
        type: 'block',
        block: await craftBlock(ctx, {
          // One spacing past the network's future-time limit (main: 30 s + 10 s, 4 spacings).
          time: ctx.now + ctx.state.params.maxFutureBlockTime + ctx.state.params.targetSpacing,
        }),
      });
    case 'text-frame':
      // A whole frame holding `ping`, as characters of a text message.
      return {
        messages: [],
        frames: [],
        texts: [String.fromCharCode(0, 2, 1, 0, 0, 0, 0, 0, 0, 0)],
      };
    default:
      throw new RangeError(`${kind} is not a hostile-peer attack`);
  }
}
