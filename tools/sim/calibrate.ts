/**
 * `npm run sim:calibrate`: measure what validation costs on the real code, for the simulator's
 * `MEASURED_COSTS` (costs.ts) and docs/scale.md. On a real `NodeState` over a `MemoryStore`:
 *
 * - sigMs: one `verifySignature` (BIP340, @noble/curves) of a fresh signature;
 * - mempoolTxMs: `acceptTx` of a 2-input payment whose signatures are already cached;
 * - blockMs: `processBlock` of a block holding only its coinbase (header, merkle, store write);
 * - blockTxMs: (`processBlock` of a block of 200 such payments, signatures cached, − blockMs)
 *   / 200;
 * - shortIdMs: `PartialBlock.start` rebuilding that block's compact form from a mempool of its
 *   200 payments, / 200 (one short id per candidate).
 *
 * Each figure is the median of `--rounds` rounds (default 5), timed in CPU time of this process
 * (`process.cpuUsage`), so other work on the machine counts little; the simulator itself never
 * reads a clock.
 */
import {
  NodeState,
  PartialBlock,
  REGTEST,
  compactBlockOf,
  outpointKey,
  sighash,
  verifySignature,
  type Tx,
} from '../../core/index.js';
import { solveHeader } from './miner.js';
import { Prng } from './prng.js';
import { WALLETS, buildPreChain, copyStore, payment, type WalletCoin } from './wallets.js';
import type { ValidationCosts } from './costs.js';

const TXS = 200;
const params = REGTEST;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** CPU time of this process, ms (user + system): other work on the machine does not count. */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const ms = (start: number): number => cpuNow() - start;

async function round(seed: number): Promise<ValidationCosts> {
  const random = new Prng(seed);
  const start = params.genesis.header.time + 60;
  const pre = await buildPreChain(params, 2 * TXS, start, random);
  const state = await NodeState.open(params, copyStore(pre.store));
  const coins = [...pre.coins];
  const txs: Tx[] = [];
  for (let i = 0; i < TXS; i++) {
    const inputs: WalletCoin[] = [coins.pop()!, coins.pop()!];
    const owners = [random.int(WALLETS), random.int(WALLETS)];
    const tx = payment(inputs, owners, 2n, pre.wallets, random, params.genesisHash);
    txs.push(tx);
  }
  const pubkeyOf = new Map(pre.coins.map((c) => [c.key, pre.wallets[c.owner]!.pubkey]));
  const checks = txs.flatMap((tx) => {
    const message = sighash(tx, params.genesisHash);
    return tx.inputs.map((input) => ({
      signature: input.witness,
      message,
      key: pubkeyOf.get(outpointKey(input.prevout))!,
    }));
  });
  let t = cpuNow();
  for (const c of checks)
    if (!verifySignature(c.signature, c.message, c.key)) throw new Error('bad sig');
  const sigMs = ms(t) / checks.length;
  for (const c of checks) state.chain.sigCache.verify(c.signature, c.message, c.key);
  let now = start + 1000;
  t = cpuNow();
  for (const tx of txs) {
    const accepted = await state.acceptTx(tx, now);
    if (!accepted.ok) throw new Error(`refused: ${accepted.reason}`);
  }
  const mempoolTxMs = ms(t) / txs.length;
  const mine = async (): Promise<number> => {
    const { block } = await state.template(pre.wallets[0]!.pubkey, ++now);
    const solved = { ...block, header: solveHeader(block.header) };
    const began = cpuNow();
    const result = await state.processBlock(solved, now);
    const took = ms(began);
    if (!result.ok || result.change.connected.length !== 1) throw new Error('block refused');
    return took;
  };
  const template = await state.template(pre.wallets[0]!.pubkey, now + 1);
  const compact = compactBlockOf(template.block, 7n);
  const candidates = state.mempool.entries().map((e) => e.tx);
  PartialBlock.start(compact, candidates); // wtxids cached, as for a mempool's transactions
  t = cpuNow();
  const rebuilt = PartialBlock.start(compact, candidates).result;
  const shortIdMs = ms(t) / candidates.length;
  if (!rebuilt.ok || !rebuilt.block) throw new Error('compact block not rebuilt');
  const full = await mine();
  const empties: number[] = [];
  for (let i = 0; i < 9; i++) empties.push(await mine());
  const empty = median(empties);
  const blockTxMs = Math.max(0, full - empty) / TXS;
  return { blockMs: empty, blockTxMs, mempoolTxMs, sigMs, shortIdMs };
}

const rounds = option('--rounds', 5);
const results: ValidationCosts[] = [];
for (let i = 0; i < rounds; i++) results.push(await round(i + 1));
const pick = (key: keyof ValidationCosts) =>
  Math.round(median(results.map((r) => r[key])) * 10_000) / 10_000;
const costs: ValidationCosts = {
  blockMs: pick('blockMs'),
  blockTxMs: pick('blockTxMs'),
  mempoolTxMs: pick('mempoolTxMs'),
  sigMs: pick('sigMs'),
  shortIdMs: pick('shortIdMs'),
};
console.log(
  `validation costs, median of ${rounds} rounds (Node ${process.versions.node}, ${process.arch}):`,
);
console.log(JSON.stringify(costs));
