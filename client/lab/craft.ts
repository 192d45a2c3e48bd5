/**
 * Crafting the attack lab's invalid data from this tab's current chain. Each attack breaks
 * exactly one rule and keeps everything else valid (real proof of work where the rule under
 * test is not proof of work), so honest nodes refuse it for the intended reason.
 */
import {
  COINBASE_MATURITY,
  MAX_BLOCK_BYTES,
  MAX_MESSAGE_BYTES,
  bitsToTarget,
  blockMerkle,
  blockSubsidy,
  createCoinbase,
  expectedBits,
  hashToHex,
  headerHash,
  medianTimePast,
  outpointKey,
  signTx,
  targetToBits,
  toHex,
  txid,
  type Block,
  type BlockEntry,
  type BlockHeader,
  type Coin,
  type NodeState,
  type OutPoint,
  type Tx,
  type WireMessage,
} from '../../core/index.js';
import type { AttackKind } from './attacks.js';
import { craftHostile } from './craft-hostile.js';

export interface CraftContext {
  state: NodeState;
  /** This tab's key (the attacker's). */
  secret: Uint8Array;
  pubkey: Uint8Array;
  /** Node clock, seconds. */
  now: number;
  randomBytes(n: number): Uint8Array;
  /** Find a nonce meeting the header's own bits. */
  solve(header: BlockHeader): Promise<BlockHeader>;
}

export interface Crafted {
  /** Messages to send to every peer, in order. */
  messages: WireMessage[];
  /** Raw data-channel frames (for attacks on the framing itself). */
  frames: Uint8Array[];
  /** Text data-channel messages (the protocol is binary). */
  texts: string[];
  /** An honest block the attack was built from and kept back (header poisoning). */
  withheld?: Block;
}

export class LabError extends Error {}

export interface FoundCoin {
  prevout: OutPoint;
  coin: Coin;
}

/** Unspent coinbase coins on the active chain, newest first, optionally mature / owned by `pubkey`. */
export async function findCoins(
  state: NodeState,
  opts: { mature: boolean; owner?: Uint8Array; notOwner?: Uint8Array },
): Promise<FoundCoin[]> {
  const chain = state.chain;
  const found: FoundCoin[] = [];
  const top = opts.mature ? chain.height - COINBASE_MATURITY + 1 : chain.height;
  for (let h = top; h >= 1 && found.length < 8; h--) {
    const block = await chain.getBlock(chain.entryAt(h)!.id);
    const coinbase = block?.txs[0];
    if (!coinbase) continue;
    const prevout = { txid: txid(coinbase), vout: 0 };
    const [coin] = await chain.getCoins([outpointKey(prevout)]);
    if (!coin) continue;
    const owner = toHex(coin.pubkey);
    if (opts.owner && owner !== toHex(opts.owner)) continue;
    if (opts.notOwner && owner === toHex(opts.notOwner)) continue;
    if (state.mempool.spenderOf(outpointKey(prevout))) continue;
    found.push({ prevout, coin });
  }
  return found;
}

export async function ownCoin(ctx: CraftContext): Promise<FoundCoin> {
  const [coin] = await findCoins(ctx.state, { mature: true, owner: ctx.pubkey });
  if (!coin) {
    throw new LabError(
      `this attack needs a mature coin of this tab: mine ${COINBASE_MATURITY + 1} blocks here first`,
    );
  }
  return coin;
}

export function payment(from: FoundCoin, to: Uint8Array, amount: bigint): Tx {
  return {
    version: 1,
    inputs: [{ prevout: from.prevout, script: new Uint8Array(), witness: new Uint8Array(64) }],
    outputs: [{ amount, pubkey: to }],
    lockTime: 0,
  };
}

export function sign(ctx: CraftContext, tx: Tx): Tx {
  return signTx(
    tx,
    ctx.state.params.genesisHash,
    () => ctx.secret,
    () => ctx.randomBytes(32),
  );
}

export interface BlockOptions {
  parent?: BlockEntry;
  txs?: Tx[];
  reward?: bigint;
  time?: number;
  bits?: number;
  merkleRoot?: Uint8Array;
  prevHash?: Uint8Array;
  /** Leave the proof of work unsolved (for high-hash and data that is refused before it). */
  solve?: boolean;
}

export async function craftBlock(ctx: CraftContext, opts: BlockOptions = {}): Promise<Block> {
  const parent = opts.parent ?? ctx.state.chain.tip;
  const height = parent.height + 1;
  const coinbase = createCoinbase({
    height,
    extraNonce: new DataView(ctx.randomBytes(4).buffer).getUint32(0),
    outputs: [
      { amount: opts.reward ?? blockSubsidy(height, ctx.state.params), pubkey: ctx.pubkey },
    ],
  });
  const txs = [coinbase, ...(opts.txs ?? [])];
  const header: BlockHeader = {
    version: 1,
    prevHash: opts.prevHash ?? headerHash(parent.header),
    merkleRoot: opts.merkleRoot ?? blockMerkle(txs).root,
    time: opts.time ?? Math.max(ctx.now, medianTimePast(parent) + 1),
    bits: opts.bits ?? expectedBits(parent, ctx.state.params),
    nonce: 0,
  };
  return { header: opts.solve === false ? header : await ctx.solve(header), txs };
}

/** A header that fails its own target: try nonces until one hashes above it. */
async function unsolved(ctx: CraftContext): Promise<Block> {
  const { checkProofOfWork, encodeHeader } = await import('../../core/index.js');
  const base = await craftBlock(ctx, { solve: false });
  for (let nonce = 0; ; nonce++) {
    const header = { ...base.header, nonce };
    if (!checkProofOfWork(encodeHeader(header))) return { ...base, header };
  }
}

const send = (...messages: WireMessage[]): Crafted => ({ messages, frames: [], texts: [] });

export async function craftAttack(kind: AttackKind, ctx: CraftContext): Promise<Crafted> {
  const chain = ctx.state.chain;
  switch (kind) {
    case 'bad-signature': {
      const [theirs] = await findCoins(ctx.state, { mature: true, notOwner: ctx.pubkey });
      const target = theirs ?? (await ownCoin(ctx));
      const tx = sign(ctx, payment(target, ctx.pubkey, target.coin.amount - 1000n));
      // Spending our own coin still needs a wrong signature: flip a bit of it.
      const forged = theirs
        ? tx
        : { ...tx, inputs: [{ ...tx.inputs[0]!, witness: flip(tx.inputs[0]!.witness) }] };
      return send({ type: 'tx', tx: forged });
    }
    case 'bad-pow':
      return send({ type: 'block', block: await unsolved(ctx) });
    case 'wrong-prev-hash':
      return send({
        type: 'block',
        block: await craftBlock(ctx, { prevHash: ctx.randomBytes(32) }),
      });
    case 'history-rewrite': {
      const middle = chain.entryAt(Math.max(1, chain.height - 2));
      const original = middle && (await chain.getBlock(middle.id));
      if (!original) throw new LabError('the chain is too short: mine a few blocks first');
      const victim = original.txs[original.txs.length - 1]!;
      const rewritten: Tx = {
        ...victim,
        outputs: victim.outputs.map((o, i) =>
          i === 0 ? { ...o, pubkey: ctx.pubkey, amount: o.amount + 1n } : o,
        ),
      };
      return send({
        type: 'block',
        block: { header: original.header, txs: [...original.txs.slice(0, -1), rewritten] },
      });
    }
    case 'double-spend-block': {
      const coin = await ownCoin(ctx);
      const a = sign(ctx, payment(coin, ctx.pubkey, coin.coin.amount - 1000n));
      const b = sign(ctx, payment(coin, ctx.pubkey, coin.coin.amount - 2000n));
      return send({ type: 'block', block: await craftBlock(ctx, { txs: [a, b] }) });
    }
    case 'double-spend-chain': {
      const coin = await ownCoin(ctx);
      const first = await craftBlock(ctx, {
        txs: [sign(ctx, payment(coin, ctx.pubkey, coin.coin.amount - 1000n))],
      });
      const firstEntry: BlockEntry = {
        ...chain.tip,
        id: hashToHex(headerHash(first.header)),
        header: first.header,
        height: chain.height + 1,
        parent: chain.tip,
      };
      const again = sign(ctx, payment(coin, ctx.pubkey, coin.coin.amount - 2000n));
      const second = await craftBlock(ctx, { parent: firstEntry, txs: [again] });
      return send({ type: 'block', block: first }, { type: 'block', block: second });
    }
    case 'overspend': {
      const [coin] = await findCoins(ctx.state, { mature: true });
      if (!coin) throw new LabError('no mature coin on the chain yet: mine more blocks first');
      return send({ type: 'tx', tx: sign(ctx, payment(coin, ctx.pubkey, coin.coin.amount + 1n)) });
    }
    case 'inflated-coinbase':
      return send({
        type: 'block',
        block: await craftBlock(ctx, {
          reward: blockSubsidy(chain.height + 1, ctx.state.params) * 100n,
        }),
      });
    case 'premature-coinbase': {
      const [young] = await findCoins(ctx.state, { mature: false });
      if (!young || chain.height - young.coin.height + 1 >= COINBASE_MATURITY) {
        throw new LabError('no young block reward on the chain: mine a block first');
      }
      return send({
        type: 'tx',
        tx: sign(ctx, payment(young, ctx.pubkey, young.coin.amount - 1000n)),
      });
    }
    case 'future-timestamp':
      return send({ type: 'block', block: await craftBlock(ctx, { time: ctx.now + 2 * 60 * 60 }) });
    case 'bad-bits': {
      const right = bitsToTarget(expectedBits(chain.tip, ctx.state.params));
      const easier = right * 2n;
      const bits = targetToBits(easier <= ctx.state.params.powLimit ? easier : right / 2n);
      return send({ type: 'block', block: await craftBlock(ctx, { bits }) });
    }
    case 'bad-merkle-root':
      return send({
        type: 'block',
        block: await craftBlock(ctx, { merkleRoot: ctx.randomBytes(32) }),
      });
    case 'oversize-block': {
      const outputs = Math.ceil((MAX_BLOCK_BYTES + 200) / 40);
      const fat: Tx = {
        version: 1,
        inputs: [
          {
            prevout: { txid: ctx.randomBytes(32), vout: 0 },
            script: new Uint8Array(),
            witness: new Uint8Array(64),
          },
        ],
        outputs: Array.from({ length: outputs }, () => ({ amount: 1n, pubkey: ctx.pubkey })),
        lockTime: 0,
      };
      return send({ type: 'block', block: await craftBlock(ctx, { txs: [fat], solve: false }) });
    }
    case 'malformed-message':
      return { messages: [], frames: [Uint8Array.of(0, 0xee, 1, 2, 3)], texts: [] };
    case 'oversized-message': {
      const frame = new Uint8Array(5 + 16);
      frame[0] = 1; // first chunk of a message…
      new DataView(frame.buffer).setUint32(1, MAX_MESSAGE_BYTES + 1, true); // …too large to allow
      return { messages: [], frames: [frame], texts: [] };
    }
    case 'flood':
      return send(
        ...Array.from({ length: 20_000 }, (_, i) => ({ type: 'ping' as const, nonce: BigInt(i) })),
      );
    case 'header-poisoning':
    case 'getdata-flood':
    case 'old-fork-invalid':
    case 'zero-fee-spam':
    case 'future-time-griefing':
    case 'text-frame':
      return craftHostile(kind, ctx);
    case 'rejoin-new-ids':
      throw new RangeError('rejoin-new-ids is run by the lab itself, not crafted');
  }
}

function flip(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[0]! ^= 1;
  return copy;
}
