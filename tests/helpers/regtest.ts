/**
 * Test fixtures on regtest: deterministic keys, a header miner (regtest targets need ~2
 * tries), and builders for blocks on any parent and signed payments.
 */
import {
  blockMerkle,
  COINBASE_MATURITY,
  checkProofOfWork,
  createCoinbase,
  encodeHeader,
  headerHash,
  headerId,
  MemoryStore,
  NodeState,
  outpointKey,
  publicKeyOf,
  REGTEST,
  sha256,
  signTx,
  blockSubsidy,
  txid,
  type Block,
  type BlockEntry,
  type BlockHeader,
  type Coin,
  type Tx,
  type TxOut,
} from '../../core/index.js';

export const params = REGTEST;
/** A fixed "now" well after genesis, so block times never look future or past. */
export const NOW = params.genesis.header.time + 1_000_000;

export interface TestKey {
  secret: Uint8Array;
  pubkey: Uint8Array;
}

export function testKey(seed: number): TestKey {
  const secret = sha256(new TextEncoder().encode(`tabcoin test key ${seed}`));
  return { secret, pubkey: publicKeyOf(secret) };
}

/** Smallest nonce that meets the header's own target. */
export function mineHeader(header: BlockHeader): BlockHeader {
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    const candidate = { ...header, nonce };
    if (checkProofOfWork(encodeHeader(candidate))) return candidate;
  }
  throw new Error('no nonce found');
}

/** A header whose proof of work fails (keeps trying nonces until one does not meet it). */
export function unmineHeader(header: BlockHeader): BlockHeader {
  for (let nonce = 0; ; nonce++) {
    const candidate = { ...header, nonce };
    if (!checkProofOfWork(encodeHeader(candidate))) return candidate;
  }
}

export interface BlockOptions {
  txs?: Tx[];
  payTo?: TestKey;
  /** Coinbase value; default subsidy + 0 (fees are left unclaimed unless given). */
  reward?: bigint;
  time?: number;
  bits?: number;
  extraNonce?: number;
  /** Coinbase height override (to break BIP34). */
  coinbaseHeight?: number;
  /** Skip mining (for blocks that must fail proof of work). */
  mine?: boolean;
}

/** A valid-looking block on `parent` (an entry, or the genesis when omitted). */
export function buildBlock(parent: BlockEntry, opts: BlockOptions = {}): Block {
  const height = parent.height + 1;
  const payTo = opts.payTo ?? testKey(0);
  const coinbase = createCoinbase({
    height: opts.coinbaseHeight ?? height,
    extraNonce: opts.extraNonce ?? 0,
    outputs: [{ amount: opts.reward ?? blockSubsidy(height, params), pubkey: payTo.pubkey }],
  });
  const txs = [coinbase, ...(opts.txs ?? [])];
  const header: BlockHeader = {
    version: 1,
    prevHash: headerHash(parent.header),
    merkleRoot: blockMerkle(txs).root,
    time: opts.time ?? parent.header.time + params.targetSpacing,
    bits: opts.bits ?? params.powLimitBits,
    nonce: 0,
  };
  return { header: opts.mine === false ? header : mineHeader(header), txs };
}

/** Re-mine a block after its transactions changed (fresh merkle root). */
export function rebuild(block: Block, txs: readonly Tx[]): Block {
  return { header: mineHeader({ ...block.header, merkleRoot: blockMerkle(txs).root }), txs };
}

export interface Spendable {
  key: string;
  prevout: { txid: Uint8Array; vout: number };
  coin: Coin;
}

/** Output `vout` of `tx` as a spendable coin description. */
export function outputOf(tx: Tx, vout = 0, height = 1, coinbase = false): Spendable {
  const prevout = { txid: txid(tx), vout };
  const out = tx.outputs[vout]!;
  return {
    key: outpointKey(prevout),
    prevout,
    coin: { amount: out.amount, pubkey: out.pubkey, height, coinbase },
  };
}

/**
 * A signed transaction spending `inputs` (all owned by `from`) to `outputs`. With `distinct`,
 * each input gets its own BIP340 aux randomness, so no two signatures are equal (otherwise
 * every input of one key signs the same message identically and the signature cache verifies
 * only the first: an attacker would not be so kind).
 */
export function pay(
  from: TestKey,
  inputs: readonly Spendable[],
  outputs: TxOut[],
  distinct = false,
): Tx {
  const unsigned: Tx = {
    version: 1,
    inputs: inputs.map((i) => ({
      prevout: i.prevout,
      script: new Uint8Array(),
      witness: new Uint8Array(),
    })),
    outputs,
    lockTime: 0,
  };
  return signTx(
    unsigned,
    params.genesisHash,
    () => from.secret,
    (i) => (distinct ? sha256(new TextEncoder().encode(`aux ${i}`)) : new Uint8Array(32)),
  );
}

/**
 * When set, every node the helpers open goes through it first: the parallel-verification
 * suite (tests/integration/verify-scenarios.test.ts) reruns the scenario tests with a node
 * that verifies signatures in worker threads before the serial connect.
 */
let nodeWrapper: ((node: NodeState) => NodeState) | undefined;

export function setNodeWrapper(wrap: ((node: NodeState) => NodeState) | undefined): void {
  nodeWrapper = wrap;
}

export async function openNode(): Promise<{ node: NodeState; store: MemoryStore }> {
  const store = new MemoryStore();
  const node = await NodeState.open(params, store);
  return { node: nodeWrapper ? nodeWrapper(node) : node, store };
}

/** Mine `count` blocks on the tip paying `payTo`; returns them. */
export async function mineBlocks(
  node: NodeState,
  count: number,
  payTo = testKey(0),
): Promise<Block[]> {
  const blocks: Block[] = [];
  for (let i = 0; i < count; i++) {
    const block = buildBlock(node.chain.tip, { payTo });
    const result = await node.processBlock(block, NOW);
    if (!result.ok) throw new Error(`setup block rejected: ${result.reason} ${result.message}`);
    blocks.push(block);
  }
  return blocks;
}

/** The keys scenario tests pay between. */
export const alice = testKey(1);
export const bob = testKey(2);
export const carol = testKey(3);
/** The regtest block subsidy (unchanged for the first halving interval). */
export const SUBSIDY = blockSubsidy(1, params);

export interface FundedNode {
  node: NodeState;
  store: MemoryStore;
  /** The mined blocks, lowest first. */
  rewards: Block[];
  /** The coinbase reward of block `height` (1-based) as a spendable coin. */
  reward(height: number): Spendable;
}

/** A fresh regtest node with `blocks` mined to `payTo` (their rewards mature as blocks pile up). */
export async function fundedNode(blocks: number, payTo: TestKey = alice): Promise<FundedNode> {
  const { node, store } = await openNode();
  const rewards = await mineBlocks(node, blocks, payTo);
  return {
    node,
    store,
    rewards,
    reward: (height) => outputOf(rewards[height - 1]!.txs[0]!, 0, height, true),
  };
}

/** `count` blocks on `parent`, not processed (distinct per `tag`); `first` goes in the first. */
export function buildBranch(
  parent: BlockEntry,
  count: number,
  tag: number,
  payTo: TestKey,
  first: Tx[] = [],
): Block[] {
  const blocks: Block[] = [];
  let entry = parent;
  for (let i = 0; i < count; i++) {
    const block = buildBlock(entry, { extraNonce: tag, payTo, txs: i === 0 ? first : [] });
    blocks.push(block);
    entry = {
      ...entry,
      id: headerId(block.header),
      header: block.header,
      height: entry.height + 1,
      parent: entry,
    };
  }
  return blocks;
}

/** A node where `alice` owns `count` confirmed, mature 1-coin outputs, and the fan-out tx. */
export async function nodeWithCoins(count: number): Promise<{ node: NodeState; fanout: Tx }> {
  const funding = Math.ceil((count * 100_000_000 + 1_000_000) / Number(SUBSIDY));
  const { node, reward } = await fundedNode(COINBASE_MATURITY + funding);
  const inputs = Array.from({ length: funding }, (_, i) => reward(i + 1));
  const outputs = Array.from({ length: count }, () => ({
    amount: 100_000_000n,
    pubkey: alice.pubkey,
  }));
  const fanout = pay(alice, inputs, outputs);
  const result = await node.processBlock(buildBlock(node.chain.tip, { txs: [fanout] }), NOW);
  if (!result.ok) throw new Error(`fan-out block refused: ${result.reason}`);
  return { node, fanout };
}
