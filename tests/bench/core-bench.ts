/**
 * Consensus benchmarks (figures, not pass/fail): signature checks inside block validation vs
 * raw @noble/curves verifies in the same run, connecting a 2,000-transaction block, and a
 * 10-block reorg. Run with `npm run bench`.
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import {
  SignatureCache,
  connectBlockTxs,
  externalSpends,
  headerId,
  sighash,
  type Block,
  type BlockEntry,
  type Coin,
  type NodeState,
  type Tx,
} from '../../core/index.js';
import { MapCoinView } from '../../core/consensus/utxo.js';
import {
  NOW,
  alice,
  bob,
  buildBlock,
  nodeWithCoins,
  outputOf,
  params,
  pay,
  testKey,
  type TestKey,
} from '../helpers/regtest.js';

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function spendEach(fanout: Tx, from: number, count: number, to: TestKey): Tx[] {
  return Array.from({ length: count }, (_, i) =>
    pay(alice, [outputOf(fanout, from + i)], [{ amount: 100_000_000n - 200n, pubkey: to.pubkey }]),
  );
}

async function coinViewFor(node: NodeState, block: Block): Promise<MapCoinView> {
  const keys = externalSpends(block);
  const coins = await node.chain.getCoins(keys);
  const view = new MapCoinView();
  keys.forEach((k, i) => view.coins.set(k, coins[i] as Coin));
  return view;
}

export async function benchSignatures(txCount = 400, rounds = 3): Promise<void> {
  const { node, fanout } = await nodeWithCoins(txCount);
  const block = buildBlock(node.chain.tip, { txs: spendEach(fanout, 0, txCount, bob) });
  const view = await coinViewFor(node, block);
  const triples = block.txs.slice(1).map((tx) => ({
    sig: tx.inputs[0]!.witness,
    msg: sighash(tx, params.genesisHash),
    pub: alice.pubkey,
  }));
  let bestValidation = Infinity;
  let bestRaw = Infinity;
  for (let round = 0; round < rounds; round++) {
    let start = process.hrtime.bigint();
    for (const t of triples)
      if (!schnorr.verify(t.sig, t.msg, t.pub)) throw new Error('bad vector');
    bestRaw = Math.min(bestRaw, seconds(start));
    start = process.hrtime.bigint();
    const result = connectBlockTxs(
      block,
      node.chain.height + 1,
      view,
      params,
      new SignatureCache(),
    );
    bestValidation = Math.min(bestValidation, seconds(start));
    if (!result.ok) throw new Error(`bench block refused: ${result.reason}`);
  }
  const raw = triples.length / bestRaw;
  const inBlock = triples.length / bestValidation;
  console.log(`signature checks: ${triples.length} per block, best of ${rounds}`);
  console.log(`  raw @noble/curves schnorr.verify   ${raw.toFixed(0)} /s`);
  console.log(`  inside block validation (uncached) ${inBlock.toFixed(0)} /s`);
  console.log(`  ratio ${(inBlock / raw).toFixed(3)} (target >= 0.9)`);
}

export async function benchConnect(txCount = 2000): Promise<void> {
  const { node, fanout } = await nodeWithCoins(txCount);
  const txs = spendEach(fanout, 0, txCount, bob);
  const block = buildBlock(node.chain.tip, { txs });
  let start = process.hrtime.bigint();
  const result = await node.processBlock(block, NOW);
  const cold = seconds(start);
  if (!result.ok || result.status !== 'active') throw new Error('2,000-tx block did not connect');
  console.log(
    `connect a block of ${txCount} transactions (signatures not seen before): ${(cold * 1000).toFixed(0)} ms`,
  );

  // The usual case on a live network: the transactions were verified on mempool entry.
  const warm = await nodeWithCoins(txCount);
  const warmTxs = spendEach(warm.fanout, 0, txCount, bob);
  for (const tx of warmTxs) {
    const accepted = await warm.node.acceptTx(tx, NOW);
    if (!accepted.ok) throw new Error(`mempool refused: ${accepted.reason}`);
  }
  const warmBlock = buildBlock(warm.node.chain.tip, { txs: warmTxs });
  start = process.hrtime.bigint();
  const warmResult = await warm.node.processBlock(warmBlock, NOW);
  if (!warmResult.ok) throw new Error('warm block refused');
  console.log(
    `connect the same size block after its transactions passed the mempool (signature cache): ${(seconds(start) * 1000).toFixed(0)} ms`,
  );
}

export async function benchReorg(depth = 10, txsPerBlock = 20): Promise<void> {
  const { node, fanout } = await nodeWithCoins(2 * depth * txsPerBlock + txsPerBlock);
  const fork = node.chain.tip;
  const build = (start: number, blocks: number, tag: number): Block[] => {
    const out: Block[] = [];
    let parent: BlockEntry = fork;
    for (let i = 0; i < blocks; i++) {
      const txs = spendEach(fanout, start + i * txsPerBlock, txsPerBlock, testKey(10 + tag));
      const block = buildBlock(parent, { txs, extraNonce: tag });
      out.push(block);
      parent = {
        ...parent,
        id: headerId(block.header),
        header: block.header,
        height: parent.height + 1,
        parent,
      };
    }
    return out;
  };
  const a = build(0, depth, 1);
  const b = build(depth * txsPerBlock, depth + 1, 2);
  for (const block of a) await node.processBlock(block, NOW);
  // Headers-first, as the network delivers a competing branch: headers, then bodies.
  for (const block of b) await node.chain.acceptHeader(block.header, NOW);
  for (const block of b.slice(0, depth)) await node.processBlock(block, NOW);
  const start = process.hrtime.bigint();
  const result = await node.processBlock(b[depth]!, NOW);
  const elapsed = seconds(start);
  if (!result.ok || result.change.disconnected.length !== depth) {
    throw new Error(
      `reorg did not happen: ${JSON.stringify({ ok: result.ok, reason: result.ok ? '' : result.reason, msg: result.ok ? '' : result.message, d: result.change.disconnected.length, c: result.change.connected.length, inv: result.change.invalid })}`,
    );
  }
  console.log(
    `${depth}-block reorg (${txsPerBlock} txs per block; disconnect ${depth}, connect ${depth + 1}, ` +
      `${result.mempool.returned.length} txs back to the mempool): ${(elapsed * 1000).toFixed(0)} ms`,
  );
}
