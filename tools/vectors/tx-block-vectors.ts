/**
 * Vectors for transactions and blocks: coinbases, signed transfers with their sighash per
 * input (step by step for one), invalid encodings and sanity failures, headers (Tabcoin and a
 * real Bitcoin one), merkle trees, a 12-block regtest chain with a payment, and blocks refused
 * on their own or on top of that chain, each with the reason the code gives.
 */
import {
  COIN,
  MAX_MONEY,
  REGTEST,
  MAIN,
  SIGHASH_TAG,
  checkBlockSanity,
  checkProofOfWork,
  checkTxSanity,
  computeMerkleRoot,
  concatBytes,
  decodeTx,
  encodeBlock,
  encodeHeader,
  encodeTx,
  encodeTxNoWitness,
  fromHex,
  hashToHex,
  isCoinbase,
  MemoryStore,
  NodeState,
  headerHash,
  headerId,
  sha256,
  sighash,
  toHex,
  txid,
  txidHex,
  txSize,
  workFromBits,
  wtxid,
  type Block,
  type BlockHeader,
  type ChainParams,
  type Tx,
  type TxOut,
} from '../../core/index.js';
import { KEYS, auxFor } from './fixtures.js';
import {
  CHAIN_NOW,
  G,
  block,
  chain,
  coinbase,
  key1,
  key2,
  key3,
  label,
  mine,
  sign,
  spend,
} from './chain-fixture.js';

import { headerJson, txJson, type Json } from './to-json.js';

function validTx(name: string, tx: Tx, network: string, spent?: TxOut[]): Json {
  const fee = spent
    ? spent.reduce((sum, o) => sum + o.amount, 0n) -
      tx.outputs.reduce((sum, o) => sum + o.amount, 0n)
    : undefined;
  return {
    name,
    network,
    fields: txJson(tx),
    hex: toHex(encodeTx(tx)),
    hexNoWitness: toHex(encodeTxNoWitness(tx)),
    txid: txidHex(tx),
    wtxid: hashToHex(wtxid(tx)),
    size: txSize(tx),
    ...(isCoinbase(tx) ? { coinbase: true } : {}),
    ...(spent
      ? {
          spent: spent.map((o) => ({ amount: o.amount.toString(), pubkey: toHex(o.pubkey) })),
          fee: fee!.toString(),
          sighash: {
            main: tx.inputs.map(() => toHex(sighash(tx, MAIN.genesisHash))),
            regtest: tx.inputs.map(() => toHex(sighash(tx, REGTEST.genesisHash))),
          },
          aux: tx.inputs.map((_, i) => toHex(auxFor(name, i))),
        }
      : {}),
  };
}

function invalidTx(name: string, hex: string): Json {
  const decoded = decodeTx(fromHex(hex));
  if (!decoded.ok) return { name, hex, stage: 'decode', reason: decoded.reason };
  const sane = checkTxSanity(decoded.value);
  if (sane.ok) throw new Error(`invalid tx vector ${name} passes sanity`);
  return { name, hex, stage: 'sanity', reason: sane.reason };
}

export function transactionVectors(): Json {
  const { transfer, coinbases, subsidy } = chain;
  const prev = (n: number) => ({ txid: label(`tabcoin vector prevout ${n}`), vout: n });
  const mainTransfer = sign(
    'transfer-main',
    {
      version: 1,
      inputs: [prev(1), prev(2)].map((prevout) => ({
        prevout,
        script: new Uint8Array(),
        witness: new Uint8Array(),
      })),
      outputs: [{ amount: 3n * COIN, pubkey: key1.pubkey }],
      lockTime: 0,
    },
    MAIN,
    [key2.secret, key3.secret],
  );
  const tagged = coinbase(253, [{ amount: subsidy, pubkey: key3.pubkey }], 'vector tag');
  const th = toHex(encodeTx(transfer));
  const unsigned = {
    ...transfer,
    inputs: transfer.inputs.map((i) => ({ ...i, witness: new Uint8Array() })),
  };
  const withWitness = (w: Uint8Array) => ({
    ...transfer,
    inputs: [{ ...transfer.inputs[0]!, witness: w }],
  });
  const out = transfer.outputs[0]!;
  const big = (amount: bigint): TxOut => ({ amount, pubkey: out.pubkey });
  const nullPrev = { txid: new Uint8Array(32), vout: 0xffffffff };
  const tagHash = sha256(new TextEncoder().encode(SIGHASH_TAG));
  const preimage = concatBytes(tagHash, tagHash, REGTEST.genesisHash, encodeTxNoWitness(transfer));
  return {
    description:
      'Transactions. fields: prevTxid in internal byte order; txid and wtxid in display ' +
      'order. sighash: per input, the message its signature signs on each network; aux: the ' +
      'BIP340 auxiliary randomness used to sign. spent: the coins the inputs spend; fee: ' +
      'their sum minus the outputs. invalid: ' +
      'stage decode = the bytes do not decode (reason); stage sanity = they decode but ' +
      'checkTxSanity refuses them (reason).',
    keys: KEYS.map((k) => ({ name: k.name, secret: toHex(k.secret), pubkey: toHex(k.pubkey) })),
    valid: [
      validTx('coinbase height 1 (regtest block 1)', coinbases[0]!, 'regtest'),
      validTx('coinbase height 253, tagged', tagged, 'regtest'),
      validTx('transfer-regtest', transfer, 'regtest', [coinbases[0]!.outputs[0]!]),
      validTx('transfer-main', mainTransfer, 'main', [
        { amount: 2n * COIN, pubkey: key2.pubkey },
        { amount: 2n * COIN, pubkey: key3.pubkey },
      ]),
    ],
    sighashSteps: {
      tx: 'transfer-regtest',
      tag: SIGHASH_TAG,
      tagHash: toHex(tagHash),
      genesisHash: toHex(REGTEST.genesisHash),
      txNoWitness: toHex(encodeTxNoWitness(transfer)),
      preimage: toHex(preimage),
      sighash: toHex(sha256(preimage)),
      signature: toHex(transfer.inputs[0]!.witness),
      pubkey: toHex(key1.pubkey),
    },
    invalid: [
      invalidTx('truncated (last byte missing)', th.slice(0, -2)),
      invalidTx('trailing byte', th + '00'),
      invalidTx('input count not in shortest form', th.slice(0, 8) + 'fd0100' + th.slice(10)),
      invalidTx('65-byte witness', toHex(encodeTx(withWitness(new Uint8Array(65))))),
      invalidTx(
        '101-byte input script',
        toHex(
          encodeTx({
            ...coinbases[0]!,
            inputs: [{ ...coinbases[0]!.inputs[0]!, script: new Uint8Array(101) }],
          }),
        ),
      ),
      invalidTx('no inputs', toHex(encodeTx({ ...transfer, inputs: [] }))),
      invalidTx('no outputs', toHex(encodeTx({ ...transfer, outputs: [] }))),
      invalidTx(
        'output over MAX_MONEY',
        toHex(encodeTx({ ...transfer, outputs: [big(MAX_MONEY + 1n)] })),
      ),
      invalidTx(
        'outputs sum over MAX_MONEY',
        toHex(encodeTx({ ...transfer, outputs: [big(MAX_MONEY), big(1n)] })),
      ),
      invalidTx(
        'same outpoint twice',
        toHex(encodeTx({ ...transfer, inputs: [transfer.inputs[0]!, transfer.inputs[0]!] })),
      ),
      invalidTx(
        'coinbase script of 1 byte',
        toHex(
          encodeTx({
            ...coinbases[0]!,
            inputs: [{ ...coinbases[0]!.inputs[0]!, script: new Uint8Array(1) }],
          }),
        ),
      ),
      invalidTx(
        'coinbase with a witness',
        toHex(
          encodeTx({
            ...coinbases[0]!,
            inputs: [{ ...coinbases[0]!.inputs[0]!, witness: new Uint8Array(64) }],
          }),
        ),
      ),
      invalidTx(
        'null outpoint in a 2-input transaction',
        toHex(
          encodeTx({
            ...transfer,
            inputs: [
              transfer.inputs[0]!,
              { prevout: nullPrev, script: new Uint8Array(), witness: new Uint8Array(64) },
            ],
          }),
        ),
      ),
      invalidTx(
        'script in an ordinary input',
        toHex(
          encodeTx({
            ...transfer,
            inputs: [{ ...transfer.inputs[0]!, script: new Uint8Array([1]) }],
          }),
        ),
      ),
      invalidTx('unsigned input', toHex(encodeTx(unsigned))),
      invalidTx('63-byte witness', toHex(encodeTx(withWitness(new Uint8Array(63))))),
    ],
  };
}

function headerVector(name: string, header: BlockHeader): Json {
  return {
    name,
    fields: headerJson(header),
    hex: toHex(encodeHeader(header)),
    hash: toHex(headerHash(header)),
    id: headerId(header),
    powValid: checkProofOfWork(encodeHeader(header)),
  };
}

/** Bitcoin's block 0 header: the layout is Bitcoin's, so it hashes and meets its bits here. */
const BITCOIN_GENESIS: BlockHeader = {
  version: 1,
  prevHash: new Uint8Array(32),
  merkleRoot: fromHex('3ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a'),
  time: 1231006505,
  bits: 0x1d00ffff,
  nonce: 2083236893,
};

function merkleVector(name: string, leaves: Uint8Array[]): Json {
  const result = computeMerkleRoot(leaves);
  return { name, leaves: leaves.map(toHex), root: toHex(result.root), mutated: result.mutated };
}

function sanityInvalid(name: string, b: Block): Json {
  const check = checkBlockSanity(b, REGTEST);
  if (check.ok) throw new Error(`invalid block vector ${name} passes sanity`);
  return { name, hex: toHex(encodeBlock(b)), reason: check.reason };
}

/** The reason each block is refused on top of the chain, processed by a fresh regtest node. */
async function refusalsOnChain(blocks: readonly Block[], refused: readonly Block[]) {
  const node = await NodeState.open(REGTEST, new MemoryStore());
  for (const b of blocks) {
    const result = await node.processBlock(b, CHAIN_NOW);
    if (!result.ok) throw new Error(`chain block refused: ${result.reason}`);
  }
  const reasons: string[] = [];
  for (const b of refused) {
    const result = await node.processBlock(b, CHAIN_NOW);
    if (result.ok) throw new Error(`block ${headerId(b.header)} is accepted on the chain`);
    reasons.push(result.reason);
  }
  return reasons;
}

export async function blockVectors(): Promise<Json> {
  const { blocks, coinbases, transfer, subsidy } = chain;
  const tip = blocks[11]!.header;
  const leaves = [1, 2, 3, 4, 5].map((n) => label(`tabcoin vector leaf ${n}`));
  const cb13 = (amount = subsidy, height = 13) =>
    coinbase(height, [{ amount, pubkey: key1.pubkey }]);
  const pay = (
    from: number,
    params: ChainParams,
    name: string,
    amount = subsidy - 1000n,
    lockTime = 0,
  ) =>
    sign(
      name,
      {
        ...spend({ txid: txid(coinbases[from - 1]!), vout: 0 }, [{ amount, pubkey: key2.pubkey }]),
        lockTime,
      },
      params,
      [key1.secret],
    );
  const contextual: [string, Block][] = [
    ['coinbase commits to height 14 at height 13', block(tip, [cb13(subsidy, 14)])],
    ['coinbase claims subsidy + 1 with no fees', block(tip, [cb13(subsidy + 1n)])],
    [
      'spends the coinbase of block 4 at height 13 (matures at 14)',
      block(tip, [cb13(), pay(4, REGTEST, 'premature')]),
    ],
    [
      'spends the coinbase of block 1 again (spent in block 12)',
      block(tip, [cb13(), pay(1, REGTEST, 'double')]),
    ],
    [
      'payment signed for main in a regtest block',
      block(tip, [cb13(), pay(2, MAIN, 'wrong-network')]),
    ],
    ['time equal to the median time past', block(tip, [cb13()], { time: G.time + 70 })],
    ['time more than 120 s ahead of the clock', block(tip, [cb13()], { time: CHAIN_NOW + 121 })],
    ['bits other than the retarget rule gives', block(tip, [cb13()], { bits: 0x1f7fffff })],
    ['header version 0', block(tip, [cb13()], { version: 0 })],
    [
      'payment of more than the coin it spends',
      block(tip, [cb13(), pay(2, REGTEST, 'overpay', subsidy + 1n)]),
    ],
    [
      'payment locked until height 14, at height 13',
      block(tip, [cb13(), pay(2, REGTEST, 'locked', subsidy - 1000n, 14)]),
    ],
  ];
  const reasons = await refusalsOnChain(
    blocks,
    contextual.map(([, b]) => b),
  );
  const b1 = blocks[0]!;
  const cb1 = coinbases[0]!;
  return {
    description:
      'Blocks (regtest). headers: 80-byte headers with hash (internal order) and id (display). ' +
      'merkle: leaves and root in internal byte order (double SHA-256 of each pair; the last ' +
      'hash of an odd level is paired with itself; mutated = two identical siblings). chain: ' +
      'a valid regtest chain after genesis, validated at clock chainNow; chainWork includes ' +
      "the genesis block's work. invalid: refused by checkBlockSanity alone. invalidOnChain: " +
      'refused when processed on top of the chain (parent = block 12) at chainNow.',
    headers: [
      headerVector('regtest genesis', REGTEST.genesis.header),
      headerVector('main genesis', MAIN.genesis.header),
      headerVector('regtest block 1', b1.header),
      headerVector('Bitcoin block 0', BITCOIN_GENESIS),
      headerVector(
        'regtest block 1 with a nonce that fails its target',
        mine({ ...b1.header }, false),
      ),
    ],
    merkle: [
      merkleVector('one leaf: the root is the leaf', leaves.slice(0, 1)),
      merkleVector('two leaves', leaves.slice(0, 2)),
      merkleVector('three leaves: the third is paired with itself', leaves.slice(0, 3)),
      merkleVector('five leaves', leaves),
      merkleVector('four leaves, last two equal: same root as three, mutated', [
        ...leaves.slice(0, 3),
        leaves[2]!,
      ]),
    ],
    chainNow: CHAIN_NOW,
    chain: blocks.map((b, i) => ({
      height: i + 1,
      hex: toHex(encodeBlock(b)),
      id: headerId(b.header),
      merkleRoot: toHex(b.header.merkleRoot),
      txids: b.txs.map(txidHex),
      wtxids: b.txs.map((tx) => hashToHex(wtxid(tx))),
      chainWork: (workFromBits(G.bits) * BigInt(i + 2)).toString(),
    })),
    invalid: [
      sanityInvalid('proof of work fails', { ...b1, header: mine({ ...b1.header }, false) }),
      sanityInvalid('bits easier than powLimit', block(G, [cb1], { bits: 0x2100ffff })),
      sanityInvalid('no transactions', block(G, [])),
      sanityInvalid('first transaction is not a coinbase', block(G, [transfer])),
      sanityInvalid('two coinbases', block(G, [cb1, coinbases[1]!])),
      sanityInvalid(
        'same transaction twice (mutated merkle tree)',
        block(G, [cb1, transfer, transfer]),
      ),
      sanityInvalid('merkle root does not match', {
        ...b1,
        header: mine({ ...b1.header, merkleRoot: new Uint8Array(32) }),
      }),
      sanityInvalid(
        'coinbase script of 1 byte',
        block(G, [{ ...cb1, inputs: [{ ...cb1.inputs[0]!, script: new Uint8Array(1) }] }]),
      ),
    ],
    invalidOnChain: contextual.map(([name, b], i) => ({
      name,
      hex: toHex(encodeBlock(b)),
      reason: reasons[i]!,
    })),
  };
}
