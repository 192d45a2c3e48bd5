/**
 * Block validation in stages, cheapest first: `checkBlockMatchesHeader` (proof of work, then
 * does the body belong to the header: merkle root, mutation), `checkBlockBody` (the body alone),
 * `checkHeaderContext` (the header against its parent: difficulty, time) and
 * `checkBlockContext` (the body against its height). Spending checks happen when the block
 * connects (see connect.ts). Only a body that matches its header can condemn it.
 */
import {
  blockMerkle,
  blockSize,
  encodeHeader,
  type Block,
  type BlockHeader,
} from '../primitives/block.js';
import { equalBytes } from '../primitives/bytes.js';
import { coinbaseHeight } from '../primitives/coinbase.js';
import { MAX_BLOCK_BYTES } from '../primitives/constants.js';
import { bitsToTarget } from './difficulty.js';
import type { ChainParams } from './params.js';
import { checkProofOfWork } from './pow.js';
import { OK, reject, type Check, type Rejection } from '../primitives/result.js';
import { checkTxSanity, isFinalTx } from './tx-checks.js';
import { isCoinbase, txidHex } from '../primitives/tx.js';

/** Proof of work and the network's easiest target: everything a lone header can be checked for. */
export function checkHeaderSanity(header: BlockHeader, params: ChainParams): Check {
  const target = bitsToTarget(header.bits);
  if (target === 0n || target > params.powLimit) {
    return reject('bad-diffbits', `bits 0x${header.bits.toString(16)} outside the network's range`);
  }
  if (!checkProofOfWork(encodeHeader(header))) {
    return reject('high-hash', 'proof of work does not meet the target in bits');
  }
  return OK;
}

function txReject(index: number, rejection: Rejection): Rejection {
  return { ...rejection, message: `tx ${index}: ${rejection.message}` };
}

/**
 * Does this body belong to this header? Proof of work first (a header that costs nothing is
 * not worth hashing a body for), then the merkle root of the wtxids and CVE-2012-2459 mutation
 * (two identical siblings: another list of transactions has the same root). A failure here says
 * nothing about the header: the sender forged or garbled the body, and the header may still
 * have an honest body elsewhere, so the caller must not mark it invalid.
 */
export function checkBlockMatchesHeader(block: Block, params: ChainParams): Check {
  const header = checkHeaderSanity(block.header, params);
  if (!header.ok) return header;
  const merkle = blockMerkle(block.txs);
  if (merkle.mutated)
    return reject('bad-txns-duplicate', 'merkle tree mutated (duplicate transactions)');
  if (!equalBytes(merkle.root, block.header.merkleRoot)) {
    return reject('bad-merkle-root', 'merkle root does not match the transactions');
  }
  return OK;
}

/**
 * Context-free checks of a body already known to match its header (`checkBlockMatchesHeader`):
 * a failure here condemns the header itself, since no other body can carry its merkle root.
 */
export function checkBlockBody(block: Block): Check {
  if (block.txs.length === 0) return reject('bad-blk-length', 'block has no transactions');
  const size = blockSize(block);
  if (size > MAX_BLOCK_BYTES)
    return reject('bad-blk-length', `block is ${size} bytes, limit ${MAX_BLOCK_BYTES}`);
  if (!isCoinbase(block.txs[0]!))
    return reject('bad-cb-missing', 'first transaction is not a coinbase');
  for (let i = 1; i < block.txs.length; i++) {
    if (isCoinbase(block.txs[i]!)) return reject('bad-cb-multiple', `tx ${i} is a second coinbase`);
  }
  for (const [i, tx] of block.txs.entries()) {
    const sane = checkTxSanity(tx);
    if (!sane.ok) return txReject(i, sane);
  }
  // Same txid, different witnesses: distinct wtxids, so the merkle root does not catch it.
  const ids = new Set<string>();
  for (const tx of block.txs) {
    const id = txidHex(tx);
    if (ids.has(id)) return reject('bad-txns-duplicate', `transaction ${id} appears twice`);
    ids.add(id);
  }
  return OK;
}

/** Every context-free check, in the order above: does the body match, then is it valid. */
export function checkBlockSanity(block: Block, params: ChainParams): Check {
  const matches = checkBlockMatchesHeader(block, params);
  return matches.ok ? checkBlockBody(block) : matches;
}

export interface HeaderContext {
  /** Bits the retarget rule requires for this block. */
  expectedBits: number;
  /** Median time of the previous MEDIAN_TIME_SPAN blocks. */
  medianTimePast: number;
  /** The validating node's clock, in seconds (core reads no clock). */
  now: number;
  /** How far (seconds) a block's time may lead `now`: the network's future-time limit. */
  maxFutureBlockTime: number;
}

export function checkHeaderContext(header: BlockHeader, ctx: HeaderContext): Check {
  if (header.version < 1)
    return reject('bad-version', `block version ${header.version} is obsolete`);
  if (header.bits !== ctx.expectedBits) {
    return reject(
      'bad-diffbits',
      `bits 0x${header.bits.toString(16)}, the retarget requires 0x${ctx.expectedBits.toString(16)}`,
    );
  }
  if (header.time <= ctx.medianTimePast) {
    return reject(
      'time-too-old',
      `time ${header.time} is not after median time past ${ctx.medianTimePast}`,
    );
  }
  if (header.time > ctx.now + ctx.maxFutureBlockTime) {
    return reject(
      'time-too-new',
      `time ${header.time} is more than ${ctx.maxFutureBlockTime} s ahead of local time ${ctx.now}`,
      'time-future',
    );
  }
  return OK;
}

/** The body against its height: BIP34 coinbase height and transaction finality. */
export function checkBlockContext(block: Block, height: number, medianTimePast: number): Check {
  const coinbase = block.txs[0]!;
  if (coinbaseHeight(coinbase) !== height) {
    return reject('bad-cb-height', `coinbase does not commit to height ${height}`);
  }
  for (const [i, tx] of block.txs.entries()) {
    if (!isFinalTx(tx, height, medianTimePast)) {
      return reject('bad-txns-nonfinal', `tx ${i} is locked until ${tx.lockTime}`);
    }
  }
  return OK;
}
